// The LO101 wording for a `Promise.all` batch over the keys of a keyed family of mutexes
// (familyBatches.ts): why it deadlocks against a nested acquisition of two keys, and the cure.

import type { OrderEdge, Program } from '../program';
import type { RelatedSite } from '../types';
import { lockName } from './describe';

/** What to do instead of a batch over a family's keys, when the cycle has one; else ''. */
export function batchAdvice(edges: OrderEdge[]): string {
  return edges.some((e) => e.from.batchOf)
    ? ' Sort the keys and take them one at a time (`for (const k of [...keys].sort()) await …acquire()`), everywhere.' : '';
}

/**
 * Two keys of a family nested (`nested`, described by `clause`) against a batch over the family's
 * keys, when there is one: the message, and the batch's site.
 */
export function familyBatch(program: Program, nested: OrderEdge, clause: string, who: string): { message: string; site: RelatedSite } | undefined {
  const family = nested.from.lock;
  const batch = program.graph.witnesses(family.id, family.id).find((w) => w.from.batchOf);
  if (!batch) return undefined;
  const message = `Locks of one family are nested: ${clause}, and a \`Promise.all\` over keys of \`${family.shortName}\` in `
    + `${program.where(batch.fn)} queues every key at once, so it may hold ${lockName(nested.to)} while it waits for ${lockName(nested.from)}. `
    + `Two ${who} running these can deadlock.${batchAdvice([batch])}`;
  return { message, site: { location: batch.to.site, message: `every key of \`${family.shortName}\` queued at once here, in ${program.where(batch.fn)}` } };
}
