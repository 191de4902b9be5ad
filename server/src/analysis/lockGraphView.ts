// The lock-order graph as data to draw (`lockorder graph`, the editor's graph view): lock
// classes as nodes, "taken while holding" as edges with their sites, the cycles, and the
// `lockorder.acquire()` groups as clusters. Language-neutral: built from the linked program.

import type { Cycle, OrderGraph } from './orderGraph';
import type { OrderEdge, Program } from './program';
import { QuietCycles } from './quietCycles';
import { siteInHolder } from './rules/describe';
import { selectGraph, type GraphSelection } from './lockGraphSelect';
import type { Finding, LockClass, LockKind, Location } from './types';

/** A place in a file: 1-based line and column. */
export interface GraphPlace {
  file: string;
  line: number;
  col: number;
}

/** Where an edge's second lock is taken while the first is held. */
export interface GraphSite extends GraphPlace {
  /** The function holding the first lock (`Class.method`, or `<module>`). */
  function: string;
  /** How messages name the code: the function and the threads that run it. */
  where: string;
}

/** A lock class. */
export interface GraphNode {
  /** The engine's lock id: `<file>:<line>:<col>` of its creation. */
  id: string;
  /** The name hover shows: `module.Class.attr`. */
  name: string;
  /** The short name messages use: `Class.attr`. */
  shortName: string;
  kind: LockKind;
  reentrant: boolean;
  /** One lock per instance (all created at one site), rather than one lock. */
  family: boolean;
  created: GraphPlace;
  /** Position in the inferred order (0 first); locks of one cycle are consecutive. */
  order: number;
  onCycle: boolean;
  /** The `lockorder.acquire()` cluster it belongs to, if any. */
  cluster?: string;
}

/** "`to` taken while `from` is held". */
export interface GraphEdge {
  from: string;
  to: string;
  /** Every distinct site, first in file order first. */
  sites: GraphSite[];
  count: number;
  onCycle: boolean;
  /** Some site breaks the declared order (LO106). */
  declaredOrderViolation: boolean;
  /** A run under the runtime saw this edge (only when run-time reports are known). */
  runtimeConfirmed?: boolean;
}

/** Locks taken together by one or more overlapping `lockorder.acquire(...)` calls. */
export interface GraphCluster {
  id: string;
  label: string;
  locks: string[];
}

/** The whole answer of `lockorder graph --format json` and of the server's `lockorder/graph`. */
export interface LockGraph {
  version: 1;
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** Each cycle as the ids of its locks, in order (the last one is taken before the first again). */
  cycles: string[][];
  clusters: GraphCluster[];
}

/** Extra knowledge the graph can show. */
export interface GraphInputs {
  /** The findings of the same analysis: LO106 marks edges against the declared order. */
  findings?: Finding[];
  /** Whether a run saw `to` taken while holding `from`, both named by creation `file:line` (1-based). */
  confirmed?: (from: string, to: string) => boolean;
}

export type { GraphSelection } from './lockGraphSelect';
export { UnknownLockError } from './lockGraphSelect';

/** Build the graph of a linked program, then keep what the selection asks for. */
export function lockGraph(program: Program, selection: GraphSelection = {}, inputs: GraphInputs = {}): LockGraph {
  const cycles = reportedCycles(program, inputs.findings ?? []);
  const onCycle = new Set<string>();
  const cycleEdges = new Set<string>();
  for (const c of cycles) {
    for (const e of c.edges) {
      onCycle.add(e.from.lock.id);
      cycleEdges.add(pairKey(e.from.lock.id, e.to.lock.id));
    }
  }
  const declared = declaredPairs(inputs.findings ?? []);
  const locks = new Map<string, LockClass>();
  const edges: GraphEdge[] = [];
  for (const [from, out] of program.graph.adjacency) {
    for (const [to, witnesses] of out) {
      locks.set(from, witnesses[0].from.lock);
      locks.set(to, witnesses[0].to.lock);
      edges.push(edgeOf(program, witnesses, cycleEdges, declared, inputs.confirmed));
    }
  }
  const clusters = orderedClusters(program, locks);
  const clusterOf = new Map(clusters.flatMap((c) => c.locks.map((id) => [id, c.id] as const)));
  const order = inferredOrder(program, [...locks.keys()], locks);
  const nodes = [...locks.values()].map((lock) => nodeOf(lock, order.get(lock.id) ?? 0, onCycle.has(lock.id), clusterOf.get(lock.id)));
  nodes.sort((a, b) => a.order - b.order);
  edges.sort((a, b) => (order.get(a.from) ?? 0) - (order.get(b.from) ?? 0) || (order.get(a.to) ?? 0) - (order.get(b.to) ?? 0));
  const all: LockGraph = { version: 1, nodes, edges, cycles: cycles.map((c) => c.edges.map((e) => e.from.lock.id)), clusters };
  return selectGraph(all, selection, [...program.symbols.locks.values()].map((l) => nodeOf(l, 0, false, undefined)));
}

/** Per lock-order graph (a new one after every edit), which cycles were found harmless. */
const quietness = new WeakMap<OrderGraph, Map<string, boolean>>();

/**
 * The cycles LO101 and LO103 report: gated and otherwise harmless ones are left out. A cycle a
 * finding of this analysis names is reported; only the others (suppressed, or their rule off)
 * are checked again, once per graph, since that check walks every caller.
 */
function reportedCycles(program: Program, findings: Finding[]): Cycle[] {
  const key = (locks: string[]) => [...new Set(locks)].sort().join('\u0000');
  const named = new Set(findings.filter((f) => f.code === 'LO101' || f.code === 'LO103').map((f) => key(f.locks)));
  let memo = quietness.get(program.graph);
  if (!memo) quietness.set(program.graph, (memo = new Map()));
  let quiet: QuietCycles | undefined;
  return program.graph.cycles().filter((c) => {
    if (c.gatedBy) return false;
    const k = key(c.edges.map((e) => e.from.lock.id));
    if (named.has(k)) return true;
    if (!memo.has(k)) memo.set(k, (quiet ??= new QuietCycles(program)).isQuiet(c));
    return !memo.get(k);
  });
}

function pairKey(from: string, to: string): string {
  return `${from}\u0000${to}`;
}

/** The lock pairs LO106 findings name. */
function declaredPairs(findings: Finding[]): Set<string> {
  const out = new Set<string>();
  for (const f of findings) if (f.code === 'LO106' && f.locks.length === 2) out.add(pairKey(f.locks[0], f.locks[1]));
  return out;
}

/** One edge from its witnesses: distinct sites in file order. */
function edgeOf(program: Program, witnesses: OrderEdge[], cycleEdges: Set<string>, declared: Set<string>,
  confirmed: GraphInputs['confirmed']): GraphEdge {
  const from = witnesses[0].from.lock;
  const to = witnesses[0].to.lock;
  const sites = new Map<string, GraphSite>();
  for (const w of witnesses) {
    const site = siteOf(program, w);
    const key = `${site.file}:${site.line}:${site.col}`;
    if (!sites.has(key)) sites.set(key, site);
  }
  const list = [...sites.values()].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col);
  const edge: GraphEdge = {
    from: from.id, to: to.id, sites: list, count: list.length,
    onCycle: cycleEdges.has(pairKey(from.id, to.id)), declaredOrderViolation: declared.has(pairKey(from.id, to.id)),
  };
  if (confirmed) edge.runtimeConfirmed = confirmed(lineKey(from.created), lineKey(to.created));
  return edge;
}

/** `file:line` (1-based) of a location. */
function lineKey(where: Location): string {
  return `${where.file}:${where.range.start.line + 1}`;
}

function siteOf(program: Program, w: OrderEdge): GraphSite {
  const at = placeOf(siteInHolder(w));
  const fn = w.fn.fact.id === '<module>' ? '<module>' : w.fn.fact.qualname;
  return { ...at, function: fn, where: program.where(w.fn).replace(/`/g, '') };
}

function placeOf(where: Location): GraphPlace {
  return { file: where.file, line: where.range.start.line + 1, col: where.range.start.character + 1 };
}

/** A lock class as a node. */
function nodeOf(lock: LockClass, order: number, onCycle: boolean, cluster: string | undefined): GraphNode {
  const node: GraphNode = {
    id: lock.id, name: lock.name, shortName: lock.shortName, kind: lock.kind, reentrant: lock.reentrant,
    family: lock.family, created: placeOf(lock.created), order, onCycle,
  };
  if (cluster) node.cluster = cluster;
  return node;
}

/**
 * Every lock's place in the inferred order: the components of the graph (a cycle is one) in
 * topological order, locks of one component by name. Drawn top to bottom, only the edges
 * that close a cycle point up.
 */
function inferredOrder(program: Program, ids: string[], locks: Map<string, LockClass>): Map<string, number> {
  const component = new Map<string, number>();
  program.graph.components().forEach((scc, i) => scc.forEach((id) => component.set(id, i)));
  const groupOf = (id: string) => (component.has(id) ? `c${component.get(id)}` : id);
  const members = new Map<string, string[]>();
  for (const id of ids) members.set(groupOf(id), [...(members.get(groupOf(id)) ?? []), id]);
  const indegree = new Map<string, number>([...members.keys()].map((g) => [g, 0]));
  const next = new Map<string, Set<string>>();
  for (const [from, out] of program.graph.adjacency) {
    for (const to of out.keys()) {
      const a = groupOf(from);
      const b = groupOf(to);
      if (a === b || next.get(a)?.has(b)) continue;
      next.set(a, (next.get(a) ?? new Set()).add(b));
      indegree.set(b, (indegree.get(b) ?? 0) + 1);
    }
  }
  const nameOf = (g: string) => (members.get(g) ?? []).map((id) => locks.get(id)?.name ?? id).sort()[0] ?? g;
  const ready = [...members.keys()].filter((g) => !indegree.get(g)).sort((a, b) => nameOf(a).localeCompare(nameOf(b)));
  const out = new Map<string, number>();
  while (ready.length) {
    const g = ready.shift()!;
    const sorted = [...(members.get(g) ?? [])].sort((a, b) => (locks.get(a)?.name ?? a).localeCompare(locks.get(b)?.name ?? b));
    for (const id of sorted) out.set(id, out.size);
    for (const b of [...(next.get(g) ?? [])].sort((x, y) => nameOf(x).localeCompare(nameOf(y)))) {
      indegree.set(b, indegree.get(b)! - 1);
      if (indegree.get(b) === 0) ready.push(b);
    }
  }
  return out;
}

/**
 * The `lockorder.acquire(a, b, ...)` groups, merged where they share a lock; each becomes a
 * cluster of the locks (already in the graph, or added to it) it takes.
 */
function orderedClusters(program: Program, locks: Map<string, LockClass>): GraphCluster[] {
  const parent = new Map<string, string>();
  const find = (id: string): string => {
    const p = parent.get(id) ?? id;
    if (p === id) return id;
    const root = find(p);
    parent.set(id, root);
    return root;
  };
  for (const facts of program.files) {
    const groups = new Map<number, string[]>();
    for (const a of facts.acquires) {
      if (a.group === undefined) continue;
      const fn = program.functionOf(facts.path, a.functionId);
      const lock = fn && program.resolve(fn, a.lock)?.lock;
      if (!lock) continue;
      if (!locks.has(lock.id)) locks.set(lock.id, lock);
      groups.set(a.group, [...(groups.get(a.group) ?? []), lock.id]);
    }
    for (const ids of groups.values()) for (const id of ids.slice(1)) parent.set(find(id), find(ids[0]));
  }
  const byRoot = new Map<string, string[]>();
  for (const id of parent.keys()) byRoot.set(find(id), [...(byRoot.get(find(id)) ?? []), id]);
  for (const root of byRoot.keys()) if (!byRoot.get(root)!.includes(root)) byRoot.get(root)!.push(root);
  const named = (id: string) => locks.get(id)?.shortName ?? id;
  return [...byRoot.values()].filter((ids) => ids.length > 1)
    .map((ids) => [...new Set(ids)].sort((a, b) => named(a).localeCompare(named(b))))
    .sort((a, b) => named(a[0]).localeCompare(named(b[0])))
    .map((ids, i) => ({ id: `acquire${i + 1}`, label: `acquire(${ids.map(named).join(', ')})`, locks: ids }));
}
