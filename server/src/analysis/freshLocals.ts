// Two locks of one family held by locals that one call made and keeps to itself (F8 of
// docs/realcode-findings.md): `a = SerializableLock(); b = SerializableLock(); with a: with b:`.
// The objects are new in this call and never handed on, so no other thread can take them, in
// either order: the nesting is not a potential inversion. The front end says which locals are
// so confined (FunctionFact.confined): bound once by a constructor call, every other use only
// taking, releasing, comparing or printing them, or pickling them into values confined too.

import type { FunctionInfo } from './symbols';

/** Whether `held` and `taken` (instance expressions) are both such fresh, unshared locals of `fn`. */
export function freshLocalPair(fn: FunctionInfo, held: string, taken: string): boolean {
  if (fn.fact.id === '<module>' || held === taken) return false;
  const confined = fn.fact.confined ?? [];
  return confined.includes(held) && confined.includes(taken);
}
