// Locks that give up: async-mutex's `withTimeout(m, ms)` and `tryAcquire(m)` wrappers, and
// async-lock's `{ timeout }` option. Such a lock turns a hang into an error (locks.ts marks the
// lock `timed` or `tryOnly`; lockOps.ts and lockWaits.ts read the wrapper at a use).

import { Node } from 'ts-morph';
import { isPackageFunction } from './packages';

/** async-mutex's `withTimeout(m, ms)` or `tryAcquire(m)` (a timeout of 0): the lock it wraps and how it waits. */
export interface LockWrapper {
  inner: Node;
  tryOnly: boolean;
}

/** The wrapper a call makes, when it is async-mutex's `withTimeout` or `tryAcquire`. */
export function lockWrapper(call: Node): LockWrapper | undefined {
  if (!Node.isCallExpression(call)) return undefined;
  const callee = call.getExpression();
  const name = Node.isPropertyAccessExpression(callee) ? callee.getName() : callee.getText();
  const [inner, ms] = call.getArguments();
  if (!inner || (name !== 'withTimeout' && name !== 'tryAcquire') || !isPackageFunction(callee, 'async-mutex')) return undefined;
  return { inner, tryOnly: name === 'tryAcquire' || (!!ms && Node.isNumericLiteral(ms) && Number(ms.getLiteralValue()) <= 0) };
}

/** Whether `new AsyncLock(opts)` or `acquire(key, fn, opts)` is given a `timeout` that is not 0 (0 waits for ever). */
export function hasTimeoutOption(opts: Node | undefined): boolean {
  if (!opts || !Node.isObjectLiteralExpression(opts)) return false;
  const p = opts.getProperty('timeout');
  const value = p && Node.isPropertyAssignment(p) ? p.getInitializer() : undefined;
  return !!p && !(value && Node.isNumericLiteral(value) && Number(value.getLiteralValue()) === 0);
}
