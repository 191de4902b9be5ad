// Locks a generator holds while it is suspended. When every `yield` of a generator G runs with
// lock L held, whoever iterates G (`for x in G(...):`, `yield from G(...)`) runs its loop body
// while L is held: G holds it on that thread's behalf. Two consequences:
// - F10: a generator suspended only inside such a loop cannot be closed while other code holds
//   L (a `Lock` has one holder: G), and closing it drops G first, which releases L; so its
//   cleanup taking L cannot deadlock (LO107 skips it).
// - FN3: a loop body that takes L again waits for the lock its own thread's G holds (LO102).

import type { Holding, Program, ResolvedCall, Taken } from './program';
import type { FunctionInfo } from './symbols';
import { UNKNOWN_INSTANCE } from './symbols';
import { mapInstance } from './summaries';
import type { Range } from './types';

/** Whether `gen` can only be suspended while a sub-generator it iterates holds the lock `takes` names (the same instance). */
export function suspendedUnderLock(program: Program, gen: FunctionInfo, takes: Taken): boolean {
  const yields = gen.fact.yields;
  if (!yields?.length || takes.lock.kind !== 'Lock' || takes.inst.includes(UNKNOWN_INSTANCE) || takes.byName) return false;
  const callees = program.calleesOf(gen.key);
  return yields.every((y) => y.within.some((at) => heldWhileIterating(program, callees, at)
    .some((h) => h.lock.id === takes.lock.id && h.inst === takes.inst)));
}

/**
 * The `Lock`s held throughout a loop over the call at `at`: those every generator the call may
 * resolve to holds at each of its `yield`s, with instances seen from the caller.
 */
export function heldWhileIterating(program: Program, callees: ResolvedCall[], at: Range): Holding[] {
  const calls = callees.filter((c) => sameRange(c.fact.range, at));
  if (calls.length === 0 || calls.some((c) => c.byName)) return [];
  let held = heldAtEveryYield(program, calls[0]);
  for (const c of calls.slice(1)) {
    const other = heldAtEveryYield(program, c);
    held = held.filter((h) => other.some((o) => o.lock.id === h.lock.id && o.inst === h.inst));
  }
  return held;
}

function heldAtEveryYield(program: Program, call: ResolvedCall): Holding[] {
  const sub = call.callee;
  const yields = sub.fact.yields;
  if (sub.fact.isAsync || !yields?.length) return [];
  const at = (y: (typeof yields)[number]) => program.holdings(sub, sub.module.file, y.held)
    .filter((h) => h.lock.kind === 'Lock' && !h.byName)
    .map((h) => ({ ...h, inst: mapInstance(h.inst, call.receiver, sub.selfName) }))
    .filter((h) => !h.inst.includes(UNKNOWN_INSTANCE));
  let held = at(yields[0]);
  for (const y of yields.slice(1)) {
    const other = at(y);
    held = held.filter((h) => other.some((o) => o.lock.id === h.lock.id && o.inst === h.inst));
  }
  return held;
}

/** Whether two ranges are the same. */
export function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character
    && a.end.line === b.end.line && a.end.character === b.end.character;
}
