// The ordered acquire, the recipe for JS: `await acquire([a, b], async () => {...})` takes the
// locks sorted by stable rank (declared order from lockorder.order first, then creation order;
// never identity), runs the callback holding them all (its child tasks count as the holder's
// chain) and releases them in reverse. A nested ordered acquire whose lowest lock ranks at or
// below a lock the chain already took this way is LO103 and rejects with LockOrderViolation.
// `acquire(a, b)` without a callback resolves to a handle: `release()`, and
// `await using held = await acquire(a, b)` where the syntax is available.

import { LockOrderViolation } from './errors.mjs';
import { currentScope, entriesOf, runIn, scopeForAll } from './heldLocks.mjs';
import { describeLock, lockInfo, lockName, rankOf } from './locks.mjs';
import { makeRecord } from './reportWriter.mjs';
import { captureStack, framesOf } from './sites.mjs';
import { at, holdFrames, report, state, withCallback } from './tracker.mjs';
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
 * The locks sorted by rank, each once, with their infos.
 * @param {any[]} locks
 */
function plan(locks) {
  const seen = new Set();
  const ranked = [];
  for (const lock of locks) {
    if (seen.has(lock)) continue;
    seen.add(lock);
    const info = lockInfo(lock, lock?.constructor?.name ?? 'lock');
    ranked.push({ lock, info, rank: rankOf(info) });
  }
  return ranked.sort((a, b) => compareRanks(a.rank, b.rank));
}

/**
 * The highest-ranked lock the chain took with the ordered acquire (not one of `ranked`), or null.
 * @param {ReturnType<typeof plan>} ranked
 * @returns {import('./heldLocks.mjs').Entry | null}
 */
function topOrdered(ranked) {
  let top = null;
  for (let s = /** @type {import('./heldLocks.mjs').Scope | null} */ (currentScope()); s; s = s.parent) {
    for (const entry of entriesOf(s)) {
      if (!entry.ordered || entry.released || ranked.some((r) => r.info === entry.lock)) continue;
      if (top === null || compareRanks(rankOf(entry.lock), rankOf(top.lock)) > 0) top = entry;
    }
  }
  return top;
}

/**
 * LO103 (once per pair and site) and the error to reject with, when the lowest new lock ranks at
 * or below a lock the chain took with the ordered acquire.
 * @param {ReturnType<typeof plan>} ranked
 * @returns {LockOrderViolation | null}
 */
function checkNesting(ranked) {
  const top = topOrdered(ranked);
  if (!top || compareRanks(ranked[0].rank, rankOf(top.lock)) > 0) return null;
  const acquire = framesOf(captureStack(), state.options.stackDepth);
  const heldAt = holdFrames(top);
  const low = ranked[0].info;
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
 * Take every lock in rank order; resolves to the releases (in the order taken).
 * @param {ReturnType<typeof plan>} ranked @param {Function | undefined} fn
 */
async function takeAll(ranked, fn) {
  const releases = [];
  try {
    for (const { lock } of ranked) {
      if (typeof lock?.acquire !== 'function') throw new TypeError('acquire(): every lock needs an acquire() method (async-mutex Mutex or Semaphore)');
      const ticket = await (fn ? withCallback(fn, () => lock.acquire()) : lock.acquire());
      const release = Array.isArray(ticket) ? ticket[1] : ticket;
      releases.push(typeof release === 'function' ? release : () => lock.release());
    }
  } catch (error) {
    for (const release of releases.reverse()) release();
    throw error;
  }
  for (const release of releases) {
    const entry = entryOf(release);
    if (entry) entry.ordered = true;
  }
  return releases;
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
 * @param {...any} args
 */
export async function acquire(...args) {
  const withCallback = Array.isArray(args[0]);
  const locks = withCallback ? args[0] : args;
  const fn = withCallback ? args[1] : undefined;
  if (withCallback && typeof fn !== 'function') throw new TypeError('acquire([locks], fn): fn must be a function');
  if (locks.length === 0) return withCallback ? fn() : handle([]);
  const ranked = plan(locks);
  const violation = checkNesting(ranked);
  if (violation) throw violation;
  const releases = await takeAll(ranked, fn);
  if (!withCallback) return handle(releases);
  const entries = releases.map(entryOf).filter((e) => e !== undefined);
  const scope = entries.length > 0 ? scopeForAll(entries) : null;
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
