// The analysis cache after edits whose effect reaches other files: a lock renamed in the module
// that defines it, a base class's lock made reentrant, the base of a class changed, a module-level
// lock removed, a lock-taking property added. Each time only the edited file (and files reading a property whose
// locking changed) is parsed, the others' facts come from the cache, and `lockorder check` must print exactly what a run
// without the cache prints; each edit changes what the other file's code is reported for.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, project, root, run } from './cli-run.mjs';

after(cleanup);

/** The package whose files depend on each other, added to a copy of the Python fixtures. */
const files = {
  '__init__.py': '',
  'locks.py': 'import threading\n\nA = threading.Lock()\nB = threading.Lock()\n',
  'base.py': [
    'import threading', '', '',
    'class Base:',
    '    def __init__(self):',
    '        self._lock = threading.Lock()', '', '',
    'class Other:',
    '    def __init__(self):',
    '        self._lock = threading.RLock()', '',
  ].join('\n'),
  'props.py': [
    'import threading', '', '',
    'class Account:',
    '    def __init__(self):',
    '        self._lock = threading.Lock()',
    '        self._total = 0', '',
    '    @property',
    '    def total(self):',
    '        return self._total', '',
  ].join('\n'),
  'users.py': [
    'from xedit.locks import A, B',
    'from xedit.base import Base',
    'from xedit.props import Account', '', '',
    'def one():',
    '    with A:',
    '        with B:',
    '            pass', '', '',
    'def two():',
    '    with B:',
    '        with A:',
    '            pass', '', '',
    'class Child(Base):',
    '    def outer(self):',
    '        with self._lock:',
    '            self.inner()', '',
    '    def inner(self):',
    '        with self._lock:',
    '            pass', '', '',
    'def audit(account: Account):',
    '    with account._lock:',
    '        return account.total', '',
  ].join('\n'),
};

/** A copy of the fixtures with the package in src/xedit, and a cache folder. */
function corpus() {
  const dir = project({});
  cpSync(join(root, 'test', 'fixtures', 'python'), join(dir, 'src'), { recursive: true });
  mkdirSync(join(dir, 'src', 'xedit'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, 'src', 'xedit', name), text);
  return dir;
}

/** The findings reported in the package, as `file:line code` (what an edit is meant to change). */
function packageFindings(stdout) {
  return JSON.parse(stdout).findings.filter((f) => f.file.includes('xedit'))
    .map((f) => `${f.file.replace(/.*xedit[\\/]/, '')}:${f.line} ${f.code}`).sort();
}

test('after an edit that changes another file\'s findings, a cached run prints what a cold run prints', () => {
  const dir = corpus();
  const check = (extra) => run(['check', 'src', '--format', 'json', ...extra], dir);
  const cachedRun = () => check(['--cache-dir', join(dir, 'cache'), '--verbose']);
  const first = cachedRun();
  assert.equal(first.status, 1, first.stderr);
  let before = packageFindings(first.stdout);
  assert.ok(before.some((f) => f.startsWith('users.py') && f.endsWith('LO101')), before.join('\n'));
  assert.ok(before.some((f) => f.startsWith('users.py') && f.endsWith('LO102')), before.join('\n'));

  /** Edit one file of the package, then compare the cached run with a cold one. */
  const edit = (label, name, change) => {
    const file = join(dir, 'src', 'xedit', name);
    files[name] = change(files[name]);
    writeFileSync(file, files[name]);
    const cached = cachedRun();
    const cold = check(['--no-cache']);
    assert.equal(cached.stdout, cold.stdout, label);
    assert.equal(cached.stderr.replace(/^lockorder: (parser|\d+ of).*\n/gm, ''), cold.stderr, label);
    // The edited file is parsed, and files that read a property whose locking changed; the rest come from the cache.
    const [, fromCache, all] = /(\d+) of (\d+) files came from the cache/.exec(cached.stderr).map(Number);
    assert.ok(fromCache >= all - 8, `${label}: ${cached.stderr}`);
    const now = packageFindings(cached.stdout);
    assert.notDeepEqual(now, before, `${label}: the edit changes what users.py is reported for`);
    before = now;
  };
  edit('a module-level lock renamed where it is defined', 'locks.py', (t) => t.replace('B = threading.Lock()', 'C = threading.Lock()'));
  edit('the lock defined again under its old name', 'locks.py', (t) => `${t}B = threading.Lock()\n`);
  edit('a module-level lock removed', 'locks.py', (t) => t.replace('A = threading.Lock()\n', ''));
  edit('a base class\'s lock made reentrant', 'base.py', (t) => t.replace('self._lock = threading.Lock()', 'self._lock = threading.RLock()'));
  edit('the base class given a base with a plain lock', 'base.py', () => [
    'import threading', '', '',
    'class Plain:',
    '    def __init__(self):',
    '        self._lock = threading.Lock()', '', '',
    'class Base(Plain):',
    '    pass', '',
  ].join('\n'));
  edit('a property made to take a lock', 'props.py', (t) => t.replace('        return self._total', '        with self._lock:\n            return self._total'));
});
