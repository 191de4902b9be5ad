// Large file sets are parsed in worker threads, whose facts travel to the main thread as
// JSON (server/src/analysis/parallel/factsCodec.ts) and skip the text shortcuts of a tree
// with errors differently. A user must get the same findings either way: this test analyzes
// the fixtures and some threaded standard-library modules both ways and compares the results.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';

const { Project } = createRequire(import.meta.url)('../dist/analysis.js');
const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'python');

/** The fixture files, each as its own module path so they do not shadow each other. */
function fixtureFiles() {
  return readdirSync(fixtures, { recursive: true }).map(String).filter((f) => f.endsWith('.py')).sort()
    .map((f) => ({ path: join('/fixtures', f), text: readFileSync(join(fixtures, f), 'utf8') }));
}

/** Some threaded modules of this machine's Python standard library. */
function stdlibFiles() {
  const lib = execFileSync('python3', ['-c', 'import sysconfig; print(sysconfig.get_paths()["stdlib"])']).toString().trim();
  const names = ['threading.py', 'queue.py', 'logging/__init__.py', 'logging/handlers.py', 'concurrent/futures/thread.py',
    'concurrent/futures/_base.py', 'concurrent/futures/process.py', 'multiprocessing/pool.py', 'multiprocessing/managers.py',
    'multiprocessing/synchronize.py', 'asyncio/locks.py', 'asyncio/queues.py', 'importlib/_bootstrap.py', 'sched.py'];
  return names.map((n) => join(lib, n)).filter(existsSync).map((p) => ({ path: p, text: readFileSync(p, 'utf8') }));
}

/** A file with syntax errors, so the tree-walking fallback of the text shortcuts runs too. */
const broken = {
  path: '/broken/half_typed.py',
  text: 'import threading\na = threading.Lock()\nb = threading.Lock()\ndef f(:\n    with a:\n        with b:\n            g(a, b.c, x=None\n'
    + 'def h():\n    with b:\n        with a:\n            pass\n',
};

/** Everything a user sees of an analysis: findings, file problems and counts, as JSON. */
function visible(result) {
  return JSON.stringify(result, (key, value) => (value instanceof Map ? [...value] : value instanceof Set ? [...value] : value));
}

test('parsing in worker threads gives the same findings as parsing in the main thread', async () => {
  const files = [...fixtureFiles(), ...stdlibFiles(), broken];
  assert.ok(files.length >= 40, 'enough files for the worker pool');

  const pooled = await Project.create({ warm: false });
  let progress = 0;
  await pooled.addFiles(files, (done) => { progress = done; });
  assert.equal(progress, files.length, 'progress reaches every file');
  const inWorkers = pooled.analyze();
  pooled.dispose();

  const single = await Project.create({ warm: false });
  for (const f of files) single.setFile(f.path, f.text);
  const inThread = single.analyze();
  single.dispose();

  assert.ok(inThread.findings.length > 50, `the files have findings to compare (${inThread.findings.length})`);
  assert.ok(inThread.findings.some((f) => f.location.file === broken.path), 'the half-typed file is analyzed as far as it parses');
  assert.equal(visible(inWorkers), visible(inThread));
});

/** A package whose files read lock-taking properties of another file: `total` looks like it takes a lock, `balance` hides it. */
function propertyReaders() {
  const account = [
    'import threading', '', '',
    'class Account:',
    '    def __init__(self):',
    '        self._lock, self._total = threading.Lock(), 0', '',
    '    @property',
    '    def total(self):',
    '        with self._lock:',
    '            return self._total', '',
    '    @property',
    '    def balance(self):',
    '        x = self._total',
    '# a comment at the margin, inside the getter',
    '        with self._lock:',
    '            return x', '',
  ].join('\n');
  const reader = (i, prop) => [
    'import threading',
    'from .account import Account', '',
    `GATE_${i} = threading.Lock()`, '', '',
    `def audit_${i}(account: Account):`,
    `    with GATE_${i}:`,
    `        before = account.${prop}`,
    `    with account._lock:`,
    `        with GATE_${i}:`,
    '            pass',
    '    return before', '',
  ].join('\n');
  const files = [{ path: '/pkg/account.py', text: account }];
  for (let i = 0; i < 10; i++) files.push({ path: `/pkg/total_${i}.py`, text: reader(i, 'total') });
  for (let i = 0; i < 10; i++) files.push({ path: `/pkg/balance_${i}.py`, text: reader(i, 'balance') });
  for (let i = 0; i < 25; i++) files.push({ path: `/pkg/other_${i}.py`, text: `def f_${i}(a):\n    return a.total + a.balance\n` });
  return files;
}

test('reads of another file\'s lock-taking properties give the same facts and findings in worker threads', async () => {
  const files = propertyReaders();
  const pooled = await Project.create({ warm: false });
  await pooled.addFiles(files);
  const single = await Project.create({ warm: false });
  for (const f of files) single.setFile(f.path, f.text);
  for (const f of files) assert.equal(visible(pooled.factsOf(f.path)), visible(single.factsOf(f.path)), f.path);
  const inWorkers = pooled.analyze();
  const inThread = single.analyze();
  pooled.dispose();
  single.dispose();
  const lo101 = inThread.findings.filter((f) => f.code === 'LO101').map((f) => f.location.file);
  assert.ok(lo101.includes('/pkg/total_3.py') && lo101.includes('/pkg/balance_3.py'), `both properties take the lock: ${lo101}`);
  assert.equal(visible(inWorkers), visible(inThread));
});
