// Language-neutral facts about lock kinds: which may be re-taken by their holder, and which
// are held by tasks (async call chains) rather than threads, which is how messages name them.

import type { LockKind } from './types';

/** Whether a kind of lock may be re-acquired by the thread holding it. */
export function isReentrant(kind: LockKind): boolean {
  return kind === 'RLock' || kind === 'Condition' || kind === 'unknown';
}

/** Whether a kind of lock is held by tasks (async call chains), not threads: asyncio, async-mutex, async-lock, p-limit. */
export function isTaskLock(kind: LockKind): boolean {
  return kind.startsWith('asyncio.') || kind.startsWith('async-') || kind === 'p-limit';
}
