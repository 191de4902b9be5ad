// Re-acquisitions that cannot happen because they lie in the body of a try-lock of the same lock
// (F7 of docs/realcode-findings.md): `if self._mutex.acquire(False): ... self._write()` runs
// `_write` only when the try-lock succeeded, which it never does in a thread already holding
// `_mutex`, so a path from a holder of `_mutex` through that body to `with self._mutex:` is not
// a self-deadlock.

import type { TryGuardFact } from './events';
import type { Reacquire } from './model';
import type { Program } from './program';
import type { FunctionInfo } from './symbols';
import type { Location, Position } from './types';

/** Whether some step of the re-acquisition's path lies in a try-lock body of the held lock. */
export function throughTryGuard(program: Program, r: Reacquire): boolean {
  if (!program.files.some((f) => !!f.tryGuards?.length)) return false;
  let fn: FunctionInfo = r.fn;
  const steps: Location[] = [...r.again.chain, r.again.site];
  for (let i = 0; i < steps.length; i++) {
    const at = steps[i];
    if (guarded(program, fn, at.range.start, r.held.lock.id)) return true;
    if (i === steps.length - 1) break;
    const call = program.calleesOf(fn.key).find((c) => c.file === at.file && same(c.fact.range.start, at.range.start));
    if (!call) return false;
    fn = call.callee;
  }
  return false;
}

/** Whether `pos` in `fn` lies in the body of a try-lock of lock `lockId`. */
function guarded(program: Program, fn: FunctionInfo, pos: Position, lockId: string): boolean {
  return (fn.module.facts.tryGuards ?? []).some((g) => g.functionId === fn.fact.id && inside(g, pos)
    && program.resolve(fn, g.lock)?.lock.id === lockId);
}

function inside(g: TryGuardFact, pos: Position): boolean {
  const { start, end } = g.range;
  const after = pos.line > start.line || (pos.line === start.line && pos.character >= start.character);
  const before = pos.line < end.line || (pos.line === end.line && pos.character < end.character);
  return after && before;
}

function same(a: Position, b: Position): boolean {
  return a.line === b.line && a.character === b.character;
}
