// The ordered acquire, the recipe for JS: `await acquire([a, b], async () => {...})` takes the
// locks sorted by stable rank (declared order from lockorder.order first, then creation order;
// never identity), runs the callback holding them all (its child tasks count as the holder's
// chain) and releases them in reverse. A nested ordered acquire whose lowest lock ranks at or
// below a lock the chain already took this way is LO103 and rejects with LockOrderViolation.
// `acquire(a, b)` without a callback resolves to a handle: `release()`, and
// `await using held = await acquire(a, b)` where the syntax is available.

import { LockOrderViolation } from './errors.mjs';
import { currentScope, runIn } from './heldLocks.mjs';
import { describeLock, lockInfo, lockName, rankOf } from './locks.mjs';
import { makeRecord } from './reportWriter.mjs';
import { captureStack, framesOf } from './sites.mjs';
import { acquireUnder, at, holdFrames, report, state } from './tracker.mjs';
import { entryOf } from './instrument/holding.mjs';

/** @type {Set<string>} LO103 already reported: "held id>new id@file:line" */
const reported = new Set();

/**
 * Compare two ranks.
 * @param {[number, number]} a @param {[number, number]} b
 */
function compareRanks(a, b) {
  return a[0] - b[0] || a[1] - b[1];
}

/**
 * The locks each once, sorted by rank, and their infos (same order).
 * @param {any[]} given
 * @returns {{ locks: any[], infos: import('./locks.mjs').LockInfo[] }}
 */
function plan(given) {
  if (given.length === 2 && given[0] !== given[1]) {
    const [a, b] = given;
    const infoA = lockInfo(a, a?.constructor?.name ?? 'lock');
    const infoB = lockInfo(b, b?.constructor?.name ?? 'lock');
    return compareRanks(rankOf(infoA), rankOf(infoB)) <= 0 ? { locks: [a, b], infos: [infoA, infoB] } : { locks: [b, a], infos: [infoB, infoA] };
  }
  /** @type {any[]} */
  const locks = [];
  for (const lock of given) if (!locks.includes(lock)) locks.push(lock);
  const infos = locks.map((lock) => lockInfo(lock, lock?.constructor?.name ?? 'lock'));
  if (locks.length > 1) {
    const order = infos.map((_, i) => i).sort((a, b) => compareRanks(rankOf(infos[a]), rankOf(infos[b])));
    return { locks: order.map((i) => locks[i]), infos: order.map((i) => infos[i]) };
  }
  return { locks, infos };
}

/**
 * The highest-ranked lock the chain took with the ordered acquire (not one of `infos`), or null.
 * @param {import('./locks.mjs').LockInfo[]} infos
 * @returns {import('./heldLocks.mjs').Entry | null}
 */
function topOrdered(infos) {
  let top = null;
  for (let s = /** @type {import('./heldLocks.mjs').Scope | null} */ (currentScope()); s; s = s.parent) {
    if (s.own !== null) top = higher(top, s.own, infos);
    if (s.entries !== null) for (const entry of s.entries) top = higher(top, entry, infos);
  }
  return top;
}

/**
 * `entry` when it is a held ordered lock (not one of `infos`) ranked above `top`, else `top`.
 * @param {import('./heldLocks.mjs').Entry | null} top @param {import('./heldLocks.mjs').Entry} entry
 * @param {import('./locks.mjs').LockInfo[]} infos
 */
function higher(top, entry, infos) {
  if (!entry.ordered || entry.released || infos.includes(entry.lock)) return top;
  return top === null || compareRanks(rankOf(entry.lock), rankOf(top.lock)) > 0 ? entry : top;
}

/**
 * LO103 (once per pair and site) and the error to reject with, when the lowest new lock ranks at
 * or below a lock the chain took with the ordered acquire.
 * @param {import('./locks.mjs').LockInfo[]} infos sorted by rank
 * @returns {LockOrderViolation | null}
 */
function checkNesting(infos) {
  const top = topOrdered(infos);
  if (!top || compareRanks(rankOf(infos[0]), rankOf(top.lock)) > 0) return null;
  const acquire = framesOf(captureStack(), state.options.stackDepth);
  const heldAt = holdFrames(top);
  const low = infos[0];
  const message = `Ordered acquire against the order: ${lockName(low)} is requested at ${at(acquire[0])} while ${lockName(top.lock)}, ranked after it, is held (taken at ${at(heldAt[0])}); take them in one acquire([...]) or in rank order`;
  const key = `${top.lock.id}>${low.id}@${at(acquire[0])}`;
  if (!reported.has(key)) {
    reported.add(key);
    const thread = currentScope().label;
    report(makeRecord('LO103', message, [describeLock(top.lock), describeLock(low)], {
      thread,
      edges: [
        { from: top.lock.id, to: low.id, thread, role: 'held', stack: heldAt },
        { from: top.lock.id, to: low.id, thread, role: 'acquire', stack: acquire },
      ],
    }));
  }
  return new LockOrderViolation(message);
}

/**
 * Release in reverse order.
 * @param {Array<() => void>} releases
 */
function releaseAll(releases) {
  for (let i = releases.length - 1; i >= 0; i -= 1) releases[i]();
}

/**
 * `acquire([a, b], fn)`: take the locks in rank order, run fn holding them, release them.
 * `acquire(a, b)`: take them; resolves to a handle with `release()` and Symbol.asyncDispose.
 * @param {any} first the locks (array), or the first lock
 * @param {any} [second] the callback, or the second lock
 */
export function acquire(first, second) {
  if (Array.isArray(first)) return acquireAll(first, second, true);
  return acquireAll(Array.prototype.slice.call(arguments), undefined, false);
}

/**
 * The ordered acquire itself: with `scoped`, run fn holding the locks; else resolve to a handle.
 * @param {any[]} given @param {any} fn @param {boolean} scoped
 */
async function acquireAll(given, fn, scoped) {
  if (scoped && typeof fn !== 'function') throw new TypeError('acquire([locks], fn): fn must be a function');
  if (given.length === 0) return scoped ? fn() : handle([]);
  const { locks, infos } = plan(given);
  const violation = checkNesting(infos);
  if (violation) throw violation;
  /** @type {Array<() => void>} */
  const releases = [];
  /** @type {import('./heldLocks.mjs').Entry[]} */
  const entries = [];
  /** @type {import('./heldLocks.mjs').Scope | null} */
  let scope = null;
  try {
    for (const lock of locks) {
      if (typeof lock?.acquire !== 'function') throw new TypeError('acquire(): every lock needs an acquire() method (async-mutex Mutex or Semaphore)');
      // Each lock is asked for in the scope holding the ones taken before it (edges a -> b).
      const ticket = await acquireUnder(lock, fn, scope);
      const release = Array.isArray(ticket) ? ticket[1] : ticket;
      releases.push(typeof release === 'function' ? release : () => lock.release());
      const entry = entryOf(release);
      if (entry) {
        entry.ordered = true;
        entries.push(entry);
        scope = entry.scope;
      }
    }
  } catch (error) {
    releaseAll(releases);
    throw error;
  }
  if (!scoped) return handle(releases);
  try {
    return await (scope ? runIn(scope, fn) : fn());
  } finally {
    for (const entry of entries) entry.settled = true;
    releaseAll(releases);
  }
}

/**
 * The handle of `acquire(a, b)`: release once, also by `await using`.
 * @param {Array<() => void>} releases
 */
function handle(releases) {
  let done = false;
  const release = () => {
    if (done) return;
    done = true;
    releaseAll(releases);
  };
  /** @type {Record<string | symbol, unknown>} */
  const held = { release };
  if (typeof Symbol.asyncDispose === 'symbol') held[Symbol.asyncDispose] = async () => release();
  if (typeof Symbol.dispose === 'symbol') held[Symbol.dispose] = release;
  return held;
}
