// The Node runtime's tracker: the one place where instrumented locks report what a chain asks
// for, gets and gives back. It keeps the lock graph (LO101 the first time an edge closes a
// cycle), reports a chain re-requesting a lock it holds (LO102), and remembers pending requests
// and held locks for the exit reports (exitReports.mjs). Any failure inside the runtime is
// swallowed (the program runs on unrecorded), except the errors --raise asks for.

import { DeadlockError, LockOrderViolation } from './errors.mjs';
import { currentScope, found, holdEntry, holdScoped, releaseEntry, scan } from './heldLocks.mjs';
import { functionSite } from './functionSite.mjs';
import { LockGraph } from './lockGraph.mjs';
import { describeLock, lockInfo, lockName } from './locks.mjs';
import { optionsFromEnv } from './options.mjs';
import { makeRecord, ReportWriter } from './reportWriter.mjs';
import { captureStack, framesOf } from './sites.mjs';

/** @typedef {import('./heldLocks.mjs').Entry} Request a request becomes its entry when granted */

/** Everything the runtime recorded in this thread. */
export const state = {
  options: optionsFromEnv(),
  graph: new LockGraph(),
  /** @type {ReportWriter} */
  writer: /** @type {any} */ (null),
  /** @type {Record<string, number>} rule -> findings */
  findings: {},
  /** @type {Set<Request>} */
  pending: new Set(),
  /** @type {Set<import('./heldLocks.mjs').Entry>} */
  held: new Set(),
  /** Internal errors swallowed. */
  internalErrors: 0,
};
state.writer = new ReportWriter(state.options.reportDir);

/** Timeout of the acquire being made through withTimeout/tryAcquire (set around the call). */
let timedNow = /** @type {number | undefined} */ (undefined);

/** The callback that will run under the lock being acquired (set around the call). */
let nextCallback = /** @type {Function | undefined} */ (undefined);

/** Whether the request being made is a limiter's slot for a queued task (set around the call). */
let nextDetached = false;

/**
 * Ask for a limiter's slot for the task `callback` (p-limit, p-queue): the queuing chain waits
 * for the task only if it awaits the limiter's promise, so its held locks give edges, and a wait
 * on its own full limiter is LO102, only from then on (`waitedFor` in waitedFor.mjs).
 * @param {object} limiter @param {string} kind @param {boolean} free @param {Function} callback
 * @returns {Request | null}
 */
export function requestSlot(limiter, kind, free, callback) {
  nextDetached = true;
  try {
    return withCallback(callback, () => request(limiter, kind, free));
  } finally {
    nextDetached = false;
  }
}

/**
 * Run `take` (which acquires a lock) telling the tracker that `callback` will run under it: a
 * stack is then captured only when needed (a wait, a new edge), not for every acquisition.
 * @template T @param {Function} callback @param {() => T} take
 * @returns {T}
 */
export function withCallback(callback, take) {
  nextCallback = callback;
  try {
    return take();
  } finally {
    nextCallback = undefined;
  }
}

/** The scope the acquisition being made asks from, when not the running code's (set around the call). */
let nextScope = /** @type {import('./heldLocks.mjs').Scope | null} */ (null);

/**
 * `lock.acquire()`, telling the tracker that `callback` (if any) will run under the lock and, if
 * given, which scope of the chain asks (one holding the locks taken just before).
 * @param {any} lock @param {Function | undefined} callback
 * @param {import('./heldLocks.mjs').Scope | null} [scope]
 */
export function acquireUnder(lock, callback, scope = null) {
  nextCallback = callback;
  nextScope = scope;
  try {
    return lock.acquire();
  } finally {
    nextCallback = undefined;
    nextScope = null;
  }
}

/**
 * Run `fn` with the acquisitions it makes marked as timed (timeout 0: tryAcquire).
 * @template T @param {number} timeout @param {() => T} fn
 * @returns {T}
 */
export function withTimed(timeout, fn) {
  const before = timedNow;
  timedNow = timeout;
  try {
    return fn();
  } finally {
    timedNow = before;
  }
}

/**
 * Write a finding and count it.
 * @param {ReturnType<typeof makeRecord>} record
 */
export function report(record) {
  const rule = String(record.rule);
  state.findings[rule] = (state.findings[rule] ?? 0) + 1;
  state.writer.write(record);
}

/**
 * A chain asks for a lock. Returns the request, to pass to `granted` or `gaveUp`; throws
 * DeadlockError / LockOrderViolation only under --raise.
 * @param {object} lock @param {string} kind @param {boolean} free whether it can be taken at once
 * @param {boolean} [waitOnly] waitForUnlock: waits without taking it
 * @returns {Request | null}
 */
export function request(lock, kind, free, waitOnly = false) {
  /** @type {Error | null} */
  let toThrow = null;
  /** @type {Request | null} */
  let req = null;
  try {
    const callback = nextCallback;
    nextCallback = undefined;
    const detached = nextDetached;
    nextDetached = false;
    const info = lockInfo(lock, kind);
    const scope = nextScope ?? currentScope();
    nextScope = null;
    const timeout = timedNow;
    scan(scope, info);
    const { inner, outer, mine } = found;
    req = {
      lock: info, scope, site: undefined, callback, timeout, selfWait: null, reject: null, reported: false,
      scoped: false, released: false, settled: false, reportedStuck: false, ordered: false,
    };
    if (!callback) req.site = captureStack();
    if (detached) {
      req.detached = true;
      req.waited = false;
      if (outer !== null || inner !== null) {
        req.deferred = [outer, inner];
        req.site = captureStack();
      }
      if (mine && !free && timeout === undefined) req.selfWait = mine;
    } else {
      if (timeout !== 0) toThrow = recordEdges(req, outer, inner);
      if (mine && !free && timeout === undefined) toThrow = (found.across ? acrossWait(req, mine, found.across) : selfRequest(req, mine)) ?? toThrow;
    }
    if (!free || waitOnly) state.pending.add(req);
  } catch (error) {
    internalError(error);
  }
  if (toThrow && state.options.raise) {
    if (req) state.pending.delete(req);
    throw toThrow;
  }
  return req;
}

/**
 * The request was granted: the lock is now held by the requesting chain.
 * @param {Request | null} req
 * @returns {import('./heldLocks.mjs').Entry | null}
 */
export function granted(req) {
  if (!req) return null;
  // Already recorded: the library gave the lock during the acquire call (async-mutex), and the
  // grant was recorded then, so that a release() before the promise settles frees it.
  if (req.released || state.held.has(req)) return req;
  try {
    state.pending.delete(req);
    if (req.callback) holdScoped(req);
    else holdEntry(req);
    state.held.add(req);
    return req;
  } catch (error) {
    internalError(error);
    return null;
  }
}

/**
 * The request ended without the lock (rejected, cancelled, timed out, or a wait that ended).
 * @param {Request | null} req
 */
export function gaveUp(req) {
  if (req) state.pending.delete(req);
}

/**
 * A held entry was released.
 * @param {import('./heldLocks.mjs').Entry | null} entry
 */
export function released(entry) {
  if (!entry || entry.released) return;
  try {
    releaseEntry(entry);
    state.held.delete(entry);
  } catch (error) {
    internalError(error);
  }
}

/**
 * Release the most recent holder of a lock (a direct `mutex.release()`).
 * @param {object} lock
 */
export function releasedByLock(lock) {
  const info = lockInfo(lock, 'lock');
  let last = null;
  for (const entry of info.holders) last = entry;
  released(last);
}

/**
 * Add the edges from the chain's two innermost held locks to the requested one; LO101 for an
 * edge that closes a cycle. Returns the error --raise would throw.
 * @param {Request} req @param {import('./heldLocks.mjs').Entry | null} outer
 * @param {import('./heldLocks.mjs').Entry | null} inner
 * @returns {Error | null}
 */
export function recordEdges(req, outer, inner) {
  let error = null;
  for (const entry of [outer, inner]) {
    if (entry === null) continue;
    const from = entry.lock.id;
    const to = req.lock.id;
    if (from === to || state.graph.has(from, to)) continue;
    req.site ??= captureStack();
    const cycle = state.graph.add(from, to, { thread: req.scope.label, site: req.site, fromLock: entry.lock, toLock: req.lock });
    if (cycle) error = reportCycle(cycle);
  }
  return error;
}

/**
 * Write LO101 for a cycle of edges; returns the LockOrderViolation --raise throws.
 * @param {Array<[number, number]>} cycle
 */
function reportCycle(cycle) {
  const infos = new Map();
  for (const [from, to] of cycle) {
    const info = /** @type {any} */ (state.graph.info(from, to));
    infos.set(from, info.fromLock);
    infos.set(to, info.toLock);
  }
  const names = cycle.map(([from]) => lockName(infos.get(from))).concat(lockName(infos.get(cycle[0][0])));
  const edges = cycle.map(([from, to]) => {
    const info = /** @type {any} */ (state.graph.info(from, to));
    return { from, to, thread: info.thread, stack: framesOf(info.site, state.options.stackDepth) };
  });
  const where = edges.map((e) => `${lockName(infos.get(e.to))} taken holding ${lockName(infos.get(e.from))} at ${at(e.stack[0])}`).join('; ');
  const message = `Lock-order inversion: ${names.join(' -> ')}; ${where}`;
  report(makeRecord('LO101', message, [...infos.values()].map(describeLock), { edges, thread: edges[0].thread }));
  return new LockOrderViolation(message);
}

/**
 * A task queued on a limiter asks for a lock its queuing chain holds: a deadlock only if that
 * chain awaits the task, so it is reported then (or at exit, if still waiting), not now.
 * @param {Request} req @param {import('./heldLocks.mjs').Entry} mine @param {Request} slot
 * @returns {null}
 */
function acrossWait(req, mine, slot) {
  req.selfWait = mine;
  req.across = slot;
  req.site ??= captureStack();
  return null;
}

/**
 * A chain asks for a lock it holds. A lock its callback holds (runExclusive) is a certain
 * self-deadlock: LO102 now. A lock taken with acquire() in the same scope may be a sibling task's,
 * so it is reported at exit if the request is still waiting then.
 * @param {Request} req @param {import('./heldLocks.mjs').Entry} mine
 * @returns {Error | null}
 */
function selfRequest(req, mine) {
  if (!mine.scoped) {
    req.selfWait = mine;
    return null;
  }
  req.site ??= captureStack();
  req.reported = true;
  mine.reportedStuck = true;
  return reportSelfDeadlock(req, mine);
}

/**
 * Write LO102 for a chain waiting for a lock it holds; returns the DeadlockError.
 * @param {Request} req @param {import('./heldLocks.mjs').Entry} mine
 */
export function reportSelfDeadlock(req, mine) {
  const name = lockName(req.lock);
  const acquire = framesOf(req.site, state.options.stackDepth);
  const heldAt = holdFrames(mine);
  const message = `Self-deadlock: ${req.scope.label} asks for ${name} at ${at(acquire[0])} while it holds it (taken at ${at(heldAt[0])}); it would wait forever`;
  report(makeRecord('LO102', message, [describeLock(req.lock)], {
    thread: req.scope.label,
    edges: [
      { from: req.lock.id, to: req.lock.id, thread: req.scope.label, role: 'held', stack: heldAt },
      { from: req.lock.id, to: req.lock.id, thread: req.scope.label, role: 'acquire', stack: acquire },
    ],
  }));
  return new DeadlockError(message);
}

/**
 * Where a held entry was taken: its captured stack, else its callback's definition.
 * @param {import('./heldLocks.mjs').Entry} entry
 */
export function holdFrames(entry) {
  if (entry.site) return framesOf(entry.site, state.options.stackDepth);
  const site = entry.callback ? functionSite(entry.callback) : null;
  return site ? [site] : [];
}

/**
 * Where a request was made: its captured stack, else its callback's definition.
 * @param {Request} req
 */
export function requestFrames(req) {
  if (req.site) return framesOf(req.site, state.options.stackDepth);
  const site = req.callback ? functionSite(req.callback) : null;
  return site ? [site] : [];
}

/**
 * "file.js:12" for messages.
 * @param {{ file: string, line: number } | undefined} frame
 */
export function at(frame) {
  return frame ? `${frame.file}:${frame.line}` : 'an unknown place';
}

/**
 * Count an internal error; the program goes on unrecorded.
 * @param {unknown} error
 */
export function internalError(error) {
  state.internalErrors += 1;
  if (state.internalErrors === 1 && process.env.LOCKORDER_DEBUG === '1') {
    process.stderr.write(`lockorder: internal error, recording may be incomplete: ${String(error)}\n`);
  }
}
