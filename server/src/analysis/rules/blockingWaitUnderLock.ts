// LO105 blocking-wait-under-lock: waiting for another thread (join, result, a queue get, a
// condition or event wait) while holding a lock that the awaited code needs.

import type { Program } from '../program';
import type { Finding } from '../types';
import { waitsUnderLocks, type WaitUnderLock } from '../waits';
import type { Rule } from './rule';
import { chainSites, finding, lockName } from './describe';

const meta: Rule['meta'] = {
  code: 'LO105',
  name: 'blocking-wait-under-lock',
  summary: 'A thread waits for other code while holding a lock that code needs.',
  defaultSeverity: 'warning',
  docs: {
    whatItDoes: 'Reports `t.join()`, `future.result()`, `queue.get()` without a timeout, and `cond.wait()` or '
      + '`event.wait()` made while holding a lock, when the code being waited for (the thread\'s target, the '
      + 'submitted function, the code that puts into the queue or notifies the condition) acquires that same '
      + 'lock. It stays quiet when the awaited code is unknown or does not need the lock, and for a `q.get()` '
      + 'made under `while not q.empty():` when no other code takes from `q`. In TypeScript and JavaScript it '
      + 'reports an `await` made while holding a lock, of a promise whose settlement needs that lock: a promise '
      + 'whose stored resolver (`new Promise((r) => { this.markReady = r; })`) is called only while holding the '
      + 'lock (at the call, or by every caller of the function calling it, in any file), or a promise started '
      + 'before the lock was taken (`const p = load()`) by a function that takes the lock after its first `await` '
      + '(one that takes it before that got it first, and lets it go); also as one of the promises of an awaited '
      + '`Promise.all([...])` or `Promise.allSettled([...])`, which waits for every one. It also reports a blocking '
      + '`Atomics.wait` in a thread that starts a worker sharing the buffer and answers the worker\'s messages from an '
      + 'event handler, when the worker, before its `Atomics.notify` on that cell, posts a message to its parent and '
      + 'awaits the reply: no handler runs while the thread is blocked.',
    whyIsThisBad: 'The waiting thread keeps the lock while it waits; the other side blocks on that lock and '
      + 'never finishes, so the wait never returns. This is the shape of CPython\'s gh-125451 (a shutdown lock '
      + 'held while joining a worker that needs it).',
    example: [
      'def shutdown(self):',
      '    with self._lock:',
      '        self._stop = True',
      '        self._worker.join()  # LO105: _run() takes self._lock',
      '',
      'def _run(self):',
      '    with self._lock:',
      '        ...',
    ].join('\n'),
    useInstead: [
      'def shutdown(self):',
      '    with self._lock:',
      '        self._stop = True',
      '    self._worker.join()  # wait after releasing the lock',
    ].join('\n'),
    fixSafety: 'No automatic fix: moving the wait out of the critical section changes what the lock protects, '
      + 'so it needs a person. A suppression comment is offered.',
  },
};

const WHAT: Record<WaitUnderLock['kind'], string> = {
  join: 'waits for the thread',
  result: 'waits for the result of',
  get: 'waits on a queue filled by',
  wait: 'waits for a notification from',
  shutdown: 'waits for the tasks submitted to it, among them',
  'queue join': 'waits until every item is marked done by',
  await: 'waits for the promise of',
  settle: 'waits for a promise settled by',
  notify: 'waits for an `Atomics.notify` from',
};

/** The method a wait calls: a queue's `join()` is reported as `join`. */
const METHOD: Record<WaitUnderLock['kind'], string> = {
  join: 'join', result: 'result', get: 'get', wait: 'wait', shutdown: 'shutdown', 'queue join': 'join', await: 'then', settle: 'then', notify: 'wait',
};

function check(program: Program): Finding[] {
  return waitsUnderLocks(program).map((w) => {
    if (w.kind === 'notify') return eventLoopFinding(program, w);
    const name = lockName(w.held);
    const call = w.waitText ? `\`${w.waitText}\`` : `\`${w.receiver}.${METHOD[w.kind]}()\``;
    const waits = w.through ? `\`${w.through.fact.qualname}\`, called here, runs ${call}, which` : call;
    const needs = w.kind === 'settle' ? `settles it only while holding ${name}`
      : w.kind === 'await' ? `acquires ${name} after its first \`await\`` : `acquires ${name}`;
    const message = `Blocking wait under lock: ${waits} ${WHAT[w.kind]} \`${w.other.fact.qualname}\` `
      + `while holding ${name}, but \`${w.other.fact.qualname}\` ${needs}; neither can proceed.`;
    const related = [
      { location: w.held.site, message: `${name} acquired here, in ${program.where(w.fn)}` },
      ...(w.waitAt && w.waitIn ? [{ location: w.waitAt, message: `${call} waits here, in \`${w.waitIn.fact.qualname}\`` }] : []),
      { location: w.takes.chain[0] ?? w.takes.site, message: `${name} acquired here by \`${w.other.fact.qualname}\`` },
      ...chainSites(program, w.takes),
    ];
    return finding(meta, { message, location: w.at, related, fixes: [], locks: [w.held.lock.id] });
  });
}

/**
 * `Atomics.wait` blocking the thread whose event loop must answer the worker that would notify it
 * (the "lock" held is that event loop).
 */
function eventLoopFinding(program: Program, w: WaitUnderLock): Finding {
  const other = `\`${w.other.fact.qualname}\``;
  const message = `Blocking wait on the event loop: \`${w.waitText}\` in ${program.where(w.fn)} blocks its event loop until ${other}, `
    + `in the worker it starts, calls \`Atomics.notify\`; but ${other} first waits for a reply to its message, which only an `
    + 'event handler here sends, and no handler runs while `Atomics.wait` blocks; neither can proceed.';
  const related = [
    { location: w.takes.chain[0] ?? w.takes.site, message: `${other} waits here for the reply` },
  ];
  return finding(meta, { message, location: w.at, related, fixes: [], locks: [] });
}

/** LO105 blocking-wait-under-lock. */
export const blockingWaitUnderLock: Rule = { meta, check };
