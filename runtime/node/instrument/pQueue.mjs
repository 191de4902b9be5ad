// Instrumentation of p-queue: a queue with a finite `concurrency` is a lock with that many
// slots, as a p-limit limiter is. `queue.add(fn)` (and `addAll`, which goes through `add`) asks
// for a slot in the caller's chain, and `fn` runs in a child scope of that chain holding the slot,
// released when the task ends or times out. Once the caller awaits the task (waitedFor.mjs), the
// edges "held A, then waited for the queue" are recorded, and a task that waits on its own queue
// while the queue is full is a self-deadlock (LO102); queuing without awaiting is neither.
// `clear()` drops the tasks not yet started, and their requests with them. A queue of unbounded
// concurrency (p-queue's default) never blocks anyone and is not recorded.

import { lockInfo } from '../locks.mjs';
import { gaveUp, internalError, requestSlot } from '../tracker.mjs';
import { watchWaits } from '../waitedFor.mjs';
import { runHoldingSlot } from './holding.mjs';

/** @type {WeakMap<object, Record<string, unknown>>} the library's module -> instrumented exports */
const done = new WeakMap();

/** @type {WeakMap<object, Set<import('../tracker.mjs').Request>>} queue -> requests of tasks not started */
const unstarted = new WeakMap();

/**
 * The requests of a queue's tasks that have not started.
 * @param {object} queue
 */
function unstartedOf(queue) {
  let set = unstarted.get(queue);
  if (!set) unstarted.set(queue, (set = new Set()));
  return set;
}

/**
 * Add `fn` to the real queue (through `add`, the base class's method) holding a recorded slot.
 * @param {any} queue @param {(fn: Function, options: unknown) => Promise<unknown>} add
 * @param {Function} fn @param {unknown} options
 */
function addRecorded(queue, add, fn, options) {
  const free = queue.pending < queue.concurrency && queue.size === 0;
  let req;
  try {
    req = requestSlot(queue, 'PQueue', free, fn);
  } catch (error) {
    return Promise.reject(error);
  }
  if (!req) return add(fn, options);
  const slot = { started: false, release: () => {} };
  const waiting = unstartedOf(queue);
  waiting.add(req);
  const promise = add((/** @type {unknown[]} */ ...args) => {
    slot.started = true;
    waiting.delete(req);
    return runHoldingSlot(/** @type {any} */ (req), fn, args, (release) => { slot.release = release; });
  }, options);
  // p-queue frees the slot when the task settles or times out: so does the record.
  promise.then(() => slot.release(), () => {
    if (slot.started) slot.release();
    else {
      waiting.delete(req);
      gaveUp(req);
    }
  });
  return watchWaits(promise, req);
}

/**
 * Instrumented replacements for p-queue's exports: its default export, the PQueue class, becomes
 * a subclass that records each queue's slots.
 * @param {any} real the library's module namespace
 * @returns {Record<string, unknown>}
 */
export function instrumentPQueue(real) {
  const cached = done.get(real);
  if (cached) return cached;
  const Base = real.default;
  if (typeof Base !== 'function') return { default: Base };

  class PQueue extends Base {
    /** @param {...any} args */
    constructor(...args) {
      super(...args);
      try {
        if (Number.isFinite(this.concurrency)) lockInfo(this, 'PQueue', true);
      } catch (error) {
        internalError(error);
      }
    }

    /** @param {unknown} fn @param {unknown} [options] */
    add(fn, options) {
      const add = (/** @type {unknown} */ task, /** @type {unknown} */ opts) => super.add(task, opts);
      if (typeof fn !== 'function' || !Number.isFinite(this.concurrency)) return add(fn, options);
      return addRecorded(this, add, fn, options);
    }

    /** `clear()` drops the tasks not started: they will never run, so nobody waits for their slots. */
    clear() {
      const waiting = unstarted.get(this);
      if (waiting) {
        for (const req of waiting) gaveUp(req);
        waiting.clear();
      }
      super.clear();
    }
  }

  const replaced = { default: PQueue };
  done.set(real, replaced);
  return replaced;
}
