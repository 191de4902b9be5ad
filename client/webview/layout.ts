// Lays the lock-order graph out with dagre, top to bottom in the inferred order: an edge that
// goes against it (it closes a cycle) is laid out reversed, then drawn the right way, so it
// is the one edge of the cycle that points up. `lockorder.acquire()` clusters are compound nodes.

import dagre from '@dagrejs/dagre';
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

/** The two lines a node shows: its name, and its kind. */
export function nodeLines(n: GraphNode): [string, string] {
  const kind = n.kind === 'unknown' ? 'lock of unknown kind' : n.kind;
  return [n.name, `${kind}${n.family ? ' · family (one per instance)' : ''}${n.reentrant ? ' · reentrant' : ''}`];
}

/** An edge's label: the first site's function, and how many sites. */
export function edgeLabel(e: GraphEdge): string {
  const first = e.sites[0]?.where ?? '';
  return `${first}${e.count > 1 ? ` +${e.count - 1}` : ''}${e.declaredOrderViolation ? ' · LO106' : ''}${e.runtimeConfirmed ? ' · seen at run time' : ''}`;
}

/** Lay the graph out. */
export function layout(graph: LockGraph, measure: Measure): Placed {
  const g = new dagre.graphlib.Graph({ compound: true, multigraph: true });
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
