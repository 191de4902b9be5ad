// Instrumentation of async-lock: a subclass of AsyncLock whose acquire(key, fn) tells the
// tracker what each chain asks for, gets and gives back, one lock per (AsyncLock, key). async-lock
// runs queued work in the context of whoever released the key; here the work runs in the
// context of the chain that queued it (in a child scope holding the key), so edges and held
// locks belong to the right chain. Batches (`acquire([k1, k2], fn)`) go through acquire per key,
// as the library does. A timed acquire (`timeout` option) is no deadlock; with
// `domainReentrant`, re-entry is the library's feature, not a self-deadlock; past
// `maxExecutionTime` the library hands the key on, and so the function no longer holds it.

import { runIn } from '../heldLocks.mjs';
import { keyToken, lockInfo } from '../locks.mjs';
import { gaveUp, granted, internalError, released, request, withCallback, withTimed } from '../tracker.mjs';
import { holdingScope } from './holding.mjs';

/** @type {WeakMap<Function, Function>} AsyncLock class -> its instrumented subclass */
const done = new WeakMap();

/**
 * What the library's completion callback needs to know of a queued function.
 * @typedef {{ granted: boolean, finish: () => void }} Work
 */

/**
 * Run the queued function holding the key: in the enqueuer's chain, released when it finishes.
 * @param {import('../tracker.mjs').Request | null} req @param {Function} fn @param {Work} state
 */
function holding(req, fn, state) {
  /** @type {import('../heldLocks.mjs').Entry | null} */
  let entry = null;
  const start = () => {
    state.granted = true;
    entry = granted(req);
    return entry ? holdingScope(entry) : null;
  };
  const finish = () => {
    if (!entry) return;
    entry.settled = true;
    released(entry);
  };
  state.finish = finish;
  if (fn.length === 1) {
    return function callbackMode(/** @type {Function} */ doneFn) {
      const scope = start();
      const finishing = (/** @type {unknown[]} */ ...args) => {
        finish();
        return doneFn(...args);
      };
      try {
        return scope ? runIn(scope, () => fn(finishing)) : fn(finishing);
      } catch (error) {
        finish();
        throw error;
      }
    };
  }
  return function promiseMode() {
    const scope = start();
    let result;
    try {
      result = scope ? runIn(scope, () => fn()) : fn();
    } catch (error) {
      finish();
      throw error;
    }
    return Promise.resolve(result).finally(finish);
  };
}

/**
 * The instrumented AsyncLock class for a copy of the library.
 * @param {any} AsyncLock the library's export
 * @returns {any}
 */
export function instrumentAsyncLock(AsyncLock) {
  if (typeof AsyncLock !== 'function') return AsyncLock;
  const cached = done.get(AsyncLock);
  if (cached) return cached;

  class TrackedAsyncLock extends AsyncLock {
    /** @param {...any} args */
    constructor(...args) {
      super(...args);
      try {
        lockInfo(this, 'AsyncLock', true);
      } catch (error) {
        internalError(error);
      }
    }

    /** @param {any} key @param {any} fn @param {any} [cb] @param {any} [opts] */
    acquire(key, fn, cb, opts) {
      if (Array.isArray(key) || typeof fn !== 'function') return super.acquire(key, fn, cb, opts);
      const options = typeof cb === 'function' ? opts : cb;
      const timeout = (options && options.timeout) || this.timeout || undefined;
      const free = !this.isBusy(key);
      let req = null;
      try {
        const token = keyToken(this, 'AsyncLock', key);
        const ask = () => request(token, 'AsyncLock', free || this.domainReentrant);
        req = withCallback(fn, () => (timeout ? withTimed(timeout, ask) : ask()));
      } catch (error) {
        if (typeof cb === 'function') {
          cb(error);
          return undefined;
        }
        return this.Promise.reject(error);
      }
      if (!req) return super.acquire(key, fn, cb, opts);
      /** @type {Work} */
      const state = { granted: false, finish: () => {} };
      const work = holding(req, fn, state);
      const timeLimit = (options && options.maxExecutionTime) || this.maxExecutionTime;
      const ended = (/** @type {any} */ err) => {
        if (!state.granted) gaveUp(req);
        // Past maxExecutionTime the library gives the key to the next task, whatever the
        // function goes on doing: it no longer holds the key.
        else if (timeLimit && err instanceof Error && /execution time/i.test(err.message)) state.finish();
      };
      if (typeof cb === 'function') {
        return super.acquire(key, work, (/** @type {any} */ err, /** @type {any} */ ret) => {
          ended(err);
          return cb(err, ret);
        }, opts);
      }
      return new this.Promise((/** @type {Function} */ resolve, /** @type {Function} */ reject) => {
        super.acquire(key, work, (/** @type {any} */ err, /** @type {any} */ ret) => {
          ended(err);
          if (err) reject(err);
          else resolve(ret);
        }, cb);
      });
    }
  }
  done.set(AsyncLock, TrackedAsyncLock);
  return TrackedAsyncLock;
}
