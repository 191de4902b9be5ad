// LO102 self-deadlock: a non-reentrant lock acquired, directly or through calls, by the
// thread that already holds it.

import type { Program, Reacquire } from '../program';
import type { Finding, RelatedSite } from '../types';
import type { Rule } from './rule';
import { isTimed, timedNote, timedSeverity } from './timeouts';
import { chainSites, finding, lockName, textAt } from './describe';
import { rlockFix } from './lockFixes';
import { isPropertyGetter } from '../propertyReads';
import { isTaskLock } from '../lockKinds';
import { throughTryGuard } from '../tryGuards';
import { iteratedReacquires } from '../iteratedHolds';

const meta: Rule['meta'] = {
  code: 'LO102',
  name: 'self-deadlock',
  summary: 'A non-reentrant lock is acquired again by the thread that already holds it.',
  defaultSeverity: 'error',
  docs: {
    whatItDoes: 'Reports a `Lock` (or semaphore of one) that is acquired while the same lock is already held '
      + 'by the same code path: nested `with` blocks on one lock, or a method that holds `self._lock` and '
      + 'calls another method that takes `self._lock` again. A loop over a generator that holds the lock at each '
      + 'of its `yield`s runs its body with the lock held, so taking it in that body is reported too.',
    whyIsThisBad: 'A `threading.Lock` does not know its owner. The second `acquire()` waits for a release '
      + 'that can only come from the waiting thread itself, so the thread hangs forever.',
    example: [
      'class Counter:',
      '    _lock = threading.Lock()',
      '',
      '    def incr(self):',
      '        with self._lock:',
      '            self.n += 1',
      '',
      '    def decr(self):',
      '        with self._lock:',
      '            self.incr()  # LO102: incr() takes _lock again',
      '            self.n -= 2',
    ].join('\n'),
    useInstead: [
      'class Counter:',
      '    _lock = threading.RLock()  # reentrant: the holder may take it again',
    ].join('\n'),
    fixSafety: 'Changing `Lock()` to `RLock()` is safe when the lock is only used in `with` blocks. If the code '
      + 'also calls `acquire()`/`release()` on it, another thread may release it on purpose (a binary '
      + 'semaphore), which an `RLock` forbids, so the fix is then marked unsafe.',
  },
};

/** One finding per re-acquisition site. */
function check(program: Program): Finding[] {
  const seen = new Set<string>();
  const out: Finding[] = [];
  for (const r of [...program.reacquires, ...iteratedReacquires(program)]) {
    const key = `${r.at.file}:${r.at.range.start.line}:${r.at.range.start.character}:${r.held.lock.id}`;
    if (seen.has(key) || throughTryGuard(program, r)) continue;
    seen.add(key);
    out.push(reacquireFinding(program, r));
  }
  return out;
}

/**
 * A p-limit limiter re-entered: the task waits for another task of its own limiter while it
 * holds a slot, so once every slot is held that way no task finishes. The message names the limit.
 */
function limiterMessage(program: Program, r: Reacquire, name: string): string {
  const made = textAt(program.textOf(r.held.lock.created.file), r.held.lock.created.range);
  const n = /\(\s*(\d+)\s*\)/.exec(made)?.[1];
  const slots = n ? `its ${n} slot${n === '1' ? '' : 's'}` : 'its slots';
  const how = r.again.chain.length ? `calls \`${r.again.fn.fact.qualname}\`, which waits` : 'waits';
  return `Limiter exhaustion: ${program.where(r.fn)} runs as a task of ${name} and ${how} for another task of ${name}. `
    + `Once ${slots} are all held by tasks waiting like this, none of them can finish and the work stops.`;
}

/** FN3: the lock is held by a generator the loop is iterating, suspended at a `yield`. */
function iteratedMessage(program: Program, r: Reacquire, name: string, kind: string): string {
  const gen = r.iterated!.generator.fact.qualname;
  const what = r.again.chain.length ? `\`${r.again.fn.fact.qualname}\`, called here, acquires ${name}` : `${name} is acquired here`;
  return `Self-deadlock: ${program.where(r.fn)} loops over \`${gen}\`, which holds ${name} at each of its \`yield\`s, so ${name} is `
    + `held while the loop body runs; ${what} again; ${kind}, so the thread waits for itself forever.`;
}

/** The loop and the generator's hold (unless the body re-enters that same acquisition, as a nested loop over it does). */
function iteratedSites(r: Reacquire, name: string): RelatedSite[] {
  const gen = r.iterated!.generator.fact.qualname;
  const sites: RelatedSite[] = [{ location: r.iterated!.loop, message: `\`${gen}\` iterated here, suspended with ${name} held` }];
  const same = r.again.site.file === r.held.site.file && r.again.site.range.start.line === r.held.site.range.start.line
    && r.again.site.range.start.character === r.held.site.range.start.character;
  if (!same) sites.push({ location: r.held.site, message: `${name} held here by \`${gen}\` at each \`yield\`` });
  return sites;
}

function reacquireFinding(program: Program, r: Reacquire): Finding {
  const name = lockName(r.held);
  const article = /^[aeiou]/i.test(r.held.lock.kind) ? 'an' : 'a';
  const kind = `${article} \`${r.held.lock.kind}\` is not reentrant`;
  const who = isTaskLock(r.held.lock.kind) ? 'task' : 'thread';
  const reads = r.again.chain.length === 1 && isPropertyGetter(r.again.fn.fact) ? 'reads the property' : 'calls';
  const timed = isTimed(program, r.again) ? timedNote([r.again]) : '';
  const waits = `so the ${who} waits for itself ${timed ? 'until the timeout' : 'forever'}.${timed}`;
  const message = r.iterated ? iteratedMessage(program, r, name, kind)
    : r.held.lock.kind === 'p-limit' ? limiterMessage(program, r, name) : r.again.chain.length
    ? `Self-deadlock: ${program.where(r.fn)} holds ${name} and ${reads} \`${r.again.fn.fact.qualname}\`, which acquires ${name} again; ${kind}, ${waits}`
    : `Self-deadlock: ${name} is acquired again while this ${who} already holds it; ${kind}, ${waits}`;
  const related = [
    ...(r.iterated ? iteratedSites(r, name) : [{ location: r.held.site, message: `${name} first acquired here` }]),
    ...chainSites(program, r.again),
    { location: r.held.lock.created, message: `${name} created here as ${article} \`${r.held.lock.kind}\`` },
  ];
  const fix = rlockFix(program, r.held.lock.id);
  return timedSeverity(finding(meta, { message, location: r.at, related, fixes: fix ? [fix] : [], locks: [r.held.lock.id] }), timed);
}

/** LO102 self-deadlock. */
export const selfDeadlock: Rule = { meta, check };
