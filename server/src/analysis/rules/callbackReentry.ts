// LO107 callback-reentry: a non-reentrant lock taken by code Python may run in the middle of
// a critical section: a finalizer, a weakref or GC callback, a signal handler, or a logging
// handler reached from a log call made while holding the lock.

import type { Program } from '../program';
import type { Finding, RelatedSite } from '../types';
import { findReentries, type Reentry } from '../callbacks';
import type { Rule } from './rule';
import { callSteps, finding } from './describe';
import { rlockFix } from './lockFixes';

const meta: Rule['meta'] = {
  code: 'LO107',
  name: 'callback-reentry',
  summary: 'A lock is taken by a finalizer, GC or weakref callback, signal handler or logging handler that can run while it is held.',
  defaultSeverity: 'error',
  docs: {
    whatItDoes: 'Finds code Python runs on a thread that never called it: `__del__` methods, callbacks given '
      + 'to `weakref.ref`, `weakref.finalize`, `multiprocessing.util.Finalize` and `gc.callbacks`, handlers '
      + 'registered with `signal.signal`, and `emit`/`handle`/`filter` of logging handlers and filters. It '
      + 'reports a non-reentrant lock such code takes (directly or through calls) that normal code also holds; '
      + 'for logging, only when a log call is made while the lock is held. A `__del__` inherited from a base '
      + 'class reaches the overrides of the methods it calls on `self` in analyzed subclasses (the message '
      + 'names the subclass). Only held regions where a finalizer can run (they call something, build a '
      + 'container or drop a reference with `x = None` or `del`) count for finalizers and GC callbacks, and a finalizer that takes only its '
      + 'own object\'s lock through `self` is not reported: a thread holding that lock keeps the object alive. '
      + 'The same holds for the lock of an object the class builds itself (`self.x = C()`) and never hands '
      + 'out. Calls made with constant arguments (`self.close(False)`, or a default) do not follow branches '
      + 'those constants rule out (`if flag:`).',
    whyIsThisBad: 'Garbage collection can run a finalizer at any allocation, a signal handler runs between any '
      + 'two bytecodes of the main thread, and a log call runs the handlers at once. If that code takes a `Lock` '
      + 'the interrupted thread already holds, the thread waits for itself forever. Twelve of 21 real deadlocks '
      + 'studied in CPython and popular libraries had this shape.',
    example: [
      'class Connection:',
      '    def __del__(self):',
      '        self.pool.release(self)  # LO107: release() takes Pool._lock',
      '',
      'class Pool:',
      '    def get(self):',
      '        with self._lock:  # a GC here runs Connection.__del__',
      '            return Connection(self)',
    ].join('\n'),
    useInstead: [
      'class Connection:',
      '    def __del__(self):',
      '        self.pool.returned.append(self)  # defer: Pool drains the list later, under its lock',
    ].join('\n'),
    fixSafety: 'Making the lock an `RLock` is offered, and is safe only when the lock is used in `with` blocks '
      + 'alone (as for LO102). Often the better fix is to defer the work: have the finalizer or handler put it '
      + 'on a queue or set a flag that normal code checks, or not log while holding the lock.',
  },
};

const HOW: Record<Reentry['mechanism'], string> = {
  finalizer: 'A garbage collection',
  weakref: 'A garbage collection (through a weakref callback)',
  gc: 'A garbage collection (through gc.callbacks)',
  signal: 'A signal',
  logging: 'The log call',
  generator: 'A garbage collection (closing this generator unfinished)',
};

/** What the re-entry runs, by mechanism. */
const RUNS: Record<Reentry['mechanism'], string> = {
  finalizer: 'this callback', weakref: 'this callback', gc: 'this callback', signal: 'this handler', logging: 'this handler',
  generator: 'its `finally` code',
};

function check(program: Program): Finding[] {
  const seen = new Set<string>();
  const out: Finding[] = [];
  for (const r of findReentries(program)) {
    const key = `${r.takes.site.file}:${r.takes.site.range.start.line}:${r.takes.lock.id}:${r.entry.key}:${r.subclass?.key ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(reentryFinding(program, r));
  }
  return out;
}

function reentryFinding(program: Program, r: Reentry): Finding {
  const name = `\`${r.takes.lock.shortName}\``;
  const entry = `\`${r.subclass ? `${r.subclass.qualname}.${r.entry.fact.name}` : r.entry.fact.qualname}\``;
  // One parenthesis at most, never nested: "(inherited from `Base`; via `close`)".
  const notes = [
    ...(r.subclass ? [`inherited from \`${r.entry.cls?.qualname}\``] : []),
    ...(r.takes.chain.length ? [`via \`${r.takes.fn.fact.qualname}\``] : []),
  ];
  const how = notes.length ? ` (${notes.join('; ')})` : '';
  const first = r.heldAt[0];
  const line = (r.logCall ?? first.site).range.start.line + 1;
  const where = `line ${line}, in ${program.where(first.fn)}`;
  const message = r.mechanism === 'logging'
    ? `${name} is acquired in logging handler ${entry}${how}. The log call on ${where} is made while ${name} is held, so the handler runs on this thread and deadlocks it.`
    : `${name} is acquired in ${entry}${how}. ${HOW[r.mechanism]} while ${name} is held by this thread runs ${RUNS[r.mechanism]} and deadlocks the thread: for example on ${where}.`;
  const related: RelatedSite[] = [
    ...r.heldAt.map((h) => ({ location: h.site, message: `${name} held here, in ${program.where(h.fn)}` })),
    ...(r.logCall ? [{ location: r.logCall, message: 'log call made while holding it' }] : []),
    ...(r.registeredAt ? [{ location: r.registeredAt, message: `${entry} registered here` }] : []),
    ...callSteps(program, r.takes, name),
  ];
  const fix = rlockFix(program, r.takes.lock.id);
  return finding(meta, { message, location: r.takes.site, related, fixes: fix ? [fix] : [], locks: [r.takes.lock.id] });
}

/** LO107 callback-reentry. */
export const callbackReentry: Rule = { meta, check };
