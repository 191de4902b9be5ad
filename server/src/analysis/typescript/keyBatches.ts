// `Promise.all(keys.map((k) => mutexes[k].acquire()))`: a batch over the computed keys of a family
// of mutexes (a Map or object of mutexes, a getter of one, an array of them, or a keyed-mutex
// class's `lock(k)` handing back the key's `acquire()`), queued at once.
// It is recorded as one acquisition of the family marked `manyAtOnce` (the linker makes it a
// member taken while the batch may hold another: familyBatches.ts), held until the releasers are
// called (`releases.forEach((r) => r())`, `for (const r of releases) r()`, `mutexes[k].release()`).

import { Node, type CallExpression, type PropertyAccessExpression } from 'ts-morph';
import { returnedValue } from './familyArrays';
import { mapLockOf } from './mapLocks';
import type { LockOps } from './lockOps';
import { releaserName } from './releasers';
import { returnedAcquire } from './wrappers';
import { isLockOp } from './lockCalls';
import type { Ctx } from './scope';

/** Record a `Promise.all` (or `allSettled`) over `keys.map(…)` of a family's acquisitions; false when `call` is none. */
export function keysBatch(ops: LockOps, call: CallExpression, ctx: Ctx): boolean {
  const list = call.getArguments()[0];
  if (!list || !Node.isCallExpression(list) || !/^Promise\.all(?:Settled)?$/.test(call.getExpression().getText())) return false;
  const map = list.getExpression();
  const cb = list.getArguments()[0];
  if (!Node.isPropertyAccessExpression(map) || map.getName() !== 'map' || !cb) return false;
  const value = returnedValue(cb);
  const taken = value && Node.isCallExpression(value) ? takenBy(value, ctx) : undefined;
  if (!taken) return false;
  const { acquire, at } = taken;
  const receiver = acquire.getExpression();
  if (!mapLockOf(ops.waitOf(receiver, at).lock)) return false; // the keys of a family only (`withTimeout(lockFor(k), ms)` too)
  const lock = ops.lockRef(receiver, at);
  if (!lock) return false;
  const up = call.getParent();
  const whole = up && Node.isAwaitExpression(up) ? up : call;
  const text = at === ctx ? receiver.getText() : value!.getText();
  const family = /^[\w$.]+[[(]/.exec(text)?.[0] ?? '';
  const releaser = { name: releaserName(whole.getParent()), lockText: text, family };
  // Checked from the `acquire()` in the callback: its statement is the batch's, its method `acquire`.
  const held = ops.holdUntilReleased(lock, at === ctx ? acquire : value!, value!, releaser, ctx, ops.waitOf(receiver, at));
  ops.host.facts.acquires[held.acquireIndex].manyAtOnce = true;
  return true;
}

/**
 * The `acquire` a batch element makes, and where its lock expression is read: `lockFor(k).acquire()`
 * here, or the acquisition a method hands back (`keyed.lock(k)` where `lock(key)` returns
 * `this.mutexFor(key).acquire()`), read with the method's parameters standing for the arguments.
 */
function takenBy(value: CallExpression, ctx: Ctx): { acquire: PropertyAccessExpression; at: Ctx } | undefined {
  const callee = value.getExpression();
  if (Node.isPropertyAccessExpression(callee) && callee.getName() === 'acquire') return { acquire: callee, at: ctx };
  const handed = ctx.subst ? undefined : returnedAcquire(value, (c) => isLockOp(c));
  const inner = handed?.op.getExpression();
  return inner && Node.isPropertyAccessExpression(inner) && inner.getName() === 'acquire' ? { acquire: inner, at: { ...ctx, subst: handed!.subst } } : undefined;
}
