// Web Locks: `navigator.locks.request(name, [options], cb)` and `locks.request(…)` from
// `worker_threads` (Node 24.5+). The name is the lock (a computed name is one of a family);
// the lock is held until the promise `cb` returns settles, so `cb` runs under it, and with
// the releaser idiom `request(n, () => new Promise((r) => { release = r; }))` the lock stays
// held by the caller until it calls `release()`. `ifAvailable` and `steal` never wait, and a
// `mode: 'shared'` request waits only for an exclusive holder: neither orders anything on its
// own, though the lock it gets is held while `cb` runs.

import { Node, SyntaxKind } from 'ts-morph';
import { comesFromPackage } from './packages';
import { declarationOf } from './locks';
import { touchScope } from './unitReuse';
import type { LockOps } from './lockOps';
import { namedLock, takeKeys } from './keyTaking';
import type { KeyOwner } from './keyedLocks';
import type { Ctx } from './scope';

/** What every Web Locks request is keyed in (one lock manager per origin, or per Node process). */
const MANAGER = 'navigator.locks';

/** The lock manager as an owner of keys: a name is one lock in every file. */
const OWNER: KeyOwner = { owner: MANAGER, base: MANAGER, kind: 'web-locks', shared: { key: 'web-locks:', name: MANAGER } };

/** Handle `….locks.request(name, [options], cb)`; false when the call is not one. */
export function webLockRequest(ops: LockOps, call: Node, ctx: Ctx): boolean {
  if (!Node.isCallExpression(call)) return false;
  const callee = call.getExpression();
  if (!Node.isPropertyAccessExpression(callee) || callee.getName() !== 'request' || !isLockManager(callee.getExpression())) return false;
  const args = call.getArguments().map((a) => ops.through(a, ctx)!);
  const [name, options, cb] = args.length >= 3 ? args : [args[0], undefined, args[1]];
  if (!name || !cb) return false;
  const waits = !options || waitsBehindHolders(options);
  const releaser = releaserOf(cb);
  if (releaser && waits) {
    ops.holdUntilReleased(namedLock(ops, OWNER, name), name, call, { name: releaser, lockText: MANAGER }, ctx);
    ops.runUnder(undefined, cb, ctx);
    return true;
  }
  takeKeys(ops, OWNER, name, cb, { tryOnly: !waits }, ctx);
  return true;
}

/** `navigator.locks` (also through `globalThis`, `window`, `self`), or `locks` imported from worker_threads. */
export function isLockManager(expr: Node): boolean {
  if (MANAGER_TEXT.test(expr.getText().replace(/\s+/g, ''))) return true;
  if (Node.isCallExpression(expr)) return returnsLockManager(expr);
  const symbol = (Node.isPropertyAccessExpression(expr) ? expr.getExpression() : expr).getSymbol();
  return !!symbol && (comesFromPackage(symbol, 'worker_threads') || comesFromPackage(symbol, 'node:worker_threads'));
}

const MANAGER_TEXT = /^(?:(?:globalThis|window|self)\.)?navigator\.locks$/;

/** `getNavigatorLocks()`: a function without parameters that returns `navigator.locks`. */
function returnsLockManager(call: Node): boolean {
  if (!Node.isCallExpression(call) || call.getArguments().length > 0) return false;
  let fn = declarationOf(call.getExpression());
  if (fn && Node.isVariableDeclaration(fn)) fn = fn.getInitializer();
  if (!fn || !(Node.isFunctionDeclaration(fn) || Node.isArrowFunction(fn) || Node.isFunctionExpression(fn))) return false;
  touchScope(fn);
  const body = fn.getBody();
  const returned = body && Node.isBlock(body) ? body.getDescendantsOfKind(SyntaxKind.ReturnStatement).map((r) => r.getExpression()) : [body];
  return returned.some((e) => !!e && MANAGER_TEXT.test(e.getText().replace(/\s+/g, '')));
}

/** Whether a request with these options waits for other holders: not `ifAvailable`, `steal` or `mode: 'shared'`. */
function waitsBehindHolders(options: Node): boolean {
  if (!Node.isObjectLiteralExpression(options)) return true;
  const value = (key: string) => {
    const p = options.getProperty(key);
    return p && Node.isPropertyAssignment(p) ? p.getInitializer()?.getText() : undefined;
  };
  return value('ifAvailable') !== 'true' && value('steal') !== 'true' && !/^['"`]shared['"`]$/.test(value('mode') ?? '');
}

/**
 * The releaser idiom: `cb` returns `new Promise((r) => { release = r; })`. The name (or
 * property, `this.release`) the resolver is stored in, when `cb` does that.
 */
function releaserOf(cb: Node): string | undefined {
  if (!Node.isArrowFunction(cb) && !Node.isFunctionExpression(cb)) return undefined;
  const body = cb.getBody();
  const returned = Node.isBlock(body) ? body.getStatements().find(Node.isReturnStatement)?.getExpression() : body;
  const made = returned && Node.isParenthesizedExpression(returned) ? returned.getExpression() : returned;
  if (!made || !Node.isNewExpression(made) || made.getExpression().getText() !== 'Promise') return undefined;
  const executor = made.getArguments()[0];
  if (!executor || !(Node.isArrowFunction(executor) || Node.isFunctionExpression(executor))) return undefined;
  const resolve = executor.getParameters()[0]?.getName();
  if (!resolve) return undefined;
  for (const bin of [executor.getBody(), ...executor.getBody().getDescendantsOfKind(SyntaxKind.BinaryExpression)]) {
    if (Node.isBinaryExpression(bin) && bin.getOperatorToken().getKind() === SyntaxKind.EqualsToken && bin.getRight().getText() === resolve) {
      return bin.getLeft().getText();
    }
  }
  return undefined;
}
