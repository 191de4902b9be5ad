// LO104 unreleased-lock: an explicit `acquire()` with a path to the end of its function
// (a return, a raise, a branch, or falling off the end) that does not release the lock.

import type { ExplicitAcquire, Program } from '../program';
import { refText } from '../refText';
import type { Finding, Fix, RelatedSite } from '../types';
import type { Rule } from './rule';
import { finding, preparedFix, reindent, textAt } from './describe';

const meta: Rule['meta'] = {
  code: 'LO104',
  name: 'unreleased-lock',
  summary: 'A lock taken with acquire() is not released on every path out of the function.',
  defaultSeverity: 'warning',
  docs: {
    whatItDoes: 'Follows each explicit `lock.acquire()` to the end of its function and reports it when some '
      + 'path, such as an early `return`, a `raise`, or a branch without `release()`, leaves the function '
      + 'with the lock still held, although the function does release it elsewhere. Functions whose job is '
      + 'to take a lock for their caller (`__enter__`, `acquire_*`, `lock()`, or any function that never '
      + 'releases it) and locks used as signals (released by a function that never acquires them) are not reported, '
      + 'nor is an `acquire()` inside a `try:` whose `finally:` releases the lock, nor one followed by a `try:` '
      + 'whose every `except:` releases it (and re-raises) and whose `else:` releases it. A loop that takes each '
      + "element's lock (`for a in ordered: a.lock.acquire()`) is released by a later loop over the same elements "
      + '(`for a in reversed(ordered): a.lock.release()`, or over a list the first loop appends each element to); '
      + 'when some path misses that loop, the finding says so and advises a releasing loop in a `finally:`.',
    whyIsThisBad: 'The lock stays held after the function returns. The next thread that needs it, or this '
      + 'thread the next time round, waits forever.',
    example: [
      'def update(self, item):',
      '    self._lock.acquire()  # LO104',
      '    if item is None:',
      '        return            # leaves with _lock held',
      '    self.items.append(item)',
      '    self._lock.release()',
    ].join('\n'),
    useInstead: [
      'def update(self, item):',
      '    with self._lock:',
      '        if item is None:',
      '            return',
      '        self.items.append(item)',
    ].join('\n'),
    fixSafety: 'The fix turns the pair into a `with` block (`async with` for asyncio locks), which releases '
      + 'the lock on every way out, early returns and exceptions included: that is what fixes the leak. It is '
      + 'offered when the `acquire()` and its `release()` are statements of one block, and is safe unless '
      + 'the code between them also releases the lock (a `with` block would then release it twice, which '
      + 'raises `RuntimeError`); the fix is then marked unsafe and names that line. In TypeScript and JavaScript the '
      + 'fix keeps `await m.acquire()` and wraps the code after it in `try { … } finally { release(); }`, moving the '
      + 'release statement into the `finally`. It is marked unsafe when code after the release uses a name declared '
      + 'before it (the `try` then runs to the end of the block, holding the lock longer), or when a deprecated '
      + '`m.release()` also runs inside (it would run twice).',
  },
};

const HAND_OFF = /^(__enter__|__aenter__)$|acquire|lock/i;

function check(program: Program): Finding[] {
  const out: Finding[] = [];
  for (const a of program.explicitAcquires) {
    const rel = a.fact.release;
    if (!rel || rel.released || HAND_OFF.test(a.fn.fact.name)) continue;
    // A function that never releases the lock hands it to its caller on purpose; signal locks
    // are released by another thread by design.
    if (!program.ownership.releasedIn.get(a.fn.key)?.has(a.lock.id) || program.ownership.signalLocks.has(a.lock.id)) continue;
    out.push(unreleased(program, a));
  }
  return out;
}

function leakMessage(kind: string | undefined): string {
  switch (kind) {
    case 'return': return 'this `return` leaves the function with it held';
    case 'raise': return 'this `raise` leaves the function with it held';
    case 'branch': return 'it is released on some branches only; the others reach the end of the function with it held';
    default: return 'the function ends here without releasing it';
  }
}

/**
 * `async with` for asyncio primitives (`await lock.acquire()`): they have no `__enter__`, so a
 * plain `with` raises TypeError. The kind says so when the lock is known; else the `await`.
 */
function withKeyword(program: Program, a: ExplicitAcquire): string {
  if (a.lock.kind.startsWith('asyncio.')) return 'async with';
  const stmt = a.fact.release?.acquireStatement;
  const awaited = stmt && /^\s*await\b/.test(textAt(program.textOf(a.file), stmt));
  return awaited ? 'async with' : 'with';
}

/** TS/JS: a `throw` or a rejected `await` leaves it held; the cure is a `finally`, not a `with`. */
function asyncUnreleased(program: Program, a: ExplicitAcquire): Finding {
  const rel = a.fact.release!;
  const leakText = rel.leak ? textAt(program.textOf(a.file), rel.leak) : '';
  const why = rel.leakKind === 'raise' && !leakText.startsWith('throw')
    ? 'if this awaited promise rejects, the exception leaves the function with it held'
    : rel.leakKind === 'raise' ? 'this `throw` leaves the function with it held' : leakMessage(rel.leakKind);
  const related: RelatedSite[] = rel.leak ? [{ location: { file: a.file, range: rel.leak }, message: why }] : [];
  // A computed key (`locks[k?]`, the `?` marking an instance the walk cannot tell) reads as written.
  const message = `\`${refText(a.fact.lock).replace(/\?\]/g, ']')}\` is acquired here but not released on every path: ${why}`
    + `${rel.leak ? ` (line ${rel.leak.start.line + 1})` : ''}. Release it in a \`finally\`: \`try { … } finally { release(); }\`.`;
  const fixes = rel.fix ? [preparedFix(a.file, rel.fix)] : [];
  return finding(meta, { message, location: { file: a.file, range: a.fact.range }, related, fixes, locks: [a.lock.id] });
}

function unreleased(program: Program, a: ExplicitAcquire): Finding {
  if (program.symbols.modules.get(a.file)?.facts.language === 'typescript') return asyncUnreleased(program, a);
  const rel = a.fact.release!;
  const name = `\`${refText(a.fact.lock)}\``;
  const keyword = withKeyword(program, a);
  const related: RelatedSite[] = rel.leak ? [{ location: { file: a.file, range: rel.leak }, message: leakMessage(rel.leakKind) }] : [];
  const where = rel.leak ? ` (line ${rel.leak.start.line + 1})` : '';
  const message = rel.eachLoop
    ? `${name} is acquired here for each element (\`${rel.eachLoop}\`) but not released on every path: ${leakMessage(rel.leakKind)}`
      + `${where}. Release them in a loop over the same elements in a \`finally:\`.`
    : `${name} is acquired here but not released on every path: ${leakMessage(rel.leakKind)}`
      + `${where}. Use \`${keyword} ${refText(a.fact.lock)}:\` instead.`;
  const fix = withBlockFix(program, a, keyword);
  return finding(meta, { message, location: { file: a.file, range: a.fact.range }, related, fixes: fix ? [fix] : [], locks: [a.lock.id] });
}

/** Replace `x.acquire()` ... `x.release()` (siblings in one block) by a `with x:` (or `async with x:`) block. */
function withBlockFix(program: Program, a: ExplicitAcquire, keyword: string): Fix | undefined {
  const rel = a.fact.release!;
  if (!rel.acquireStatement || !rel.releaseStatement) return undefined;
  const text = program.textOf(a.file);
  const acq = rel.acquireStatement;
  const relStmt = rel.releaseStatement;
  const key = refText(a.fact.lock);
  const edits = [
    { file: a.file, range: acq, newText: `${keyword} ${key}:` },
    ...reindent(a.file, text, acq.start.line + 1, relStmt.start.line - 1, 4),
    { file: a.file, range: { start: { line: relStmt.start.line, character: 0 }, end: { line: relStmt.start.line + 1, character: 0 } }, newText: '' },
  ];
  const inner = innerRelease(program, a, acq.start.line, relStmt.start.line);
  const title = `Use \`${keyword} ${key}:\` instead of acquire()/release()`
    + (inner === undefined ? '' : ` (unsafe: line ${inner + 1} also releases it, which the \`${keyword}\` block would release again)`);
  return { title, safe: inner === undefined, edits };
}

/** The first line strictly between the pair where the same function releases the same lock, if any. */
function innerRelease(program: Program, a: ExplicitAcquire, from: number, to: number): number | undefined {
  const key = refText(a.fact.lock);
  const releases = program.symbols.modules.get(a.file)?.facts.releases ?? [];
  return releases.find((r) => r.functionId === a.fact.functionId && r.range.start.line > from
    && r.range.start.line < to && refText(r.lock) === key)?.range.start.line;
}

/** LO104 unreleased-lock. */
export const unreleasedLock: Rule = { meta, check };
