// The Node runtime's reports, each provoked for real in a child process under
// `node --import runtime/node/register.mjs`: LO101, LO102 (with and without --raise), LO104,
// LO110 (a real promise deadlock and a holder stuck on a never-settling promise); consistent
// orders give nothing; the program's output, arguments and exit code stay its own.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { join } from 'node:path';
import { fixtures, lineOf, ofRule, runUnderRuntime } from './runtime-node-helpers.mjs';

test('LO101: opposite orders of two mutexes are reported with both edges, the run unchanged', () => {
  const run = runUnderRuntime('inversion.mjs', { args: ['--flag', 'x y'] });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout, 'done --flag x y\n');
  const [record] = ofRule(run.records, 'LO101');
  assert.ok(record, JSON.stringify(run.records));
  assert.equal(run.records.length, 1);
  assert.equal(record.version, 1);
  assert.equal(record.language, 'javascript');
  assert.deepEqual(record.locks.map((l) => l.name).sort(), ['accounts', 'audit']);
  const file = join(fixtures, 'inversion.mjs');
  const sites = record.edges.map((e) => e.stack[0]).map((f) => [f.file, f.line]).sort((a, b) => a[1] - b[1]);
  assert.deepEqual(sites, [[file, lineOf('inversion.mjs', 'transfer takes audit')], [file, lineOf('inversion.mjs', 'report takes accounts')]]);
  assert.ok(record.edges.every((e) => Number.isInteger(e.stack[0].column)));
  assert.match(run.stderr, /lockorder: 2 locks seen, 2 lock-order edges, findings: LO101 lock-order-inversion: 1\. Report: .*lockorder-\d+\.jsonl \(1 record\)\./);
});

test('consistent orders, sibling tasks contending for one mutex and semaphores give nothing', () => {
  const run = runUnderRuntime('consistent.mjs');
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout, 'consistent done\n');
  assert.deepEqual(run.records, []);
  assert.match(run.stderr, /findings: none\. No report written/);
});

test('LO102: runExclusive inside its own callback is reported at once; the run then ends with 13', () => {
  const run = runUnderRuntime('self-deadlock.mjs');
  assert.equal(run.status, 13, run.stderr);
  const [record] = ofRule(run.records, 'LO102');
  assert.ok(record, JSON.stringify(run.records));
  assert.equal(run.records.length, 1);
  const roles = Object.fromEntries(record.edges.map((e) => [e.role, e.stack[0].line]));
  assert.deepEqual(roles, { held: lineOf('self-deadlock.mjs', 'holds it'), acquire: lineOf('self-deadlock.mjs', 'asks again') });
});

test('LO102 with --raise: the re-request rejects with DeadlockError instead of hanging', () => {
  const run = runUnderRuntime('self-deadlock.mjs', { raise: true });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout, 'caught DeadlockError\n');
  assert.equal(ofRule(run.records, 'LO102').length, 1);
});

test('LO102 for acquire() twice in one chain: reported when the loop empties; --raise rejects it then', () => {
  const plain = runUnderRuntime('self-acquire.mjs');
  assert.equal(plain.status, 13, plain.stderr);
  assert.equal(plain.stdout, '');
  const [record] = ofRule(plain.records, 'LO102');
  assert.equal(record.edges.find((e) => e.role === 'acquire').stack[0].line, lineOf('self-acquire.mjs', '// second'));
  assert.equal(record.edges.find((e) => e.role === 'held').stack[0].line, lineOf('self-acquire.mjs', '// first'));
  const raised = runUnderRuntime('self-acquire.mjs', { raise: true });
  assert.equal(raised.stdout, 'caught DeadlockError\n');
  assert.equal(ofRule(raised.records, 'LO102').length, 1);
});

test('LO110: a real two-mutex promise deadlock says who waits for which lock held by whom; exit code 13 kept', () => {
  const run = runUnderRuntime('deadlock.mjs');
  assert.equal(run.status, 13, run.stderr);
  assert.equal(ofRule(run.records, 'LO101').length, 1);
  const [record] = ofRule(run.records, 'LO110');
  assert.ok(record, JSON.stringify(run.records));
  const ids = Object.fromEntries(record.locks.map((l) => [l.name, l.id]));
  const waits = record.threads.map((t) => [t.waits_for, t.holds, t.stack[0].line]).sort((a, b) => a[2] - b[2]);
  assert.deepEqual(waits, [
    [ids.right, [ids.left], lineOf('deadlock.mjs', 'one waits for right')],
    [ids.left, [ids.right], lineOf('deadlock.mjs', 'two waits for left')],
  ]);
  assert.match(record.message, /waits for right .*held by chain \d+ \(taken at .*deadlock\.mjs:\d+\)/);
  assert.match(run.stderr, /LO110 deadlock: 1/);
});

test('LO110 with --raise: the deadlocked waits reject with DeadlockError (LO101 comes first and rejects)', () => {
  const run = runUnderRuntime('deadlock.mjs', { raise: true });
  assert.equal(run.stdout, 'caught LockOrderViolation\n');
  assert.equal(ofRule(run.records, 'LO101').length, 1);
});

test('LO110: a holder stuck on a never-settling promise, and the chain waiting for it', () => {
  const run = runUnderRuntime('stuck-holder.mjs');
  assert.equal(run.status, 13, run.stderr);
  const [record] = ofRule(run.records, 'LO110');
  assert.ok(record, JSON.stringify(run.records));
  const holder = record.threads.find((t) => t.state === 'awaiting a promise that never settles');
  assert.equal(holder.stack[0].line, lineOf('stuck-holder.mjs', 'holder takes jobs'));
  const waiter = record.threads.find((t) => t.waits_for !== undefined);
  assert.equal(waiter.stack[0].line, lineOf('stuck-holder.mjs', 'main waits for jobs'));
  assert.match(record.message, /awaits a promise that never settles/);
  assert.equal(ofRule(run.records, 'LO104').length, 0);
});

test('LO104 (CommonJS require): a lock still held at exit, with where it was taken', () => {
  const run = runUnderRuntime('unreleased.cjs');
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout, 'cjs done\n');
  const records = ofRule(run.records, 'LO104');
  assert.equal(records.length, 1, JSON.stringify(run.records));
  assert.equal(records[0].locks[0].name, 'config');
  assert.equal(records[0].edges[0].stack[0].line, lineOf('unreleased.cjs', 'config never released'));
});

test('Promise.all children hold their parent\'s locks; a queued waiter runs in its own chain', () => {
  const run = runUnderRuntime('children.mjs');
  assert.equal(run.status, 0, run.stderr);
  const cycles = ofRule(run.records, 'LO101');
  assert.equal(cycles.length, 1, JSON.stringify(run.records));
  assert.deepEqual(cycles[0].locks.map((l) => l.name).sort(), ['inner', 'outer']);
  const child = cycles[0].edges.find((e) => e.stack[0].line === lineOf('children.mjs', 'child takes inner'));
  assert.ok(child, JSON.stringify(cycles[0].edges));
});

test('tryAcquire and withTimeout keep their errors; waitForUnlock on a held mutex is LO102', () => {
  const run = runUnderRuntime('timed.mjs');
  assert.equal(run.stdout, 'try: true\ntimeout: true\nvalue: 1\n');
  assert.equal(run.status, 13, run.stderr);
  const records = ofRule(run.records, 'LO102');
  assert.equal(records.length, 1, JSON.stringify(run.records));
  assert.equal(records[0].edges.find((e) => e.role === 'acquire').stack[0].line, lineOf('timed.mjs', 'waits for itself'));
  assert.equal(run.records.length, 1);
});

test('LO110 on SIGTERM and SIGINT: a deadlocked program that stays alive is reported when stopped, then dies of the signal', async () => {
  const { spawn } = await import('node:child_process');
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { readRecords, register } = await import('./runtime-node-helpers.mjs');
  for (const signal of ['SIGTERM', 'SIGINT']) {
    const reportDir = mkdtempSync(join(tmpdir(), 'lo-node-'));
    const env = { ...process.env, LOCKORDER_REPORT_DIR: reportDir };
    delete env.NODE_OPTIONS;
    const child = spawn(process.execPath, ['--import', register, join(fixtures, 'signal.mjs')], { env });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    await new Promise((resolve) => child.stdout.once('data', resolve));
    const killer = setTimeout(() => child.kill('SIGKILL'), 20000);
    child.kill(signal);
    const [code, got] = await new Promise((resolve) => child.on('exit', (c, s) => resolve([c, s])));
    clearTimeout(killer);
    assert.equal(got, signal, `exit ${code}: ${stderr}`);
    const [record] = ofRule(readRecords(reportDir), 'LO110');
    assert.ok(record, stderr);
    assert.match(record.message, new RegExp(`^Deadlock \\(${signal}\\)`));
    assert.deepEqual(record.threads.map((t) => t.stack[0].line).sort(), [lineOf('signal.mjs', 'waits for right'), lineOf('signal.mjs', 'waits for left')].sort());
    assert.match(stderr, /LO110 deadlock: 1/);
  }
});

test('with --enable-source-maps, sites name the TypeScript source lines', async () => {
  const { build } = await import('esbuild');
  const { rmSync } = await import('node:fs');
  const out = join(fixtures, `typed-${process.pid}.mjs`);
  await build({ entryPoints: [join(fixtures, 'typed.ts')], outfile: out, format: 'esm', platform: 'node', sourcemap: 'inline', logLevel: 'silent' });
  try {
    const run = runUnderRuntime(`typed-${process.pid}.mjs`, { nodeArgs: ['--enable-source-maps'] });
    const [record] = ofRule(run.records, 'LO102');
    assert.ok(record, run.stderr);
    const acquire = record.edges.find((e) => e.role === 'acquire').stack[0];
    assert.equal(acquire.file, join(fixtures, 'typed.ts'));
    assert.equal(acquire.line, lineOf('typed.ts', 'ts asks again'));
    assert.equal(record.edges.find((e) => e.role === 'held').stack[0].line, lineOf('typed.ts', 'ts holds it'));
  } finally {
    rmSync(out, { force: true });
  }
});

test('worker threads record too; their records carry their threadId', () => {
  const run = runUnderRuntime('worker.mjs');
  assert.equal(run.status, 0, run.stderr);
  const inWorker = /in worker (\d+)/.exec(run.stdout);
  assert.ok(inWorker, run.stdout);
  const [record] = ofRule(run.records, 'LO101');
  assert.ok(record, JSON.stringify(run.records));
  assert.equal(record.threadId, Number(inWorker[1]));
  assert.notEqual(record.threadId, 0);
});

test('the program\'s own error reaches the user as without the runtime (message, exit code)', async () => {
  const { spawnSync } = await import('node:child_process');
  const plain = spawnSync(process.execPath, [join(fixtures, 'throws.mjs'), 'x'], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  const run = runUnderRuntime('throws.mjs', { args: ['x'] });
  assert.equal(run.status, plain.status);
  assert.equal(run.status, 1);
  const firstLines = (text) => text.split('\n').filter((l) => l.startsWith('RangeError'));
  assert.deepEqual(firstLines(run.stderr), firstLines(plain.stderr));
  assert.deepEqual(firstLines(run.stderr), ['RangeError: boom x']);
  assert.deepEqual(run.records, []);
});

test('async-lock (require): keys in opposite orders are LO101; a queued task runs in the chain that queued it', () => {
  const run = runUnderRuntime('async-lock.cjs');
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout, 'batch ok true\n');
  const cycles = ofRule(run.records, 'LO101');
  assert.equal(cycles.length, 1, JSON.stringify(run.records));
  assert.deepEqual(cycles[0].locks.map((l) => l.name).sort(), ['lock["accounts"]', 'lock["audit"]']);
  const lines = cycles[0].edges.map((e) => e.stack[0].line).sort((a, b) => a - b);
  assert.deepEqual(lines, [lineOf('async-lock.cjs', 'audit under accounts'), lineOf('async-lock.cjs', 'accounts under audit')]);
});

test('a lock taken through async-mutex\'s withTimeout (CommonJS, deep library frames) and never released: LO104 names the user\'s line', () => {
  const run = runUnderRuntime('timed-held.cjs');
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout, 'taken\n');
  assert.deepEqual(run.records.map((r) => r.rule), ['LO104']);
  const [held] = run.records[0].edges[0].stack;
  assert.equal(held.file, join(fixtures, 'timed-held.cjs'));
  assert.equal(held.line, lineOf('timed-held.cjs', 'taken through withTimeout'));
});

test('async-mutex: release() right after acquire(), before its promise settles, frees that acquisition: nothing held at exit', () => {
  const run = runUnderRuntime('release-at-once.mjs');
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout, 'false 1\n');
  assert.deepEqual(run.records, []);
});

test('async-lock: a function past maxExecutionTime no longer holds its key (the library handed it on): no finding at exit', () => {
  const run = runUnderRuntime('async-lock-timelimit.cjs');
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout, 'callback: Maximum execution time is exceeded key\npromise: Maximum execution time is exceeded key\nnext ran\n');
  assert.deepEqual(run.records, []);
});

test('async-lock (import): re-asking for a held key is LO102; --raise rejects it with DeadlockError', () => {
  const run = runUnderRuntime('async-lock-self.mjs');
  assert.equal(run.status, 13, run.stderr);
  const [record] = ofRule(run.records, 'LO102');
  assert.ok(record, JSON.stringify(run.records));
  assert.equal(record.edges.find((e) => e.role === 'acquire').stack[0].line, lineOf('async-lock-self.mjs', 'asks again'));
  assert.equal(record.edges.find((e) => e.role === 'held').stack[0].line, lineOf('async-lock-self.mjs', 'holds cache'));
  const raised = runUnderRuntime('async-lock-self.mjs', { raise: true });
  assert.equal(raised.stdout, 'caught DeadlockError\n');
  assert.equal(raised.status, 0, raised.stderr);
});

test('p-limit: a task waiting on its own full limiter is LO102; --raise rejects it; map still works', () => {
  const run = runUnderRuntime('p-limit.mjs');
  assert.equal(run.status, 13, run.stderr);
  assert.equal(run.stdout, 'map 2,4,6 active 0 pending 0\n');
  const [record] = ofRule(run.records, 'LO102');
  assert.ok(record, JSON.stringify(run.records));
  assert.equal(run.records.length, 1);
  assert.equal(record.locks[0].name, 'limit');
  assert.equal(record.edges.find((e) => e.role === 'acquire').stack[0].line, lineOf('p-limit.mjs', 'waits for its own limiter'));
  const raised = runUnderRuntime('p-limit.mjs', { raise: true });
  assert.equal(raised.stdout, 'map 2,4,6 active 0 pending 0\ncaught DeadlockError\n');
  assert.equal(raised.status, 0, raised.stderr);
});

test('1,000 concurrent chains x 100 acquisitions each: every distinct edge once, nothing reported', () => {
  const run = runUnderRuntime('many-chains.mjs');
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /^rss \d+ MB\n$/);
  assert.deepEqual(run.records, []);
  assert.match(run.stderr, /lockorder: 10 locks seen, 9 lock-order edges, findings: none\./);
});

test('a report that cannot be written changes nothing in the run: one line on stderr, same output and exit code', async () => {
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'lo-nodir-'));
  writeFileSync(join(dir, 'file'), 'not a folder');
  const run = runUnderRuntime('inversion.mjs', { env: { LOCKORDER_REPORT_DIR: join(dir, 'file', 'reports') } });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout, 'done \n');
  assert.equal(run.stderr.split('\n').filter((l) => l.startsWith('lockorder: cannot write report')).length, 1);
  assert.match(run.stderr, /findings: LO101 lock-order-inversion: 1\. No report written/);
});
