// `lockorder run` (dist/cli.js) and NODE_OPTIONS=--import=lockorder/register: the script runs
// under the Node runtime with its own arguments, stdout and exit code; usage errors exit 2 with
// one line.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ofRule, readRecords, root } from './runtime-node-helpers.mjs';

const cli = join(root, 'dist', 'cli.js');

/** Run `lockorder ...args` from the repository root. */
function lockorder(args, env = {}) {
  const clean = { ...process.env, ...env };
  delete clean.NODE_OPTIONS;
  delete clean.LOCKORDER_REPORT_DIR;
  return spawnSync(process.execPath, [cli, ...args], { cwd: root, env: clean, encoding: 'utf8', timeout: 30000 });
}

test('lockorder run: the script gets its arguments (even --help) and stdout; findings go to --report-dir', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lo-run-'));
  const run = lockorder(['run', '--report-dir', dir, 'test/runtime-node/inversion.mjs', '--help', 'two words']);
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout, 'done --help two words\n');
  assert.equal(ofRule(readRecords(dir), 'LO101').length, 1);
  assert.match(run.stderr, /^lockorder: 2 locks seen, 2 lock-order edges, findings: LO101 lock-order-inversion: 1\. Report: /m);
});

test('lockorder run keeps the exit code (13 for a deadlocked top-level await); --raise rejects instead', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lo-run-'));
  const hung = lockorder(['run', `--report-dir=${dir}`, 'test/runtime-node/deadlock.mjs']);
  assert.equal(hung.status, 13, hung.stderr);
  assert.equal(ofRule(readRecords(dir), 'LO110').length, 1);
  const raised = lockorder(['run', '--raise', '--report-dir', mkdtempSync(join(tmpdir(), 'lo-run-')), 'test/runtime-node/self-deadlock.mjs']);
  assert.equal(raised.status, 0, raised.stderr);
  assert.equal(raised.stdout, 'caught DeadlockError\n');
});

test('lockorder run: usage errors exit 2 with one clear line', () => {
  for (const [args, message] of [
    [['run'], /^lockorder: run needs a script/],
    [['run', '--raise'], /^lockorder: run needs a script/],
    [['run', '--bogus', 'x.js'], /^lockorder: unknown option for run: --bogus\n/],
    [['run', '--report-dir'], /^lockorder: --report-dir needs a value\n/],
    [['run', 'no/such/script.js'], /^lockorder: no such script: no\/such\/script\.js\n$/],
  ]) {
    const run = lockorder(args);
    assert.equal(run.status, 2, `${args.join(' ')}: ${run.stderr}`);
    assert.match(run.stderr, message);
    assert.equal(run.stdout, '');
  }
});

test('lockorder --help shows the run command', () => {
  const run = lockorder(['--help']);
  assert.equal(run.status, 0);
  assert.match(run.stdout, /lockorder run \[--report-dir DIR\] \[--raise\]/);
});

test('NODE_OPTIONS=--import=lockorder/register records any node process (as test runners start them)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lo-opts-'));
  const run = spawnSync(process.execPath, ['test/runtime-node/inversion.mjs'], {
    cwd: root, encoding: 'utf8', timeout: 30000,
    env: { ...process.env, NODE_OPTIONS: '--import=lockorder/register', LOCKORDER_REPORT_DIR: dir },
  });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout, 'done \n');
  assert.equal(ofRule(readRecords(dir), 'LO101').length, 1);
});

test('the npm start example (examples/node_runtime_demo.mjs) reports its inversion under lockorder run', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lo-demo-'));
  const run = lockorder(['run', '--report-dir', dir, 'examples/node_runtime_demo.mjs']);
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout, 'transfer: recorded\nreport: balances read\n');
  const [record] = ofRule(readRecords(dir), 'LO101');
  assert.deepEqual(record.locks.map((l) => l.name).sort(), ['accounts', 'audit']);
});
