// A `Promise.all` batch over the computed keys of a family of locks (TS/JS keyed mutexes:
// `Promise.all(keys.map((k) => mutexes[k].acquire()))`). The batch queues every key at once, so
// it may get a later key while it waits for an earlier one: each member is taken while it may
// hold another. Against a nested acquisition of two members in one order (`mutexes['accounts']`
// then `mutexes['ledger']`, or two of the family), that is an inversion; batches alone are not.

import type { Holding, OrderEdge, Taken } from './model';
import type { FunctionInfo } from './symbols';

/** The edge a batch over a family's keys makes: a member taken while the batch may hold another. */
export function batchSelfEdge(fn: FunctionInfo, taken: Taken, alsoHeld: string[]): OrderEdge {
  const from: Holding = { lock: taken.lock, inst: `${taken.inst}'`, site: taken.site, via: taken.via, batch: true, batchOf: taken.lock };
  return { from, to: taken, fn, alsoHeld };
}

/**
 * For every batch over a family's keys, and every nested acquisition of two locks named by
 * literal keys of that family (`b` taken holding `a`), the batch's witness of the other order:
 * it may hold `b` while it waits for `a`. Only pairs some code nests are added (no other cycle
 * needs them), so batches alone stay quiet and the graph keeps its size.
 */
export function familyBatchEdges(edges: OrderEdge[], unsure: OrderEdge[]): OrderEdge[] {
  const batches = new Map<string, OrderEdge[]>();
  for (const e of edges) {
    if (e.from.batchOf && e.from.lock.id === e.to.lock.id) batches.set(e.from.lock.name, [...(batches.get(e.from.lock.name) ?? []), e]);
  }
  if (batches.size === 0) return [];
  // Two computed keys of the family nested (`lockFor(from)` then `lockFor(to)`): the batch may hold `to` while it waits for `from`.
  const out: OrderEdge[] = unsure.filter((u) => batches.has(u.from.lock.name)).map((u) => ({ ...u, from: { ...u.from, unsure: undefined } }));
  const seen = new Set<string>();
  for (const n of edges) {
    const family = n.from.lock.memberOf;
    if (n.from.batch || !family || family !== n.to.lock.memberOf || n.from.lock.id === n.to.lock.id) continue;
    for (const b of batches.get(family) ?? []) {
      const key = `${b.to.site.file}:${b.to.site.range.start.line}:${b.to.site.range.start.character}>${n.to.lock.id}>${n.from.lock.id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const from: Holding = { ...b.from, lock: n.to.lock, inst: 'g' };
      out.push({ from, to: { ...b.to, lock: n.from.lock, inst: 'g' }, fn: b.fn, alsoHeld: b.alsoHeld });
    }
  }
  return out;
}
