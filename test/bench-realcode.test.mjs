// Runs bench/realcode.mjs offline on a prepared corpus cache (a fake unpacked release of one
// pinned library) and checks what a reviewer sees: the per-library row, the precision figures
// from a verdict file, the unreviewed and no-longer-reported findings, and one-line messages
// when apt-get is missing or the verdict file is malformed. No network is used.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bench = join(root, 'bench', 'realcode.mjs');
const made = [];
after(() => { for (const dir of made) rmSync(dir, { recursive: true, force: true }); });

/** LO101 at line 15, LO104 at line 20, LO102 at line 28; 29 lines. */
const app = `import threading

a = threading.Lock()
b = threading.Lock()


def one():
    with a:
        with b:
            pass


def two():
    with b:
        with a:
            pass


def three():
    a.acquire()
    if b.locked():
        return
    a.release()


def four():
    with b:
        with b:
            pass
`;

function tempDir() {
  const dir = mkdtempSync(join(tmpdir(), 'lockorder-realcode-'));
  made.push(dir);
  return dir;
}

/** A cache holding an unpacked paramiko release whose only file is `app`. */
function fakeCache() {
  const cache = tempDir();
  const pkg = join(cache, 'src', 'python3-paramiko_2.12.0-2', 'usr', 'lib', 'python3', 'dist-packages', 'paramiko');
  mkdirSync(pkg, { recursive: true });
  writeFileSync(join(pkg, 'app.py'), app);
  return cache;
}

function runBench(args, env) {
  return spawnSync(process.execPath, [bench, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
}

test('bench:realcode prints the library row and precision from the verdict file', () => {
  const cache = fakeCache();
  const verdicts = join(tempDir(), 'verdicts.json');
  writeFileSync(verdicts, JSON.stringify({
    version: 1,
    findings: {
      'paramiko/paramiko/app.py:15:LO101': { verdict: 'real', reason: 'ABBA' },
      'paramiko/paramiko/app.py:28:LO102': { verdict: 'false', reason: 'pretend' },
      'paramiko/paramiko/gone.py:3:LO107': { verdict: 'real', reason: 'fixed since' },
      'redis/redis/client.py:9:LO101': { verdict: 'false', reason: 'not in this run' },
    },
  }));
  const r = runBench(['paramiko'], { LOCKORDER_REALCODE_CACHE: cache, LOCKORDER_REALCODE_VERDICTS: verdicts });
  assert.equal(r.status, 0, r.stderr);
  const row = r.stdout.split('\n').find((l) => l.startsWith('paramiko '));
  assert.ok(row, r.stdout);
  // library, version, files, lines, seconds, LO101..LO107
  const cells = row.trim().split(/\s+/);
  assert.deepEqual([cells[0], cells[1], cells[2], cells[3]], ['paramiko', '2.12.0-2', '1', '29']);
  assert.deepEqual(cells.slice(5), ['1', '1', '0', '1', '0', '0', '0']);
  assert.match(r.stdout, /reviewed real: 1 {3}reviewed false: 1 {3}unreviewed: 0/);
  assert.match(r.stdout, /precision = real\/\(real\+false\) = 50% \(target >= 80%\), real findings: 1 \(target >= 15\)/);
  assert.match(r.stdout, /target NOT MET/);
  assert.match(r.stdout, /Unreviewed findings \(1, all rules\):\n {2}paramiko\/paramiko\/app\.py:20:LO104 /);
  assert.match(r.stdout, /does not report \(1\):\n {2}paramiko\/paramiko\/gone\.py:3:LO107 {2}\[real\]/);
  assert.doesNotMatch(r.stdout, /redis\/redis\/client\.py/);
});

test('bench:realcode without a verdict file says precision was not measured', () => {
  const cache = fakeCache();
  const r = runBench(['paramiko'], { LOCKORDER_REALCODE_CACHE: cache, LOCKORDER_REALCODE_VERDICTS: join(cache, 'none.json') });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /precision not measured/);
});

test('bench:realcode names a malformed verdict file in one line', () => {
  const cache = fakeCache();
  const verdicts = join(tempDir(), 'verdicts.json');
  writeFileSync(verdicts, JSON.stringify({ findings: { 'paramiko/paramiko/app.py:15:LO101': { verdict: 'maybe' } } }));
  const r = runBench(['paramiko'], { LOCKORDER_REALCODE_CACHE: cache, LOCKORDER_REALCODE_VERDICTS: verdicts });
  assert.equal(r.status, 2);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, /app\.py:15:LO101 needs "verdict": "real" or "false"/);
});

test('bench:realcode says plainly when apt-get is not there to fetch the corpus', () => {
  const emptyCache = tempDir();
  const noTools = tempDir();
  const r = runBench(['paramiko'], { LOCKORDER_REALCODE_CACHE: emptyCache, PATH: noTools });
  assert.equal(r.status, 2);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, /apt-get is not available/);
});

test('bench:realcode rejects a library that is not pinned', () => {
  const r = runBench(['leftpad'], { LOCKORDER_REALCODE_CACHE: tempDir() });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /unknown library leftpad; pinned: apscheduler, /);
});
