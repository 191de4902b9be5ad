// Recognises bounded limiters: a p-limit `pLimit(n)`, a p-queue `new PQueue({ concurrency: n })`
// and an async-sema `new Sema(n)`. Each is a pool of slots that a task waiting for another task
// of the same limiter can exhaust, so it counts as one lock that is never reentrant, whatever
// its size. A p-queue without a finite concurrency bounds nothing and is no lock.

import { Node } from 'ts-morph';
import type { MadeLock } from './locks';
import { isPackageFunction, literalNumber } from './packages';

/** The limiter an initializer makes, if it makes one. */
export function madeLimiter(init: Node | undefined): MadeLock | undefined {
  if (init && Node.isCallExpression(init) && isPackageFunction(init.getExpression(), 'p-limit')) {
    const arg = init.getArguments()[0];
    const slots = literalNumber(arg) ?? (arg && Node.isObjectLiteralExpression(arg) ? concurrency(arg) : undefined);
    return { kind: 'p-limit', counting: false, callee: init.getExpression(), slots: slots === Infinity ? undefined : slots };
  }
  if (!init || !Node.isNewExpression(init)) return undefined;
  const callee = init.getExpression();
  if (isPackageFunction(callee, 'p-queue')) return pQueue(callee, init.getArguments()[0]);
  const name = Node.isPropertyAccessExpression(callee) ? callee.getName() : callee.getText();
  if (name === 'Sema' && isPackageFunction(callee, 'async-sema')) {
    return { kind: 'async-sema', counting: false, callee, slots: literalNumber(init.getArguments()[0]) };
  }
  return undefined;
}

/** `new PQueue({ concurrency })`: a limiter when the concurrency is given and not `Infinity`. */
function pQueue(callee: Node, options: Node | undefined): MadeLock | undefined {
  if (!options || !Node.isObjectLiteralExpression(options)) return undefined;
  const prop = options.getProperty('concurrency');
  if (!prop) return undefined;
  const value = Node.isPropertyAssignment(prop) ? prop.getInitializer() : undefined;
  if (!value || /(^|\.)(Infinity|MAX_SAFE_INTEGER|MAX_VALUE)$/.test(value.getText())) return undefined;
  return { kind: 'p-queue', counting: false, callee, slots: literalNumber(value) };
}

/** The `concurrency` written in an options object (`pLimit({ concurrency: 4 })`). */
function concurrency(options: Node): number | undefined {
  if (!Node.isObjectLiteralExpression(options)) return undefined;
  const prop = options.getProperty('concurrency');
  return prop && Node.isPropertyAssignment(prop) ? literalNumber(prop.getInitializer()) : undefined;
}
