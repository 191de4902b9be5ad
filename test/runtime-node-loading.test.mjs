// How the Node runtime finds the lock libraries, run for real in child processes: a library's
// entry imported by its file path (as Vitest imports a test's dependencies) is instrumented, and
// a CommonJS library of a shape the runtime does not know (p-limit 3, which Jest requires) is
// handed back untouched, so the program runs as it would without the runtime; and Jest and
// Vitest, which load a test's modules their own way, record what their tests do.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { spawnSync } from 'node:child_process';
import { fixtures, lineOf, readRecords, register, root, runUnderRuntime } from './runtime-node-helpers.mjs';

test('a library imported by the file path of its entry is instrumented; two locks on one line get their own names', () => {
  const run = runUnderRuntime('entry-by-path.mjs');
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout, 'done\n');
  assert.deepEqual(run.records.map((r) => r.rule), ['LO101']);
  const [record] = run.records;
  assert.deepEqual(record.locks.map((l) => l.name).sort(), ['books', 'journal']);
  const sites = record.edges.map((e) => e.stack[0].line).sort((a, b) => a - b);
  assert.deepEqual(sites, [lineOf('entry-by-path.mjs', 'journal after books'), lineOf('entry-by-path.mjs', 'books after journal')]);
});

test('a CommonJS p-limit whose export is the function itself (p-limit 3, as Jest requires it) works as without the runtime', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lo-plimit3-'));
  mkdirSync(join(dir, 'node_modules', 'p-limit'), { recursive: true });
  writeFileSync(join(dir, 'node_modules', 'p-limit', 'package.json'), JSON.stringify({ name: 'p-limit', version: '3.1.0', main: 'index.js' }));
  // The shape of p-limit 3: `module.exports = pLimit`, a limiter with activeCount and no default.
  writeFileSync(join(dir, 'node_modules', 'p-limit', 'index.js'), [
    'module.exports = (concurrency) => {',
    '  const limit = (fn, ...args) => Promise.resolve().then(() => fn(...args));',
    '  limit.activeCount = 0;',
    '  return limit;',
    '};',
  ].join('\n'));
  writeFileSync(join(dir, 'main.cjs'), [
    "const pLimit = require('p-limit');",
    'const limit = pLimit(2);',
    "limit(async () => 'ran').then((v) => console.log(typeof pLimit, v));",
  ].join('\n'));
  const run = runUnderRuntime(relative(fixtures, join(dir, 'main.cjs')), { cwd: dir });
  assert.equal(run.stderr.includes('Error'), false, run.stderr);
  assert.equal(run.stdout, 'function ran\n');
  assert.equal(run.status, 0);
});

/** Run a test runner's CLI on one file of test/runtime-node/runners with the runtime in NODE_OPTIONS. */
function runRunner(bin, args, nodeOptions = '') {
  const reportDir = mkdtempSync(join(tmpdir(), 'lo-runner-'));
  const env = { ...process.env, NODE_OPTIONS: `${nodeOptions} --import=${register}`, LOCKORDER_REPORT_DIR: reportDir, CI: 'true' };
  const run = spawnSync(process.execPath, [join(root, 'node_modules', bin), ...args], { cwd: root, env, encoding: 'utf8', timeout: 120000 });
  return { ...run, records: readRecords(reportDir) };
}

for (const [runner, bin, file, args] of [
  ['Jest', 'jest/bin/jest.js', 'ledger.jest.test.cjs', ['--rootDir', 'test/runtime-node/runners', '--testMatch', '**/ledger.jest.test.cjs']],
  ['Vitest', 'vitest/vitest.mjs', 'ledger.vitest.test.mjs', ['run', '--root', 'test/runtime-node/runners', 'ledger.vitest.test.mjs']],
]) {
  test(`${runner} under NODE_OPTIONS=--import=lockorder/register: its worker records the inversion the test's two cases make`, () => {
    const run = runRunner(bin, args);
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.deepEqual(run.records.map((r) => r.rule), ['LO101'], run.stdout + run.stderr);
    const [record] = run.records;
    assert.deepEqual(record.locks.map((l) => l.name).sort(), ['books', 'journal']);
    const mark = runner.toLowerCase();
    const sites = record.edges.map((e) => e.stack[0].line).sort((a, b) => a - b);
    assert.deepEqual(sites, [lineOf(`runners/${file}`, `${mark}: journal after books`), lineOf(`runners/${file}`, `${mark}: books after journal`)]);
  });
}

test('Jest running tests as ES modules (--experimental-vm-modules): async-lock, loaded by its file path, records the inversion', () => {
  const file = 'keys.jest-esm.test.mjs';
  const run = runRunner('jest/bin/jest.js', ['--rootDir', 'test/runtime-node/runners', '--testMatch', `**/${file}`], '--experimental-vm-modules');
  assert.equal(run.status, 0, run.stdout + run.stderr);
  assert.deepEqual(run.records.map((r) => r.rule), ['LO101'], run.stdout + run.stderr);
  const [record] = run.records;
  assert.deepEqual(record.locks.map((l) => l.name).sort(), ['lock["index"]', 'lock["refs"]']);
  const sites = record.edges.map((e) => e.stack[0].line).sort((a, b) => a - b);
  assert.deepEqual(sites, [lineOf(`runners/${file}`, 'jest-esm: index after refs'), lineOf(`runners/${file}`, 'jest-esm: refs after index')]);
});

test('Jest running tests as ES modules: async-mutex, whose ES-module entry Jest evaluates itself, records the inversion', () => {
  const file = 'ledger.jest-esm.test.mjs';
  const run = runRunner('jest/bin/jest.js', ['--rootDir', 'test/runtime-node/runners', '--testMatch', `**/${file}`], '--experimental-vm-modules');
  assert.equal(run.status, 0, run.stdout + run.stderr);
  assert.deepEqual(run.records.map((r) => r.rule), ['LO101'], run.stdout + run.stderr);
  const [record] = run.records;
  assert.deepEqual(record.locks.map((l) => l.name).sort(), ['books', 'journal']);
  const sites = record.edges.map((e) => e.stack[0].line).sort((a, b) => a - b);
  assert.deepEqual(sites, [lineOf(`runners/${file}`, 'jest-esm: journal after books'), lineOf(`runners/${file}`, 'jest-esm: books after journal')]);
});

test('a .mts program run with tsx after the runtime (NODE_OPTIONS, then --import tsx/esm) imports p-queue once, instrumented', () => {
  const reportDir = mkdtempSync(join(tmpdir(), 'lo-tsx-'));
  const env = { ...process.env, LOCKORDER_REPORT_DIR: reportDir };
  delete env.NODE_OPTIONS;
  // tsx, registered after the runtime, takes the query off the runtime's tagged URL and puts it
  // back: the library's entry was wrapped again and again, without end (memory grew to GBs).
  const run = spawnSync(process.execPath, ['--import', register, '--import', 'tsx/esm', join(fixtures, 'tsx-queue.mts')], {
    cwd: root, env, encoding: 'utf8', timeout: 20000,
  });
  assert.equal(run.signal, null, 'the program hung');
  assert.equal(run.stdout, 'shelved counted\n', run.stderr);
  assert.equal(run.status, 0);
  const records = readRecords(reportDir);
  assert.deepEqual(records.map((r) => r.rule), ['LO101']);
  assert.deepEqual(records[0].locks.map((l) => l.name).sort(), ['books', 'queue']);
});
