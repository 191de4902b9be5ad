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
 * resolve to holds at each of its `yield`s (itself, or through a sub-generator it is iterating
 * there), with instances seen from the caller. With `returned`, a call of a plain function that
 * may return a generator's call (`return self.nlm_request(...)`) counts as that generator: the
 * loop holds its locks whenever the function returns it.
 */
export function heldWhileIterating(program: Program, callees: ResolvedCall[], at: Range, returned = false, depth = 0): Holding[] {
  // The callee the call names, not subclasses' overrides of it (virtualCalls.ts), which may not iterate at all.
  const calls = callees.filter((c) => sameRange(c.fact.range, at) && !c.strictSelf);
  if (calls.length === 0 || calls.some((c) => c.byName) || depth > MAX_DEPTH) return [];
  let held = heldByIterable(program, calls[0], returned, depth);
  for (const c of calls.slice(1)) {
    const other = heldByIterable(program, c, returned, depth);
    held = held.filter((h) => other.some((o) => o.lock.id === h.lock.id && o.inst === h.inst));
  }
  return held;
}

/** How deep generators iterating generators (or functions returning them) are followed. */
const MAX_DEPTH = 4;

/** The `Lock`s held while what `call` gives back is suspended, seen from the caller. */
function heldByIterable(program: Program, call: ResolvedCall, returned: boolean, depth: number): Holding[] {
  const sub = call.callee;
  if (sub.fact.isAsync) return [];
  const own = sub.fact.yields?.length ? heldAtEveryYield(program, sub, depth)
    : returned ? heldByReturned(program, sub, depth) : [];
  return own.map((h) => ({ ...h, inst: mapInstance(h.inst, call.receiver, sub.selfName) }))
    .filter((h) => !h.inst.includes(UNKNOWN_INSTANCE));
}

/** The locks a generator holds at every `yield`, in its own frame: held there, or by a sub-generator it iterates there. */
function heldAtEveryYield(program: Program, sub: FunctionInfo, depth: number): Holding[] {
  const yields = sub.fact.yields!;
  const callees = program.calleesOf(sub.key);
  const at = (y: (typeof yields)[number]) => [
    ...program.holdings(sub, sub.module.file, y.held).filter((h) => h.lock.kind === 'Lock' && !h.byName),
    ...y.within.flatMap((w) => heldWhileIterating(program, callees, w, false, depth + 1)),
  ];
  let held = at(yields[0]);
  for (const y of yields.slice(1)) {
    const other = at(y);
    held = held.filter((h) => other.some((o) => o.lock.id === h.lock.id && o.inst === h.inst));
  }
  return held;
}

/** The locks held by the generators a plain function may return, in its own frame. */
function heldByReturned(program: Program, fn: FunctionInfo, depth: number): Holding[] {
  const callees = program.calleesOf(fn.key);
  return (fn.fact.returnsCalls ?? []).flatMap((r) => heldWhileIterating(program, callees, r, true, depth + 1));
}

/** Whether two ranges are the same. */
export function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character
    && a.end.line === b.end.line && a.end.character === b.end.character;
}
