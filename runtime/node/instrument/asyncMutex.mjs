// Instrumentation of async-mutex (Mutex, Semaphore, withTimeout, tryAcquire): subclasses whose
// acquire, runExclusive, waitForUnlock and release tell the tracker what each chain asks for,
// gets and gives back, and wrappers of withTimeout/tryAcquire that mark their acquisitions as
// timed (a timed wait is no deadlock; tryAcquire never waits). The library's files are not
// touched: the module hooks hand these out instead of the library's own exports.

import { lockInfo } from '../locks.mjs';
import { granted, internalError, releasedByLock, request, withCallback, withTimed } from '../tracker.mjs';
import { runIn } from '../heldLocks.mjs';
import { entryOf, followGrant, followWait, holdingScope, runHolding, trackedReleaser } from './holding.mjs';

/** @type {WeakMap<object, Record<string, unknown>>} library exports -> instrumented exports */
const done = new WeakMap();

/** The export names this instrumentation replaces. */
export const replacedExports = ['Mutex', 'Semaphore', 'withTimeout', 'tryAcquire'];

/**
 * Register a new lock, never failing the constructor.
 * @param {object} lock @param {string} kind
 */
function register(lock, kind) {
  try {
    lockInfo(lock, kind, true);
  } catch (error) {
    internalError(error);
  }
}

/**
 * A rejected promise for an error --raise throws at request time.
 * @param {() => Promise<any>} fn
 */
function orReject(fn) {
  try {
    return fn();
  } catch (error) {
    return Promise.reject(error);
  }
}

/**
 * Instrumented replacements for async-mutex's exports (one set per copy of the library).
 * @param {any} real the library's exports
 * @returns {Record<string, unknown>}
 */
export function instrumentAsyncMutex(real) {
  const cached = done.get(real);
  if (cached) return cached;

  class Semaphore extends real.Semaphore {
    /** @param {...any} args */
    constructor(...args) {
      super(...args);
      register(this, 'Semaphore');
    }

    /** @param {number} [weight] @param {number} [priority] */
    acquire(weight = 1, priority = 0) {
      if (weight <= 0) return super.acquire(weight, priority);
      return orReject(() => {
        const req = request(this, 'Semaphore', this.getValue() >= weight);
        const before = this.getValue();
        const promise = super.acquire(weight, priority);
        if (this.getValue() <= before - weight) granted(req); // given at once: recorded now
        return followGrant(promise, req,
          ([value, release], entry) => [value, trackedReleaser(release, entry)], ([, release]) => release());
      });
    }

    /** @param {(value: number) => any} callback @param {number} [weight] @param {number} [priority] */
    async runExclusive(callback, weight = 1, priority = 0) {
      const [value, release] = await withCallback(callback, () => this.acquire(weight, priority));
      return runHolding(release, () => callback(value));
    }

    /** @param {number} [weight] @param {number} [priority] */
    waitForUnlock(weight = 1, priority = 0) {
      if (weight <= 0) return super.waitForUnlock(weight, priority);
      return orReject(() => followWait(super.waitForUnlock(weight, priority),
        request(this, 'Semaphore', this.getValue() >= weight, true)));
    }

    /** @param {number} [weight] */
    release(weight = 1) {
      if (weight > 0) releasedByLock(this);
      super.release(weight);
    }
  }

  class Mutex extends real.Mutex {
    /** @param {...any} args */
    constructor(...args) {
      super(...args);
      register(this, 'Mutex');
    }

    /** @param {number} [priority] */
    acquire(priority = 0) {
      return orReject(() => {
        const wasLocked = this.isLocked();
        const req = request(this, 'Mutex', !wasLocked);
        // Mutex.acquire only awaits its semaphore's acquire; going to the semaphore directly
        // saves the library's generator-based await per acquisition.
        const semaphore = /** @type {any} */ (this)._semaphore;
        if (semaphore instanceof real.Semaphore) {
          const promise = semaphore.acquire(1, priority);
          if (!wasLocked && this.isLocked()) granted(req); // given at once: recorded now
          return followGrant(promise, req,
            (/** @type {any} */ [, release], entry) => trackedReleaser(release, entry), (/** @type {any} */ [, release]) => release());
        }
        return followGrant(super.acquire(priority), req, (release, entry) => trackedReleaser(release, entry), (release) => release());
      });
    }

    /** @param {() => any} callback @param {number} [priority] */
    async runExclusive(callback, priority = 0) {
      const release = await withCallback(callback, () => this.acquire(priority));
      const entry = entryOf(release);
      const scope = entry ? holdingScope(entry) : null;
      try {
        return await (scope ? runIn(scope, callback) : callback());
      } finally {
        if (entry) entry.settled = true;
        release();
      }
    }

    /** @param {number} [priority] */
    waitForUnlock(priority = 0) {
      return orReject(() => followWait(super.waitForUnlock(priority), request(this, 'Mutex', !this.isLocked(), true)));
    }

    release() {
      if (this.isLocked()) releasedByLock(this);
      super.release();
    }
  }

  /**
   * The library's withTimeout, its acquisitions marked timed, its runExclusive scoped.
   * @param {any} sync @param {number} timeout @param {Error} [error]
   */
  function withTimeout(sync, timeout, error) {
    const inner = error === undefined ? real.withTimeout(sync, timeout) : real.withTimeout(sync, timeout, error);
    const { acquire, waitForUnlock } = inner;
    /** @param {...any} args */
    inner.acquire = (...args) => withTimed(timeout, () => acquire(...args));
    /** @param {...any} args */
    inner.waitForUnlock = (...args) => withTimed(timeout, () => waitForUnlock(...args));
    /** @param {(value?: number) => any} callback @param {number} [weight] @param {number} [priority] */
    inner.runExclusive = async (callback, weight, priority) => {
      const ticket = await withCallback(callback, () => inner.acquire(weight, priority));
      if (Array.isArray(ticket)) return runHolding(ticket[1], () => callback(ticket[0]));
      return runHolding(ticket, () => callback());
    };
    return inner;
  }

  /**
   * The library's tryAcquire (a zero timeout), recorded as never waiting.
   * @param {any} sync @param {Error} [error]
   */
  function tryAcquire(sync, error = real.E_ALREADY_LOCKED) {
    return withTimeout(sync, 0, error);
  }

  const replaced = { Mutex, Semaphore, withTimeout, tryAcquire };
  done.set(real, replaced);
  return replaced;
}
