// Selection of a lock-order graph: only what lies on a cycle, one lock and its neighbours up
// to a depth, or the locks of some files. Used by `lockGraph` (lockGraphView.ts).

import type { GraphNode, LockGraph } from './lockGraphView';

/** What part of the graph to keep (everything by default). */
export interface GraphSelection {
  /** Only the locks and edges on a cycle. */
  cyclesOnly?: boolean;
  /** One lock (its name as hover shows it, its short name, or its id) and its neighbours. */
  focus?: string;
  /** How many edges away from `focus` to go, either way (default 1). */
  depth?: number;
  /** Only the locks created in these files, or taken at a site in them, and the edges among them. */
  files?: string[];
}

/** `focus` names no lock, or more than one. */
export class UnknownLockError extends Error {}

/**
 * Keep what `selection` asks for. `known` lists every lock class of the program, so that a
 * lock nested with no other can still be the focus (drawn alone).
 */
export function selectGraph(graph: LockGraph, selection: GraphSelection, known: GraphNode[]): LockGraph {
  let keep = new Set(graph.nodes.map((n) => n.id));
  let edges = graph.edges;
  let nodes = graph.nodes;
  if (selection.files) {
    const files = new Set(selection.files);
    edges = edges.filter((e) => e.sites.some((s) => files.has(s.file)));
    keep = new Set(edges.flatMap((e) => [e.from, e.to]));
    for (const n of nodes) if (files.has(n.created.file)) keep.add(n.id);
  }
  if (selection.cyclesOnly) {
    edges = edges.filter((e) => e.onCycle);
    keep = new Set(nodes.filter((n) => n.onCycle && keep.has(n.id)).map((n) => n.id));
  }
  if (selection.focus !== undefined) {
    const lock = findLock(selection.focus, nodes.length ? [...nodes, ...known] : known);
    if (!nodes.some((n) => n.id === lock.id)) nodes = [...nodes, { ...lock, order: nodes.length }];
    keep = around(lock.id, edges.filter((e) => keep.has(e.from) && keep.has(e.to)), selection.depth ?? 1);
  }
  edges = edges.filter((e) => keep.has(e.from) && keep.has(e.to));
  return {
    version: 1,
    nodes: nodes.filter((n) => keep.has(n.id)),
    edges,
    cycles: graph.cycles.filter((c) => c.every((id) => keep.has(id))),
    clusters: graph.clusters.map((c) => ({ ...c, locks: c.locks.filter((id) => keep.has(id)) })).filter((c) => c.locks.length > 0),
  };
}

/** The lock `wanted` names: by id, by full name, else by short name when only one lock has it. */
export function findLock(wanted: string, nodes: GraphNode[]): GraphNode {
  const exact = nodes.find((n) => n.id === wanted || n.name === wanted);
  if (exact) return exact;
  const short = [...new Map(nodes.filter((n) => n.shortName === wanted).map((n) => [n.id, n])).values()];
  if (short.length === 1) return short[0];
  if (short.length > 1) {
    throw new UnknownLockError(`lock ${wanted} is ambiguous: ${short.map((n) => n.name).sort().join(', ')}`);
  }
  throw new UnknownLockError(`no lock named ${wanted}`);
}

/** The ids within `depth` edges of `start`, following edges either way. */
function around(start: string, edges: LockGraph['edges'], depth: number): Set<string> {
  const seen = new Set([start]);
  let frontier = new Set([start]);
  for (let d = 0; d < depth && frontier.size; d++) {
    const next = new Set<string>();
    for (const e of edges) {
      for (const [a, b] of [[e.from, e.to], [e.to, e.from]]) {
        if (frontier.has(a) && !seen.has(b)) {
          seen.add(b);
          next.add(b);
        }
      }
    }
    frontier = next;
  }
  return seen;
}
