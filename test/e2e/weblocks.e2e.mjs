// Web Locks under the Node runtime, on Node 24 (Web Locks came in Node 24.5; the editor-test
// setup, scripts/editors-setup.sh, installs Node 24, so this runs in `npm run test:editors`).
// Each report is provoked for real in a child process under `node --import register.mjs`, with a
// timeout, so a deadlock the runtime failed to end can never hang the test.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { root, tools } from './tools.mjs';

const fixtures = join(root, 'test', 'runtime-node');

/** Run a fixture under the runtime with Node 24; its exit status, output and report records. */
function run24(fixture, { raise = false } = {}) {
  const { node24 } = tools('node24');
  const reportDir = mkdtempSync(join(tmpdir(), 'lo-weblocks-'));
  const env = { ...process.env, LOCKORDER_REPORT_DIR: reportDir, LOCKORDER_RAISE: raise ? '1' : '0' };
  delete env.NODE_OPTIONS;
  delete env.NODE_TEST_CONTEXT;
  const child = spawnSync(node24, ['--import', join(root, 'runtime', 'node', 'register.mjs'), join(fixtures, fixture)], {
    cwd: root, env, encoding: 'utf8', timeout: 30000,
  });
  const records = readdirSync(reportDir).flatMap((f) => readFileSync(join(reportDir, f), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)));
  rmSync(reportDir, { recursive: true, force: true });
  return { status: child.status, signal: child.signal, stdout: child.stdout, stderr: child.stderr, records };
}

/** The 1-based line of a fixture holding `marker`. */
function lineOf(fixture, marker) {
  return readFileSync(join(fixtures, fixture), 'utf8').split('\n').findIndex((l) => l.includes(marker)) + 1;
}

test('Web Locks: two chains taking two locks in opposite orders is LO101; ifAvailable and nested shared requests give nothing', () => {
  const run = run24('web-locks.mjs');
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout, 'ifAvailable null\n');
  assert.deepEqual(run.records.map((r) => r.rule), ['LO101'], JSON.stringify(run.records));
  const [record] = run.records;
  assert.deepEqual(record.locks.map((l) => [l.name, l.kind]).sort(), [['locks["accounts"]', 'WebLock'], ['locks["audit"]', 'WebLock']]);
  const sites = record.edges.map((e) => e.stack[0].line).sort((a, b) => a - b);
  assert.deepEqual(sites, [lineOf('web-locks.mjs', 'transfer takes audit'), lineOf('web-locks.mjs', 'report takes accounts')]);
});

test('Web Locks: a chain asking for the exclusive lock it holds is LO102 at once; with --raise the request rejects with DeadlockError', () => {
  const run = run24('web-locks-self.mjs');
  assert.equal(run.status, 13, `Node exits 13: the top-level await never settles\n${run.stderr}`);
  const [record] = run.records.filter((r) => r.rule === 'LO102');
  assert.ok(record, JSON.stringify(run.records));
  assert.equal(record.locks[0].name, 'locks["cache"]');
  assert.equal(record.edges.find((e) => e.role === 'acquire').stack[0].line, lineOf('web-locks-self.mjs', 'asks again'));
  assert.equal(record.edges.find((e) => e.role === 'held').stack[0].line, lineOf('web-locks-self.mjs', 'holds it'));
  const raised = run24('web-locks-self.mjs', { raise: true });
  assert.equal(raised.stdout, 'caught DeadlockError\n');
  assert.equal(raised.status, 0, raised.stderr);
});

test('Web Locks: a real deadlock between two chains is reported when the event loop empties (LO110: who waits for which lock, held by whom)', () => {
  const run = run24('web-locks-deadlock.mjs');
  assert.equal(run.status, 13, run.stderr);
  const [deadlock] = run.records.filter((r) => r.rule === 'LO110');
  assert.ok(deadlock, JSON.stringify(run.records));
  const waits = deadlock.threads.map((t) => [t.stack[0].line, deadlock.locks.find((l) => l.id === t.waits_for)?.name]).sort((a, b) => a[0] - b[0]);
  assert.deepEqual(waits, [[lineOf('web-locks-deadlock.mjs', 'left waits for right'), 'locks["right"]'], [lineOf('web-locks-deadlock.mjs', 'right waits for left'), 'locks["left"]']]);
  assert.match(run.stderr, /findings: LO101 lock-order-inversion: 1, LO110 deadlock: 1\./);
});
