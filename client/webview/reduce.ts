// Hides implied edges: "c taken while holding a" when the drawing already shows a path from
// a to c through other locks, every step down the inferred order (nested `with a: with b:
// with c:` gives a→b, b→c and a→c). A path through an edge that points up (closing a cycle)
// implies nothing. Edges on a cycle, against the declared order, or confirmed at run time are
// always shown. Only the drawing changes; a toolbar switch shows every edge again.

import type { GraphEdge, LockGraph } from './protocol';

/** Whether an edge must stay whatever paths exist. */
const kept = (e: GraphEdge) => e.onCycle || e.declaredOrderViolation || e.runtimeConfirmed === true || e.from === e.to;

/** The graph without implied edges, and how many it left out. */
export function withoutImplied(graph: LockGraph): { graph: LockGraph; hidden: number } {
  const order = new Map(graph.nodes.map((n) => [n.id, n.order]));
  const down = (e: GraphEdge) => (order.get(e.from) ?? 0) < (order.get(e.to) ?? 0);
  const out = new Map<string, GraphEdge[]>();
  for (const e of graph.edges) if (down(e)) out.set(e.from, [...(out.get(e.from) ?? []), e]);
  const edges = graph.edges.filter((e) => kept(e) || !reachableAround(e, out));
  return { graph: { ...graph, edges }, hidden: graph.edges.length - edges.length };
}

/** Whether `e.to` can be reached from `e.from` by a path of two edges or more (of `out`: edges going down). */
function reachableAround(e: GraphEdge, out: Map<string, GraphEdge[]>): boolean {
  const seen = new Set<string>([e.from]);
  const stack = (out.get(e.from) ?? []).filter((x) => x !== e && x.to !== e.to).map((x) => x.to);
  while (stack.length) {
    const id = stack.pop()!;
    if (id === e.to) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const x of out.get(id) ?? []) if (!seen.has(x.to)) stack.push(x.to);
  }
  return false;
}
