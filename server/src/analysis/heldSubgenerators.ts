// F10: a generator suspended only inside a sub-generator that holds a lock. When every `yield`
// of a generator runs while it iterates (`for x in self.get():` / `yield from`) a generator that
// holds lock L at each of its own `yield`s, then whenever the outer one is suspended, L (a
// `Lock`: one holder) is held by that suspended sub-generator, so no other code can be holding
// it when a collection closes the outer one; and closing it drops the sub-generator first, which
// releases L before the outer's cleanup takes it. Its cleanup taking L cannot deadlock.

import type { Program, ResolvedCall, Taken } from './program';
import type { FunctionInfo } from './symbols';
import { UNKNOWN_INSTANCE } from './symbols';
import { mapInstance } from './summaries';
import type { Range } from './types';

/** Whether `gen` can only be suspended while a sub-generator it iterates holds the lock `takes` names (the same instance). */
export function suspendedUnderLock(program: Program, gen: FunctionInfo, takes: Taken): boolean {
  const yields = gen.fact.yields;
  if (!yields?.length || takes.lock.kind !== 'Lock' || takes.inst.includes(UNKNOWN_INSTANCE) || takes.byName) return false;
  const callees = program.calleesOf(gen.key);
  return yields.every((y) => y.within.some((at) => iteratesHolder(program, callees, at, takes)));
}

/** The call at `at` resolves only to generators holding the lock at every `yield`. */
function iteratesHolder(program: Program, callees: ResolvedCall[], at: Range, takes: Taken): boolean {
  const calls = callees.filter((c) => sameRange(c.fact.range, at));
  return calls.length > 0 && calls.every((c) => !c.byName && holdsAtEveryYield(program, c, takes));
}

function holdsAtEveryYield(program: Program, call: ResolvedCall, takes: Taken): boolean {
  const sub = call.callee;
  if (sub.fact.isAsync || !sub.fact.yields?.length) return false;
  return sub.fact.yields.every((y) => program.holdings(sub, sub.module.file, y.held).some((h) =>
    h.lock.id === takes.lock.id && !h.byName && mapInstance(h.inst, call.receiver, sub.selfName) === takes.inst));
}

function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character
    && a.end.line === b.end.line && a.end.character === b.end.character;
}
