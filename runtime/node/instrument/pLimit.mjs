// Instrumentation of p-limit: each limiter is a lock with `concurrency` slots. A call
// `limit(fn, ...args)` asks for a slot in the caller's chain, and `fn` runs in a child scope of
// that chain holding the slot. Once the caller awaits the task (waitedFor.mjs), edges "held A,
// then waited for the limiter" are recorded, and a task that waits on its own limiter while the
// limiter is full is a self-deadlock (LO102): the slot it holds is one the wait needs. The
// limiter's own properties (activeCount, pendingCount, concurrency, clearQueue, map) keep
// working; `map` goes through the recording limiter, and `clearQueue` drops the requests of the
// tasks it drops.

import { lockInfo } from '../locks.mjs';
import { gaveUp, internalError, requestSlot } from '../tracker.mjs';
import { watchWaits } from '../waitedFor.mjs';
import { runHoldingSlot } from './holding.mjs';

/** @type {WeakMap<object, Record<string, unknown>>} */
const done = new WeakMap();

/**
 * A recording limiter around one of p-limit's.
 * @param {any} limit the library's limiter
 */
function recording(limit) {
  try {
    lockInfo(limit, 'pLimit', true);
  } catch (error) {
    internalError(error);
  }
  /** @type {Set<import('../tracker.mjs').Request>} requests of tasks not started */
  const waiting = new Set();
  /** @param {Function} fn @param {...unknown} args */
  const limited = (fn, ...args) => {
    if (typeof fn !== 'function') return limit(fn, ...args);
    const free = limit.activeCount < limit.concurrency && limit.pendingCount === 0;
    let req;
    try {
      req = requestSlot(limit, 'pLimit', free, fn);
    } catch (error) {
      return Promise.reject(error);
    }
    if (!req) return limit(fn, ...args);
    const started = { value: false };
    waiting.add(req);
    const promise = limit((/** @type {unknown[]} */ ...a) => {
      started.value = true;
      waiting.delete(req);
      return runHoldingSlot(/** @type {any} */ (req), fn, a);
    }, ...args);
    promise.then(() => undefined, () => {
      if (started.value) return;
      waiting.delete(req);
      gaveUp(req);
    });
    return watchWaits(promise, req);
  };
  Object.defineProperties(limited, {
    activeCount: { get: () => limit.activeCount },
    pendingCount: { get: () => limit.pendingCount },
    clearQueue: {
      value() { // the tasks not started never run: nobody waits for their slots
        for (const req of waiting) gaveUp(req);
        waiting.clear();
        limit.clearQueue();
      },
    },
    concurrency: { get: () => limit.concurrency, set: (value) => { limit.concurrency = value; } },
    map: {
      /** @param {Iterable<unknown>} iterable @param {Function} fn */
      async value(iterable, fn) {
        return Promise.all(Array.from(iterable, (value, index) => limited(fn, value, index)));
      },
    },
  });
  return limited;
}

/**
 * Instrumented replacements for p-limit's exports (its default `pLimit` and `limitFunction`).
 * @param {any} real the library's module namespace
 * @returns {Record<string, unknown>}
 */
export function instrumentPLimit(real) {
  const cached = done.get(real);
  if (cached) return cached;
  /** @param {unknown} options */
  const pLimit = (options) => recording(real.default(options));
  /** @param {Function} fn @param {unknown} options */
  const limitFunction = (fn, options) => {
    const limit = pLimit(options);
    const limitedFunction = (/** @type {unknown[]} */ ...args) => limit(() => fn(...args));
    Object.defineProperty(limitedFunction, 'clearQueue', { value: /** @type {any} */ (limit).clearQueue });
    return limitedFunction;
  };
  const replaced = { default: pLimit, limitFunction };
  done.set(real, replaced);
  return replaced;
}
