// "Run Current File" and "Run Tests with Lock-Order Checking" for JavaScript and TypeScript:
// the command lines that client/src/nodeRun.ts builds (and the choice of test runner in
// client/src/testRunner.ts), compiled in memory, are run here for real, as the editor's task
// would run them, against the repository's runtime/node (the same folder the .vsix ships): a
// .mjs, a .cjs and (through tsx) a .ts program, and `npm test` in a Node workspace, each leaving
// the report the editor shows.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, copyFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { root } from './lsp-client.mjs';
import { bankJs } from './node-programs.mjs';

const require = createRequire(import.meta.url);
const { buildSync } = require('esbuild');

/** A client/src module, compiled in memory and loaded (it must not need the vscode module). */
function loadClientModule(name) {
  const out = buildSync({ entryPoints: [join(root, 'client', 'src', name)], bundle: true, platform: 'node', format: 'cjs', write: false, logLevel: 'silent' });
  const module = { exports: {} };
  new Function('module', 'exports', 'require', out.outputFiles[0].text)(module, module.exports, require);
  return module.exports;
}

const { nodeRunPlan, npmTestPlan, isNodeFile, noTypeScriptRunner, withRuntimeImport } = loadClientModule('nodeRun.ts');
const { npmTestScript, testRunnerFor } = loadClientModule('testRunner.ts');
const register = join(root, 'runtime', 'node', 'register.mjs');

/** Run a plan as the task would: its command and arguments, the editor's environment plus its own, in `cwd`. */
function runPlan(plan, cwd) {
  const env = { ...process.env, ...plan.env };
  if (!('NODE_OPTIONS' in plan.env)) delete env.NODE_OPTIONS;
  delete env.NODE_TEST_CONTEXT; // set by the node:test running this file; an editor's terminal has none
  return spawnSync(plan.command, plan.args, { cwd, env, encoding: 'utf8', timeout: 60000 });
}

/** The records of the report files in a folder. */
function records(dir) {
  let files = [];
  try { files = readdirSync(dir).filter((f) => f.endsWith('.jsonl')); } catch { return []; }
  return files.flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)));
}

/** The 1-based line of `text` holding `needle` (after `after`). */
function lineNo(text, needle, after = '') {
  const start = after ? text.indexOf(after) : 0;
  return text.slice(0, text.indexOf(needle, start)).split('\n').length;
}

describe('Run Current File with Lock-Order Checking on JavaScript and TypeScript', () => {
  let dir, reportDir, setup;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'lo-noderun-'));
    symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'bank', private: true, type: 'module' }));
    reportDir = join(dir, '.lockorder');
    setup = { register, reportDir, settings: { watchdogSeconds: 10, raise: false } };
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('runs a .mjs file with the runtime preloaded: its LO101 is in the report, at the file\'s lines', () => {
    const file = join(dir, 'bank.mjs');
    writeFileSync(file, bankJs);
    const plan = nodeRunPlan(file, setup, false);
    assert.equal(plan.command, 'node');
    const run = runPlan(plan, dir);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stderr, /lockorder: 2 locks seen, 2 lock-order edges, findings: LO101 lock-order-inversion: 1\./);
    const [record] = records(reportDir).filter((r) => r.rule === 'LO101' && r.argv[0] === file);
    assert.ok(record, 'an LO101 record for bank.mjs');
    const sites = record.edges.map((e) => `${e.stack[0].file}:${e.stack[0].line}`).sort();
    assert.deepEqual(sites, [`${file}:${lineNo(bankJs, 'await audit.runExclusive')}`, `${file}:${lineNo(bankJs, 'await accounts.runExclusive', 'function report')}`].sort());
  });

  it('runs a .cjs file (require of async-mutex is instrumented too)', () => {
    const file = join(dir, 'inversion.cjs');
    const text = "const { Mutex } = require('async-mutex');\nconst a = new Mutex();\nconst b = new Mutex();\n"
      + '(async () => {\n  await a.runExclusive(() => b.runExclusive(() => {}));\n  await b.runExclusive(() => a.runExclusive(() => {}));\n})();\n';
    writeFileSync(file, text);
    const run = runPlan(nodeRunPlan(file, setup, false), dir);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(records(reportDir).filter((r) => r.rule === 'LO101' && r.argv[0] === file).length, 1);
  });

  it('passes the lockorder.runtime.raise setting on: a self-deadlock rejects with DeadlockError instead of hanging', () => {
    const file = join(dir, 'self.mjs');
    copyFileSync(join(root, 'test', 'runtime-node', 'self-deadlock.mjs'), file);
    const plan = nodeRunPlan(file, { ...setup, settings: { raise: true } }, false);
    const run = runPlan(plan, dir);
    assert.match(run.stdout, /caught DeadlockError/);
    assert.equal(records(reportDir).filter((r) => r.rule === 'LO102' && r.argv[0] === file).length, 1);
  });

  it('runs a .ts file through the workspace\'s tsx: the report names the .ts lines', () => {
    const file = join(dir, 'typed.ts');
    copyFileSync(join(root, 'test', 'runtime-node', 'typed.ts'), file);
    const plan = nodeRunPlan(file, setup, true);
    assert.deepEqual(plan.args.slice(0, 1), ['--import=tsx']);
    const run = runPlan(plan, dir);
    const [record] = records(reportDir).filter((r) => r.rule === 'LO102' && r.argv[0] === file);
    assert.ok(record, `an LO102 record for typed.ts; stderr: ${run.stderr}`);
    const text = readFileSync(file, 'utf8');
    const acquire = record.edges.find((e) => e.role !== 'held').stack[0];
    assert.equal(acquire.file, file);
    assert.equal(acquire.line, lineNo(text, 'ts asks again'));
  });

  it('says to install tsx when a .ts file has no runner in the workspace, and runs nothing', () => {
    const plan = nodeRunPlan(join(dir, 'typed.ts'), setup, false);
    assert.equal(plan.problem, noTypeScriptRunner);
    assert.match(plan.problem, /Install tsx \(npm install --save-dev tsx\)/);
  });

  it('knows which files it runs with Node', () => {
    assert.deepEqual(['a.js', 'a.mjs', 'a.cjs', 'a.ts', 'a.mts', 'a.cts', 'a.tsx', 'a.py', 'a.json', 'a.jsonl'].map(isNodeFile),
      [true, true, true, true, true, true, true, false, false, false]);
  });
});

describe('Run Tests with Lock-Order Checking in a Node workspace', () => {
  let dir;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'lo-npmtest-'));
    symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'shop', private: true, type: 'module', scripts: { test: 'node --test' } }));
    writeFileSync(join(dir, 'bank.test.mjs'), "import { test } from 'node:test';\n" + bankJs.replace('await transfer();\nawait report();', "test('transfer then report', async () => {\n  await transfer();\n  await report();\n});"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('runs `npm test` with the runtime in NODE_OPTIONS: the test file\'s LO101 is reported, and only the process that saw locks prints a summary', () => {
    const reportDir = join(dir, '.lockorder');
    const plan = npmTestPlan({ register, reportDir, settings: { raise: false } }, undefined, process.platform);
    assert.deepEqual([plan.command, ...plan.args], [process.platform === 'win32' ? 'npm.cmd' : 'npm', 'test']);
    const run = runPlan(plan, dir);
    assert.equal(run.status, 0, run.stdout + run.stderr);
    const found = records(reportDir).filter((r) => r.rule === 'LO101');
    assert.equal(found.length, 1, JSON.stringify(found));
    assert.equal(found[0].argv[0], join(dir, 'bank.test.mjs'));
    const summaries = (run.stdout + run.stderr).split('\n').filter((l) => l.includes('lockorder: ') && l.includes('locks seen'));
    assert.equal(summaries.length, 1, summaries.join('\n'));
  });

  it('keeps the NODE_OPTIONS the editor already has, adding the runtime after them', () => {
    const plan = npmTestPlan({ register, reportDir: '/r', settings: {} }, '--max-old-space-size=4096', 'linux');
    assert.match(plan.env.NODE_OPTIONS, /^--max-old-space-size=4096 --import=file:\/\/\S+\/runtime\/node\/register\.mjs$/);
    assert.equal(withRuntimeImport('  ', '/x y/register.mjs'), '--import=file:///x%20y/register.mjs');
  });

  it('picks npm for a Node folder, pytest for a Python one, the active editor\'s language when it has both, else asks', () => {
    const node = npmTestScript(JSON.stringify({ scripts: { test: 'node --test' } }));
    assert.equal(node, 'node --test');
    assert.equal(npmTestScript(JSON.stringify({ scripts: { test: 'echo "Error: no test specified" && exit 1' } })), undefined);
    assert.equal(npmTestScript('{ not json'), undefined);
    assert.equal(npmTestScript(undefined), undefined);
    assert.equal(testRunnerFor({ npmTest: node, python: false }, undefined), 'npm');
    assert.equal(testRunnerFor({ npmTest: undefined, python: true }, 'javascript'), 'pytest');
    assert.equal(testRunnerFor({ npmTest: undefined, python: false }, undefined), 'pytest');
    assert.equal(testRunnerFor({ npmTest: node, python: true }, 'typescript'), 'npm');
    assert.equal(testRunnerFor({ npmTest: node, python: true }, 'python'), 'pytest');
    assert.equal(testRunnerFor({ npmTest: node, python: true }, undefined), 'ask');
  });
});
