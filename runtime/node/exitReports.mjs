// What the Node runtime reports when the program ends. At `beforeExit` (the event loop is empty,
// so nothing still pending can ever happen) and on SIGTERM/SIGINT: LO110 for chains waiting for
// a lock (who waits for which lock, held by whom, both stacks) and for locks held by a chain
// whose callback is stuck on a promise that never settles; LO102 for a chain still waiting for a
// lock it took itself with acquire(). Under --raise those waits reject with DeadlockError. At
// `exit`: LO104 for locks still held, then the one-paragraph summary on stderr.

import { isMainThread } from 'node:worker_threads';
import { DeadlockError } from './errors.mjs';
import { heldIn } from './heldLocks.mjs';
import { describeLock, lockName, locksSeen } from './locks.mjs';
import { makeRecord, ruleNames } from './reportWriter.mjs';
import { at, holdFrames, internalError, report, reportSelfDeadlock, requestFrames, state } from './tracker.mjs';

/**
 * Report what is stuck now (pending waits, holders stuck in their callbacks); `why` names the
 * moment ("the event loop is empty", "SIGINT").
 * @param {string} why
 */
export function reportStuck(why) {
  // A task queued on a limiter that no chain awaits is nobody's wait (a paused queue, work
  // queued and left): it is not reported; a holder stuck in its task still is.
  const waits = [...state.pending].filter((r) => !r.reported && r.timeout === undefined && !(r.detached && !r.waited));
  for (const req of waits) {
    if (req.selfWait) {
      req.reported = true;
      req.selfWait.reportedStuck = true;
      const error = reportSelfDeadlock(req, req.selfWait);
      if (state.options.raise) req.reject?.(error);
    }
  }
  const others = waits.filter((r) => !r.selfWait);
  const stuckHolders = [...state.held].filter((e) => e.scoped && !e.settled && !e.reportedStuck);
  if (others.length === 0 && stuckHolders.length === 0) return;
  const threads = [];
  const locks = new Map();
  const holders = new Set(stuckHolders);
  for (const req of others) {
    req.reported = true;
    locks.set(req.lock.id, req.lock);
    for (const entry of req.lock.holders) holders.add(entry);
    threads.push({
      name: req.scope.label, waits_for: req.lock.id, holds: heldIn(req.scope).map((e) => e.lock.id),
      stack: requestFrames(req),
    });
  }
  const waiting = new Set(others.map((r) => r.scope.label));
  const parts = others.map((r) => `${r.scope.label} waits for ${lockName(r.lock)} at ${at(requestFrames(r)[0])}${holderText(r.lock)}`);
  for (const entry of holders) {
    entry.reportedStuck = true;
    locks.set(entry.lock.id, entry.lock);
    if (waiting.has(entry.scope.label)) continue;
    const stuck = entry.scoped && !entry.settled;
    threads.push({
      name: entry.scope.label, holds: heldIn(entry.scope).map((e) => e.lock.id),
      state: stuck ? 'awaiting a promise that never settles' : 'holds it without releasing',
      stack: holdFrames(entry),
    });
    if (stuck) parts.push(`${entry.scope.label} holds ${lockName(entry.lock)} (taken at ${at(holdFrames(entry)[0])}) and awaits a promise that never settles`);
  }
  const message = `Deadlock (${why}): ${parts.join('; ')}`;
  report(makeRecord('LO110', message, [...locks.values()].map(describeLock), { threads, thread: threads[0]?.name }));
  if (state.options.raise) for (const req of others) req.reject?.(new DeadlockError(message));
}

/**
 * ", held by chain 2 (taken at file:line)" for the holders of a lock.
 * @param {import('./locks.mjs').LockInfo} lock
 */
function holderText(lock) {
  const holders = [...lock.holders].map((e) => `${e.scope.label} (taken at ${at(holdFrames(e)[0])})`);
  return holders.length ? `, held by ${holders.join(', ')}` : '';
}

/** LO104 for each lock still held at exit (not already part of an LO110). */
export function reportUnreleased() {
  for (const entry of state.held) {
    if (entry.released || entry.reportedStuck) continue;
    const stack = holdFrames(entry);
    const message = `Unreleased lock: ${lockName(entry.lock)} is still held at exit by ${entry.scope.label}, taken at ${at(stack[0])}`;
    report(makeRecord('LO104', message, [describeLock(entry.lock)], {
      thread: entry.scope.label,
      edges: [{ from: entry.lock.id, to: entry.lock.id, thread: entry.scope.label, role: 'held', stack }],
    }));
  }
}

/** The one-paragraph end-of-run summary. */
export function summary() {
  const parts = Object.keys(state.findings).sort()
    .map((rule) => `${rule} ${ruleNames[/** @type {keyof typeof ruleNames} */ (rule)] ?? ''}: ${state.findings[rule]}`).join(', ') || 'none';
  return `lockorder: ${locksSeen()} locks seen, ${state.graph.size} lock-order edges, findings: ${parts}. ${state.writer.where()}.`;
}

/**
 * Run `fn`, swallowing the runtime's own failures.
 * @param {() => void} fn
 */
function safely(fn) {
  try {
    fn();
  } catch (error) {
    internalError(error);
  }
}

let finished = false;

/** Whether this process prints the summary (LOCKORDER_SUMMARY). */
function wantsSummary() {
  const mode = state.options.summary;
  return mode === 'always' || (mode === 'locks' && (locksSeen() > 0 || state.writer.records > 0));
}

/** LO104 and the summary, once. */
function finish() {
  if (finished) return;
  finished = true;
  safely(reportUnreleased);
  if (wantsSummary() && isMainThread) safely(() => process.stderr.write(`${summary()}\n`));
}

/**
 * Stop on a signal as Node would have (after reporting) when nobody else listens to it.
 * @param {NodeJS.Signals} signal
 */
function onSignal(signal) {
  safely(() => reportStuck(signal));
  if (process.listenerCount(signal) > 1) return;
  finish();
  process.removeAllListeners(signal);
  process.kill(process.pid, signal);
}

/** Hook the process events the exit reports need (once per thread). */
export function installExitReports() {
  process.on('beforeExit', () => safely(() => reportStuck('the event loop is empty')));
  process.on('exit', finish);
  if (isMainThread) {
    for (const signal of /** @type {NodeJS.Signals[]} */ (['SIGINT', 'SIGTERM'])) process.on(signal, () => onSignal(signal));
  }
}
