// `await KeyedMutex.acquireMultiple(ms)` where `acquireMultiple` leaves the locks of the array it
// is given held (holders.ts): the caller takes them here, as a batch over the family `ms` holds
// members of (`keys.map((k) => this.mutexFor(k))`, familyArrays.ts), or the one lock given; held
// until the paired `KeyedMutex.releaseMultiple(ms)`. Replayed at a call of a wrapper that takes
// them this way before running its callback (`runExclusiveForKeys(keys, fn)`), the callback runs
// holding them.

import { Node, type CallExpression } from 'ts-morph';
import type { Ref } from '../events';
import { familyArray } from './familyArrays';
import { holderCall, pairedRelease } from './holders';
import type { LockOps } from './lockOps';
import { mapLockRef } from './mapLocks';
import type { Ctx } from './scope';
import { wrapperFunction } from './wrappers';

/** Record a call of a function leaving its argument's locks held; false when `call` is none. */
export function heldByCall(ops: LockOps, call: Node, ctx: Ctx): boolean {
  if (!Node.isCallExpression(call) || (ctx.subst && !ctx.subst.callback)) return false;
  const found = holderCall(call, wrapperFunction);
  if (!found) return false;
  const { held, arg } = found;
  let lock: Ref | undefined;
  if (held.array) {
    const family = familyArray(ops.through(arg, ctx) ?? arg, 0);
    lock = family && mapLockRef(ops, family, ctx);
  } else lock = ops.lockRef(arg, ctx);
  if (!lock) return false;
  const mark = (index: number) => { if (held.array) ops.host.facts.acquires[index].manyAtOnce = true; };
  if (ctx.subst) {
    // A wrapper's acquisition, replayed at its call: the callback given runs holding them.
    const taken = ops.acquire(lock, call, 'async with', ctx);
    mark(taken.acquireIndex);
    ops.runUnder(taken, undefined, ctx);
    return true;
  }
  const text = arg.getText();
  const releaser = { lockText: text, paired: (c: CallExpression) => pairedRelease(c, text, wrapperFunction) };
  mark(ops.holdUntilReleased(lock, call, call.getParent()!, releaser, ctx).acquireIndex);
  return true;
}
