// Taking locks named by keys: async-lock's `lock.acquire(key | [keys], cb)` and the keys (names)
// of Web Locks requests, one lock per literal key and a family for computed ones (keyedLocks.ts),
// taken one at a time in the order written, with the callback run under them all.

import { Node } from 'ts-morph';
import type { Ref } from '../events';
import type { KeyOwner } from './keyedLocks';
import { keysOf, literal } from './keys';
import { declaredName, lockOf } from './locks';
import type { LockOps } from './lockOps';
import type { LockWait } from './lockWaits';
import { keyArrayShape } from './shapes';
import { hasTimeoutOption } from './timeouts';
import type { Ctx } from './scope';

/**
 * async-lock's `lock.acquire(key | [keys], cb)`: each literal key is a lock of its own, a computed
 * key one of a family, and a key array is taken one key at a time in the order written (sorted
 * when it is `.sort()`ed), so two arrays in opposite orders deadlock like nested mutexes. `cb`
 * runs with all of them held. A `timeout` (on the AsyncLock or the call) makes each a timed wait.
 */
export function keyedAcquire(ops: LockOps, call: Node, ctx: Ctx): boolean {
  if (!Node.isCallExpression(call)) return false;
  const callee = call.getExpression();
  if (!Node.isPropertyAccessExpression(callee) || callee.getName() !== 'acquire') return false;
  const found = lockOf(ops.through(callee.getExpression(), ctx)!);
  const [keyArg, cb, opts] = call.getArguments().map((a) => ops.through(a, ctx));
  if (!found?.made.keyed || !keyArg || !cb) return false;
  const timed = !!found.made.timed || hasTimeoutOption(opts);
  takeKeys(ops, asyncLockOwner(ops, found.decl), keyArg, cb, { timed }, ctx);
  return true;
}

/** An AsyncLock as an owner of keys: one a module defines at its top level is shared by every file that imports it. */
function asyncLockOwner(ops: LockOps, decl: Node): KeyOwner {
  const base = declaredName(decl);
  const top = Node.isVariableDeclaration(decl) && decl.getVariableStatement()?.getParent() === decl.getSourceFile();
  const file = decl.getSourceFile().getFilePath();
  const shared = top ? { key: `async-lock:${file}#${base}`, name: `${ops.host.refs.moduleName(file)}.${base}` } : undefined;
  return { owner: decl, base, kind: 'async-lock', shared };
}

/** The lock a literal name (or, computed, a member of the family) of `owner` is. */
export function namedLock(ops: LockOps, owner: KeyOwner, name: Node): Ref {
  return ops.keyed.ref(owner, { key: literal(name), node: name }, false);
}

/**
 * Take the locks `keyArg` names, one at a time, then run `cb` under them all (`wait.tryOnly` for a
 * request that never waits, which orders nothing; `wait.timed` for one that gives up after a time).
 * A literal array of literal keys carries its shape, for the fix that reorders it.
 */
export function takeKeys(ops: LockOps, owner: KeyOwner, keyArg: Node, cb: Node, wait: Partial<LockWait>, ctx: Ctx): void {
  const { keys, ordered } = keysOf(keyArg);
  const allLiteral = keys.every((k) => k.key !== undefined);
  const under = [...ctx.held];
  keys.forEach((k, i) => {
    const lock = ops.keyed.ref(owner, k, ordered && keys.length > 1);
    const held = ops.acquire(lock, k.node, 'async with', { ...ctx, held: under }, undefined, wait);
    if (allLiteral) ops.shape(held, keyArrayShape(keyArg, i));
    under.push(held);
  });
  ops.runUnder(undefined, cb, { ...ctx, held: under });
}
