// Errors the Node runtime raises in the program: only under --raise, or from the ordered
// `acquire()` the program called itself.

/** A chain would wait forever for a lock (a re-request of a lock it holds, or a deadlock). */
export class DeadlockError extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = 'DeadlockError';
  }
}

/** A lock was taken against the established or required order. */
export class LockOrderViolation extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = 'LockOrderViolation';
  }
}
