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
