// Language-neutral facts about lock kinds: which may be re-taken by their holder, and which
// are held by tasks (async call chains) rather than threads, which is how messages name them.

import type { LockKind } from './types';

/** Whether a kind of lock may be re-acquired by the thread holding it. */
export function isReentrant(kind: LockKind): boolean {
  return kind === 'RLock' || kind === 'Condition' || kind === 'unknown';
}

/** Whether a kind of lock is held by tasks (async call chains), not threads: asyncio and the JS lock libraries. */
export function isTaskLock(kind: LockKind): boolean {
  return kind.startsWith('asyncio.') || kind.startsWith('async-') || isLimiter(kind) || kind === 'web-locks' || kind === 'promise-mutex' || kind === 'promise-semaphore';
}

/** Whether a kind is a bounded limiter (p-limit, p-queue, async-sema): a task waiting for another task of it can exhaust it. */
export function isLimiter(kind: LockKind): boolean {
  return kind === 'p-limit' || kind === 'p-queue' || kind === 'async-sema';
}
