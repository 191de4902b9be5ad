// Folding for large graphs: above 60 locks or 150 edges, each file's locks start folded into one
// node ("module, N locks"), with the edges between files merged; a click opens one file's
// locks in place. Only how the graph is shown changes: the data stays the server's.

import type { GraphEdge, GraphNode, LockGraph } from './protocol';

/** Above this many locks, or `foldEdgesAbove` edges, the view starts with every file folded. */
export const foldAbove = 60;
const foldEdgesAbove = 150;

/** Whether a graph is large enough to start folded. */
export function isLarge(graph: LockGraph): boolean {
  return graph.nodes.length > foldAbove || graph.edges.length > foldEdgesAbove;
}

/** The prefix of a folded file's node id. */
const prefix = 'module:';

/** Whether a node id is a folded file's. */
export const isFolded = (id: string) => id.startsWith(prefix);

/** A node as drawn: a lock, or a folded file with how many locks it holds. */
export interface ShownNode extends GraphNode {
  /** For a folded file: its locks' count. */
  folded?: number;
  /** For a folded file: its file. */
  file?: string;
}

/** The module part of a lock's name (`pkg.mod` of `pkg.mod.Class.attr`). */
function moduleOf(n: GraphNode): string {
  return n.name.length > n.shortName.length ? n.name.slice(0, n.name.length - n.shortName.length - 1) : n.created.file;
}

/**
 * The graph with every file's locks folded into one node, except the files in `open` and the
 * files of the locks in `keep` (emphasised, or found by the search).
 */
export function fold(graph: LockGraph, open: Set<string>, keep: Set<string>): LockGraph {
  const keptFiles = new Set(graph.nodes.filter((n) => keep.has(n.id)).map((n) => n.created.file));
  const shut = (n: GraphNode) => !open.has(n.created.file) && !keptFiles.has(n.created.file);
  const rep = new Map<string, string>();
  const modules = new Map<string, ShownNode>();
  const nodes: ShownNode[] = [];
  for (const n of graph.nodes) {
    if (!shut(n)) {
      rep.set(n.id, n.id);
      nodes.push(n);
      continue;
    }
    const id = `${prefix}${n.created.file}`;
    rep.set(n.id, id);
    const m = modules.get(id);
    if (m) {
      m.folded! += 1;
      m.onCycle ||= n.onCycle;
      m.order = Math.min(m.order, n.order);
      continue;
    }
    const folded: ShownNode = {
      id, name: moduleOf(n), shortName: moduleOf(n), kind: 'unknown', reentrant: false, family: false,
      created: n.created, order: n.order, onCycle: n.onCycle, folded: 1, file: n.created.file,
    };
    modules.set(id, folded);
    nodes.push(folded);
  }
  return {
    version: 1,
    nodes,
    edges: mergeEdges(graph.edges, (id) => rep.get(id) ?? id),
    cycles: graph.cycles.map((c) => [...new Set(c.map((id) => rep.get(id) ?? id))]).filter((c) => c.every((id) => !isFolded(id))),
    clusters: graph.clusters.map((c) => ({ ...c, locks: c.locks.filter((id) => rep.get(id) === id) })).filter((c) => c.locks.length > 1),
  };
}

/** Edges between the shown nodes: merged (their distinct sites) where folding joins them, dropped inside one folded file. */
function mergeEdges(edges: GraphEdge[], rep: (id: string) => string): GraphEdge[] {
  const out = new Map<string, GraphEdge>();
  for (const e of edges) {
    const from = rep(e.from);
    const to = rep(e.to);
    if (from === to && isFolded(from)) continue;
    const key = `${from}\u0000${to}`;
    const seen = out.get(key);
    if (!seen) {
      out.set(key, { ...e, from, to, sites: [...e.sites] });
      continue;
    }
    const at = new Set(seen.sites.map((x) => `${x.file}:${x.line}:${x.col}`));
    for (const x of e.sites) if (!at.has(`${x.file}:${x.line}:${x.col}`)) seen.sites.push(x);
    seen.count = seen.sites.length;
    seen.onCycle ||= e.onCycle;
    seen.declaredOrderViolation ||= e.declaredOrderViolation;
    if (e.runtimeConfirmed !== undefined) seen.runtimeConfirmed = seen.runtimeConfirmed === true || e.runtimeConfirmed;
  }
  return [...out.values()];
}
