// When a chain waits for a task it queued on a limiter (p-limit, p-queue). Queuing a task is
// not waiting for it: a chain that holds a mutex and queues work without awaiting it cannot
// deadlock with that work (a crawler's task queuing more pages on its own full queue is the
// common case). The limiter's promise is handed back as a `WatchedPromise`; `await` (and
// Promise.all/race, and an async function returning it) calls its `then` with two callbacks,
// which is the moment the chain starts waiting: its held locks then give their edges to the
// limiter, a wait on its own full limiter is LO102, and so is a queued task already waiting for
// a lock the chain holds. `.catch()` alone is not a wait.

import { internalError, recordEdges, reportSelfDeadlock, state } from './tracker.mjs';

/** @typedef {import('./heldLocks.mjs').Entry} Request */

/** @type {WeakMap<Promise<unknown>, Request>} the slot request each watched promise stands for */
const slots = new WeakMap();

/** The promise class, made on first use: a class with its own `then` slows nothing until then. */
let Watched = /** @type {PromiseConstructor | null} */ (null);

/** The WatchedPromise class. */
function watchedClass() {
  Watched ??= class WatchedPromise extends Promise {
    /** Promises derived from this one (then, catch, finally) are plain ones. */
    static get [Symbol.species]() {
      return Promise;
    }

    /** @param {any} [onFulfilled] @param {any} [onRejected] */
    then(onFulfilled, onRejected) {
      if (typeof onFulfilled === 'function' && typeof onRejected === 'function') {
        const slot = slots.get(this);
        if (slot) {
          slots.delete(this);
          waitedFor(slot);
        }
      }
      return super.then(onFulfilled, onRejected);
    }
  };
  return Watched;
}

/**
 * The limiter's promise for a task, as one that notices when the queuing chain waits for it.
 * Under --raise, `slot.reject` ends that wait with the DeadlockError of an LO102.
 * @template T @param {Promise<T>} promise @param {Request | null} slot
 * @returns {Promise<T>}
 */
export function watchWaits(promise, slot) {
  if (!slot) return promise;
  const Class = watchedClass();
  const watched = new Class((resolve, reject) => {
    slot.reject = reject;
    promise.then(resolve, reject);
  });
  slots.set(watched, slot);
  return watched;
}

/**
 * The queuing chain now waits for the task of `slot`.
 * @param {Request} slot
 */
export function waitedFor(slot) {
  if (slot.waited) return;
  slot.waited = true;
  try {
    if (slot.selfWait && state.pending.has(slot)) reportWait(slot);
    // A queued task waiting for a lock the chain holds: LO102 names that deadlock, so the lock
    // gives no edge to the limiter (its cycle would be the same deadlock again, as LO101).
    const waitedOn = new Set();
    for (const req of state.pending) {
      if (req.across !== slot) continue;
      reportWait(req);
      waitedOn.add(req.lock);
    }
    const [outer, inner] = slot.deferred ?? [null, null];
    slot.deferred = undefined;
    const keep = (/** @type {Request | null} */ e) => (e && !e.released && !waitedOn.has(e.lock) ? e : null);
    const error = recordEdges(slot, keep(outer), keep(inner));
    if (error && state.options.raise) slot.reject?.(error);
  } catch (error) {
    internalError(error);
  }
}

/**
 * LO102 for a request that now waits on a lock its own chain holds; --raise rejects it.
 * @param {Request} req
 */
function reportWait(req) {
  const mine = req.selfWait;
  if (!mine || req.reported || mine.released) return;
  req.reported = true;
  mine.reportedStuck = true;
  const error = reportSelfDeadlock(req, mine);
  if (state.options.raise) req.reject?.(error);
}
