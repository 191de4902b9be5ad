// `Promise.all(keys.map((k) => mutexes[k].acquire()))`: a batch over the computed keys of a family
// of mutexes (a Map or object of mutexes, a getter of one, or an array of them), queued at once.
// It is recorded as one acquisition of the family marked `manyAtOnce` (the linker makes it a
// member taken while the batch may hold another: familyBatches.ts), held until the releasers are
// called (`releases.forEach((r) => r())`, `for (const r of releases) r()`, `mutexes[k].release()`).

import { Node, type CallExpression } from 'ts-morph';
import { returnedValue } from './familyArrays';
import { mapLockOf } from './mapLocks';
import type { LockOps } from './lockOps';
import { releaserName } from './releasers';
import type { Ctx } from './scope';

/** Record a `Promise.all` (or `allSettled`) over `keys.map(…)` of a family's acquisitions; false when `call` is none. */
export function keysBatch(ops: LockOps, call: CallExpression, ctx: Ctx): boolean {
  const list = call.getArguments()[0];
  if (!list || !Node.isCallExpression(list) || !/^Promise\.all(?:Settled)?$/.test(call.getExpression().getText())) return false;
  const map = list.getExpression();
  const cb = list.getArguments()[0];
  if (!Node.isPropertyAccessExpression(map) || map.getName() !== 'map' || !cb) return false;
  const value = returnedValue(cb);
  const acquire = value && Node.isCallExpression(value) ? value.getExpression() : undefined;
  if (!acquire || !Node.isPropertyAccessExpression(acquire) || acquire.getName() !== 'acquire') return false;
  const receiver = acquire.getExpression();
  if (!mapLockOf(ops.waitOf(receiver, ctx).lock)) return false; // the keys of a family only (`withTimeout(lockFor(k), ms)` too)
  const lock = ops.lockRef(receiver, ctx);
  if (!lock) return false;
  const up = call.getParent();
  const whole = up && Node.isAwaitExpression(up) ? up : call;
  const text = receiver.getText();
  const family = /^[\w$.]+[[(]/.exec(text)?.[0] ?? '';
  const releaser = { name: releaserName(whole.getParent()), lockText: text, family };
  // Checked from the `acquire()` in the callback: its statement is the batch's, its method `acquire`.
  const held = ops.holdUntilReleased(lock, acquire, value!, releaser, ctx, ops.waitOf(receiver, ctx));
  ops.host.facts.acquires[held.acquireIndex].manyAtOnce = true;
  return true;
}
