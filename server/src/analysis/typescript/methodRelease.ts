// `lock.release()` (a hand-rolled lock's own release method, or an Atomics mutex's `unlock()`)
// gives the lock back whoever took it. A callback that a wrapper runs holding the lock
// (`runWithLock(fn)` doing `acquire()` … `fn()` … `release()`) and that lets it go before calling
// out, to take it back after, does not hold it in between; taking it back restores the hold the
// wrapper gives back in the end, so that acquisition is not one the callback must release (LO104).

import { Node } from 'ts-morph';
import { lockOf } from './locks';
import type { LockOps } from './lockOps';
import type { Ctx } from './scope';
import type { Ref } from '../events';

/** Per file walk: the holds given back by method in a function (`fn` and lock), until taken back. */
const givenBack = new WeakMap<LockOps, Set<string>>();

/** Where in the held locks `call` (`m.release()`) ends a hold of `m` by its own release method; -1 when it is no such call. */
export function heldReleasedByMethod(ops: LockOps, call: Node, ctx: Ctx): number {
  if (!Node.isCallExpression(call) || call.getArguments().length > 0) return -1;
  const callee = call.getExpression();
  if (!Node.isPropertyAccessExpression(callee) || !ctx.held.length) return -1;
  const lockExpr = ops.through(callee.getExpression(), ctx)!;
  if (callee.getName() !== lockOf(lockExpr)?.made.releasedBy) return -1;
  const ref = ops.lockRef(callee.getExpression(), ctx);
  const key = ref && JSON.stringify(ref);
  for (let i = ctx.held.length - 1; i >= 0; i--) {
    if (JSON.stringify(ctx.held[i].lock) !== key) continue;
    if (!givenBack.has(ops)) givenBack.set(ops, new Set());
    givenBack.get(ops)!.add(`${ctx.fn}\0${key}`);
    return i;
  }
  return -1;
}

/** Whether acquiring `lock` here takes back a hold this function gave back by method (and forget that it did). */
export function takesBack(ops: LockOps, lock: Ref, ctx: Ctx): boolean {
  return givenBack.get(ops)?.delete(`${ctx.fn}\0${JSON.stringify(lock)}`) ?? false;
}
