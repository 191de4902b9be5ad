// TS/JS awaits under locks (the front end's AwaitFacts) as LO105 wait sites: a promise settled by
// calling its stored resolver waits for every call of that resolver made while the held lock is
// held there (at the call, or by every caller of the function making it); a promise started by a call made before the lock was taken waits for that
// function, which needs the lock if it takes it after it first suspends (before that, it took
// the lock at the call, ahead of the waiter, and lets it go before the waiter gets it).

import type { AwaitFact, CallFact } from './events';
import type { Holding, Program } from './program';
import type { FunctionInfo } from './symbols';
import type { Location, Position } from './types';
import type { WaitSite } from './waits';

/** A call of a stored resolver, in the function making it. */
interface Settler {
  fn: FunctionInfo;
  call: CallFact;
}

/** The wait sites of every module's awaits under locks. */
export function promiseWaitSites(program: Program): WaitSite[] {
  const out: WaitSite[] = [];
  let settlers: Map<string, Settler[]> | undefined;
  for (const mod of program.symbols.modules.values()) {
    for (const a of mod.facts.awaits ?? []) {
      const fn = program.functionOf(mod.file, a.functionId);
      if (!fn) continue;
      // A counting semaphore held here leaves permits for the code that settles the promise.
      const held = program.heldAt(fn, mod.file, a.held, a.range.start).filter((h) => !h.lock.reentrant);
      settlers ??= settlerIndex(program);
      const pairs = a.settledBy ? settledPairs(program, fn, a.settledBy.flatMap((k) => settlers!.get(k) ?? []), held) : startedPairs(program, fn, a, held);
      const at = { file: mod.file, range: a.range };
      const kind = a.notify ? 'notify' : a.settledBy ? 'settle' : 'await';
      if (pairs.length) out.push({ kind, at, receiver: a.text, fn, pairs, waitText: a.text });
    }
  }
  return out;
}

/** Calls of stored resolvers, by key. */
function settlerIndex(program: Program): Map<string, Settler[]> {
  const out = new Map<string, Settler[]>();
  for (const mod of program.symbols.modules.values()) {
    for (const call of mod.facts.calls) {
      const fn = call.settles ? program.functionOf(mod.file, call.functionId) : undefined;
      if (fn) out.set(call.settles!, [...(out.get(call.settles!) ?? []), { fn, call }]);
    }
  }
  return out;
}

/**
 * (held lock, a settling function) when every call that settles the promise is made holding that
 * lock, in other functions (a call in the waiting function itself may settle it under this very hold).
 */
function settledPairs(program: Program, fn: FunctionInfo, settlers: Settler[], held: Holding[]): WaitSite['pairs'] {
  const pairs: WaitSite['pairs'] = [];
  if (settlers.some((s) => s.fn === fn)) return pairs;
  const there = settlers.map((s) => [...program.heldAt(s.fn, s.fn.module.file, s.call.held, s.call.range.start), ...callerHeld(program, s.fn, [fn.key])]);
  for (const h of held) {
    const under = there.map((locks) => locks.find((t) => t.lock.id === h.lock.id));
    if (under.length === 0 || under.some((t) => !t)) continue;
    pairs.push({ held: h, other: settlers[0].fn, takes: { ...under[0]!, fn: settlers[0].fn, chain: [] } });
  }
  return pairs;
}

/** How many callers up a settling function's callers are followed. */
const MAX_CALLERS_UP = 3;

/**
 * The locks every call of a function is made holding (`session.setReady()`, called only inside
 * `lock.runExclusive`), up the call chain: none when a function on the way is not called at all
 * in the analyzed code (it may be an entry point), is reached only by name, or is called from a
 * function on `path` (which starts with the waiting function).
 */
function callerHeld(program: Program, fn: FunctionInfo, path: string[]): Holding[] {
  if (path.length > MAX_CALLERS_UP || path.includes(fn.key)) return [];
  const callers = program.callersOf(fn.key);
  // path[0] is the waiting function: called from there, it may settle the promise under this very hold.
  if (callers.length === 0 || callers.some((c) => c.byName || path.includes(c.caller.key))) return [];
  let common: Holding[] | undefined;
  for (const c of callers) {
    const here = [...program.heldAt(c.caller, c.file, c.fact.held, c.fact.range.start), ...callerHeld(program, c.caller, [...path, fn.key])];
    common = (common ?? here).filter((h) => here.some((x) => x.lock.id === h.lock.id));
    if (common.length === 0) return [];
  }
  return common ?? [];
}

/** (held lock, started function) when the function takes that lock after it first suspends. */
function startedPairs(program: Program, fn: FunctionInfo, a: AwaitFact, held: Holding[]): WaitSite['pairs'] {
  const started = a.started && program.symbols.resolveCall(a.started.callee, program.scopeOf(fn));
  if (!started || started.byName || started.fn === fn) return [];
  const pairs: WaitSite['pairs'] = [];
  for (const h of held) {
    const takes = program.takenBy(started.fn.key).find((t) => t.lock.id === h.lock.id && after(t.chain[0] ?? t.site, a.started!.suspends));
    if (takes) pairs.push({ held: h, other: started.fn, takes });
  }
  return pairs;
}

function after(at: Location, pos: Position): boolean {
  const s = at.range.start;
  return s.line > pos.line || (s.line === pos.line && s.character >= pos.character);
}
