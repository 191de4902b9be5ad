// Which calls are lock operations that run a callback (or, for wrappers, take a lock before
// calling a parameter): what makes a user's function a lock wrapper (wrappers.ts) and a stored
// listener run under a lock (listeners.ts).

import { Node, SyntaxKind, type CallExpression } from 'ts-morph';
import { chainMutexMethod } from './chainMutex';
import { queueLockClass } from './queueLockMade';
import { lockOf } from './locks';
import { mapLockOf } from './mapLocks';
import { isLockManager } from './webLocks';

/** Whether a call is a lock operation that runs a callback: runExclusive, async-lock acquire, a limiter task, a Web Locks request. */
export function isLockOp(call: CallExpression): boolean {
  const callee = call.getExpression();
  if (!Node.isPropertyAccessExpression(callee)) return !!limiterKind(lockOf(callee)?.made.kind);
  const name = callee.getName();
  const made = lockOf(callee.getExpression())?.made ?? selfLock(callee.getExpression()) ?? mapLockOf(callee.getExpression())?.made;
  // An explicit acquisition (no callback) counts when a wrapper calls its parameter after it (wrappers.ts).
  if (made && call.getArguments().length === 0 && name === (made.takenBy ?? 'acquire') && !made.keyed) return true;
  if (made?.runBy && name === made.runBy) return true;
  if (name === 'runExclusive' || name === 'acquire') return !!made && (name === 'acquire') === !!made.keyed;
  if (name === 'add') return made?.kind === 'p-queue';
  return name === 'request' ? isLockManager(callee.getExpression()) : !!limiterKind(lockOf(callee)?.made.kind);
}

/** A limiter kind a call on the lock itself runs a task of (`limit(fn)`). */
function limiterKind(kind: string | undefined): boolean {
  return kind === 'p-limit';
}

/** Inside a promise-chain or queue lock class, `this` is the lock (`this.lock()` in its own `withLock`). */
function selfLock(expr: Node): { takenBy?: string; runBy?: string; keyed?: boolean; kind?: string } | undefined {
  if (expr.getKind() !== SyntaxKind.ThisKeyword) return undefined;
  const cls = expr.getFirstAncestorByKind(SyntaxKind.ClassDeclaration);
  const name = cls?.getNameNode();
  const takenBy = name && chainMutexMethod(name);
  if (takenBy) return { takenBy };
  const queued = cls && queueLockClass(cls);
  return queued && (queued.takenBy || queued.runBy) ? { takenBy: queued.takenBy, runBy: queued.runBy } : undefined;
}
