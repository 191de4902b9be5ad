// Lays the lock-order graph out with dagre, top to bottom in the inferred order: an edge that
// goes against it (it closes a cycle) is laid out reversed, then drawn the right way, so it
// is the one edge of the cycle that points up. `lockorder.acquire()` clusters are compound nodes.

import dagre from '@dagrejs/dagre';
import type { ShownNode } from './fold';
import type { GraphEdge, GraphNode, LockGraph } from './protocol';

/** A node with its box (centre and size). */
export interface PlacedNode {
  node: GraphNode;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** An edge with its polyline from `from` to `to`, and where its label goes. */
export interface PlacedEdge {
  edge: GraphEdge;
  points: { x: number; y: number }[];
  label: { x: number; y: number; text: string };
  up: boolean;
}

/** A cluster's box. */
export interface PlacedCluster {
  label: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The whole drawing's parts and size. */
export interface Placed {
  nodes: PlacedNode[];
  edges: PlacedEdge[];
  clusters: PlacedCluster[];
  width: number;
  height: number;
}

/** Measures text in the drawing's font. */
export type Measure = (text: string, small?: boolean) => number;

/** The two lines a node shows: its name, and its kind (or, for a folded file, its count of locks). */
export function nodeLines(n: ShownNode): [string, string] {
  if (n.folded !== undefined) return [n.name, `${n.folded} lock${n.folded === 1 ? '' : 's'}${n.onCycle ? ' · on a cycle' : ''} · click to open`];
  const kind = n.kind === 'unknown' ? 'lock of unknown kind' : n.kind;
  return [n.name, `${kind}${n.family ? ' · family (one per instance)' : ''}${n.reentrant ? ' · reentrant' : ''}`];
}

/** An edge's label: the first site's function, and how many sites. */
export function edgeLabel(e: GraphEdge): string {
  const first = e.sites[0]?.where ?? '';
  return `${first}${e.count > 1 ? ` +${e.count - 1}` : ''}${e.declaredOrderViolation ? ' · LO106' : ''}${e.runtimeConfirmed ? ' · seen at run time' : ''}`;
}

/**
 * Lay the graph out: each connected part (locks joined by edges or by a cluster) with dagre,
 * then the parts packed in rows, widest first, to fill a window of the given aspect ratio
 * (width / height) instead of one long row of small drawings.
 */
export function layout(graph: LockGraph, measure: Measure, aspect = 1.6): Placed {
  const parts = components(graph).map((part) => layoutPart(part, measure));
  parts.sort((a, b) => b.height - a.height || b.width - a.width);
  const area = parts.reduce((sum, p) => sum + p.width * p.height, 0);
  const rowWidth = Math.max(...parts.map((p) => p.width), Math.sqrt(area * aspect));
  const out: Placed = { nodes: [], edges: [], clusters: [], width: 0, height: 0 };
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  for (const part of parts) {
    if (x > 0 && x + part.width > rowWidth) {
      y += rowHeight;
      x = 0;
      rowHeight = 0;
    }
    shift(part, x, y, out);
    x += part.width;
    rowHeight = Math.max(rowHeight, part.height);
    out.width = Math.max(out.width, x);
  }
  out.height = y + rowHeight;
  return out;
}

/** Move a laid-out part by (dx, dy) into `out`. */
function shift(part: Placed, dx: number, dy: number, out: Placed): void {
  for (const n of part.nodes) out.nodes.push({ ...n, x: n.x + dx, y: n.y + dy });
  for (const e of part.edges) {
    out.edges.push({ ...e, points: e.points.map((q) => ({ x: q.x + dx, y: q.y + dy })), label: { ...e.label, x: e.label.x + dx, y: e.label.y + dy } });
  }
  for (const c of part.clusters) out.clusters.push({ ...c, x: c.x + dx, y: c.y + dy });
}

/** The graph split into connected parts (edges and clusters join locks). */
function components(graph: LockGraph): LockGraph[] {
  const parent = new Map(graph.nodes.map((n) => [n.id, n.id]));
  const find = (id: string): string => {
    while (parent.get(id) !== id) id = parent.get(id) ?? id;
    return id;
  };
  const join = (a: string, b: string) => { if (parent.has(a) && parent.has(b)) parent.set(find(a), find(b)); };
  for (const e of graph.edges) join(e.from, e.to);
  for (const c of graph.clusters) for (const id of c.locks.slice(1)) join(id, c.locks[0]);
  const parts = new Map<string, LockGraph>();
  const partOf = (id: string) => {
    const root = find(id);
    let part = parts.get(root);
    if (!part) parts.set(root, (part = { version: 1, nodes: [], edges: [], cycles: [], clusters: [] }));
    return part;
  };
  for (const n of graph.nodes) partOf(n.id).nodes.push(n);
  for (const e of graph.edges) partOf(e.from).edges.push(e);
  for (const c of graph.clusters) if (c.locks.length) partOf(c.locks[0]).clusters.push(c);
  return [...parts.values()];
}

/** Lay one connected part out with dagre. */
function layoutPart(graph: LockGraph, measure: Measure): Placed {  const g = new dagre.graphlib.Graph({ compound: true, multigraph: true });
  g.setGraph({ rankdir: 'TB', nodesep: 40, ranksep: 60, edgesep: 20, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  const order = new Map(graph.nodes.map((n) => [n.id, n.order]));
  for (const c of graph.clusters) g.setNode(`cluster:${c.id}`, { label: c.label });
  for (const n of graph.nodes) {
    const [name, kind] = nodeLines(n);
    g.setNode(n.id, { width: Math.max(measure(name), measure(kind, true)) + 24, height: 44 });
    if (n.cluster && g.hasNode(`cluster:${n.cluster}`)) g.setParent(n.id, `cluster:${n.cluster}`);
  }
  graph.edges.forEach((e, i) => {
    const up = e.from !== e.to && (order.get(e.from) ?? 0) > (order.get(e.to) ?? 0);
    const text = edgeLabel(e);
    const [v, w] = up ? [e.to, e.from] : [e.from, e.to];
    g.setEdge(v, w, { width: measure(text, true) + 8, height: 16, labelpos: 'c' }, `e${i}`);
  });
  dagre.layout(g);
  const nodes = graph.nodes.map((node) => {
    const p = g.node(node.id);
    return { node, x: p.x, y: p.y, width: p.width, height: p.height };
  });
  const edges = graph.edges.map((edge, i) => {
    const up = edge.from !== edge.to && (order.get(edge.from) ?? 0) > (order.get(edge.to) ?? 0);
    const [v, w] = up ? [edge.to, edge.from] : [edge.from, edge.to];
    const p = g.edge({ v, w, name: `e${i}` });
    const points = (p.points ?? []).map((q: { x: number; y: number }) => ({ x: q.x, y: q.y }));
    return { edge, points: up ? points.reverse() : points, label: { x: p.x ?? 0, y: p.y ?? 0, text: edgeLabel(edge) }, up };
  });
  const clusters = graph.clusters.map((c) => {
    const p = g.node(`cluster:${c.id}`);
    return { label: c.label, x: p.x, y: p.y, width: p.width, height: p.height };
  });
  const size = g.graph();
  return { nodes, edges, clusters, width: size.width ?? 0, height: size.height ?? 0 };
}
