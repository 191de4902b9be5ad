// How an acquisition waits when its lock is held: async-mutex's `tryAcquire(m)` gives up at once
// (a try-lock: it orders nothing and cannot hang), and `withTimeout(m, ms)` or async-lock's
// `timeout` option gives up after a time (a hang becomes an error). The wrapper may be written
// where the lock is used (`tryAcquire(m).runExclusive(…)`), stored under a name of its own
// (`const timed = withTimeout(m, 100)`), or made with the lock (`withTimeout(new Mutex(), 100)`).

import { Node } from 'ts-morph';
import { declarationOf, lockOf } from './locks';
import { lockWrapper } from './timeouts';
import { mapLockOf } from './mapLocks';

/** The lock expression under the wrappers, and how an acquisition through them waits. */
export interface LockWait {
  /** The expression naming the lock itself (`m` of `tryAcquire(m)`). */
  lock: Node;
  /** Gives up at once when the lock is held. */
  tryOnly: boolean;
  /** Gives up after a time. */
  timed: boolean;
}

/** How deep wrappers of wrappers are followed. */
const MAX_WRAPPERS = 4;

/** See through `tryAcquire(…)` and `withTimeout(…)`, written here or stored in a variable. */
export function lockWait(expr: Node): LockWait {
  const out: LockWait = { lock: expr, tryOnly: false, timed: false };
  for (let i = 0; i < MAX_WRAPPERS; i++) {
    const w = lockWrapper(out.lock) ?? storedWrapper(out.lock);
    if (!w) break;
    if (w.tryOnly) out.tryOnly = true;
    else out.timed = true;
    out.lock = w.inner;
  }
  const made = Node.isExpression(out.lock) ? (lockOf(out.lock) ?? mapLockOf(out.lock))?.made : undefined;
  if (made?.tryOnly) out.tryOnly = true;
  if (made?.timed) out.timed = true;
  return out;
}

/** `timed` of `const timed = withTimeout(m, 100)`: a variable holding a wrapper of a lock stored elsewhere. */
function storedWrapper(expr: Node): ReturnType<typeof lockWrapper> {
  if (!Node.isIdentifier(expr)) return undefined;
  const decl = declarationOf(expr);
  const init = decl && Node.isVariableDeclaration(decl) ? decl.getInitializer() : undefined;
  const w = init && lockWrapper(init);
  // `withTimeout(new Mutex(), ms)` is the lock itself (a lock definition), not a wrapper of another.
  return w && !Node.isNewExpression(w.inner) ? w : undefined;
}
