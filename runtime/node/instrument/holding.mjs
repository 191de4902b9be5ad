// Shared pieces of the library instrumentations: turning a library's acquire promise into a
// recorded one (grant, give-up, rejection under --raise), tagging releasers with their held
// entry, and running a callback under a held lock (or a limiter's slot) in its own scope of the chain.

import { runIn, scopeFor } from '../heldLocks.mjs';
import { gaveUp, granted, internalError, released, state } from '../tracker.mjs';

const entryKey = Symbol('lockorder.entry');

/**
 * A releaser that records the release, then calls the library's.
 * @param {() => void} release @param {import('../heldLocks.mjs').Entry | null} entry
 * @returns {() => void}
 */
export function trackedReleaser(release, entry) {
  if (!entry) return release;
  const wrapped = () => {
    released(entry);
    release();
  };
  /** @type {any} */ (wrapped)[entryKey] = entry;
  return wrapped;
}

/**
 * Follow a library's acquire promise: record the grant and hand back `toTicket(ticket, entry)`;
 * a rejection gives the request up. Under --raise, `req.reject` can end the wait with an error
 * (a ticket granted later is released at once).
 * @template T, U
 * @param {Promise<T>} promise @param {import('../tracker.mjs').Request | null} req
 * @param {(ticket: T, entry: import('../heldLocks.mjs').Entry | null) => U} toTicket
 * @param {(ticket: T) => void} giveBack releases a ticket nobody will use
 * @returns {Promise<U>}
 */
export function followGrant(promise, req, toTicket, giveBack) {
  if (!req) return promise.then((ticket) => toTicket(ticket, null));
  // Only --raise ever ends a wait from outside; otherwise the library's promise is followed as is.
  if (!state.options.raise || !state.pending.has(req)) return promise.then((ticket) => toTicket(ticket, granted(req)), (error) => {
    gaveUp(req);
    throw error;
  });
  return new Promise((resolve, reject) => {
    let rejected = false;
    req.reject = (error) => {
      rejected = true;
      gaveUp(req);
      reject(error);
    };
    promise.then((ticket) => {
      if (rejected) giveBack(ticket);
      else resolve(toTicket(ticket, granted(req)));
    }, (error) => {
      gaveUp(req);
      reject(error);
    });
  });
}

/**
 * Follow a wait that takes nothing (waitForUnlock).
 * @param {Promise<void>} promise @param {import('../tracker.mjs').Request | null} req
 * @returns {Promise<void>}
 */
export function followWait(promise, req) {
  if (!req) return promise;
  if (!state.options.raise) {
    return promise.then(() => gaveUp(req), (error) => {
      gaveUp(req);
      throw error;
    });
  }
  return new Promise((resolve, reject) => {
    req.reject = reject;
    promise.then(() => {
      gaveUp(req);
      resolve();
    }, (error) => {
      gaveUp(req);
      reject(error);
    });
  });
}

/**
 * Run `fn(...args)` holding the slot `req` asked for (p-limit, p-queue, Web Locks); the slot is
 * released when its result settles, or earlier through the release function handed to `onHeld`
 * (p-queue frees a slot when a task times out, whatever the task goes on doing).
 * @param {import('../tracker.mjs').Request} req @param {Function} fn @param {unknown[]} args
 * @param {(release: () => void) => void} [onHeld]
 */
export function runHoldingSlot(req, fn, args, onHeld) {
  const entry = granted(req);
  const scope = entry ? holdingScope(entry) : null;
  const finish = () => {
    if (!entry) return;
    entry.settled = true;
    released(entry);
  };
  onHeld?.(finish);
  let result;
  try {
    result = scope ? runIn(scope, () => fn(...args)) : fn(...args);
  } catch (error) {
    finish();
    throw error;
  }
  Promise.resolve(result).then(finish, finish);
  return result;
}

/**
 * Run `fn` holding the lock `release` gives back: in a child scope of the chain, so tasks it
 * starts count as the holder's; then release it.
 * @template T @param {() => void} release @param {() => T | Promise<T>} fn
 * @returns {Promise<T>}
 */
export async function runHolding(release, fn) {
  const entry = entryOf(release);
  const scope = entry ? holdingScope(entry) : null;
  try {
    return await (scope ? runIn(scope, fn) : fn());
  } finally {
    if (entry) entry.settled = true;
    release();
  }
}

/**
 * The child scope a callback holding `entry` runs in (null if the runtime failed).
 * @param {import('../heldLocks.mjs').Entry} entry
 */
export function holdingScope(entry) {
  try {
    return scopeFor(entry);
  } catch (error) {
    internalError(error);
    return null;
  }
}

/**
 * The entry a tracked releaser holds, if any.
 * @param {unknown} release
 * @returns {import('../heldLocks.mjs').Entry | undefined}
 */
export function entryOf(release) {
  return typeof release === 'function' ? /** @type {any} */ (release)[entryKey] : undefined;
}
