// `lockorder check` on TypeScript/JavaScript next to Python: one run over a .py and a .ts file
// (and a folder holding both) reports both languages' findings, with the TS/JS wording
// ("tasks", try/finally), in text, JSON and SARIF; .d.ts files and node_modules are skipped;
// and a run whose TypeScript front end bundle is missing names the TS files it could not read.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { cleanup, inverted, project, root, run } from './cli-run.mjs';

after(cleanup);

/** Nested runExclusive in opposite orders: LO101 at line 12 (`a.runExclusive`, column 11). */
const invertedTs = `import { Mutex } from 'async-mutex';

const a = new Mutex();
const b = new Mutex();

export async function one(): Promise<void> {
  await a.runExclusive(async () => { await b.runExclusive(() => 1); });
}

export async function two(): Promise<void> {
  await b.runExclusive(async () => {
    await a.runExclusive(() => 2);
  });
}
`;

/** acquire() with a throw before release(): LO104 at line 6. */
const leakJs = `const { Mutex } = require('async-mutex');

const lock = new Mutex();

async function pop(items) {
  const release = await lock.acquire();
  if (items.length === 0) throw new Error('empty');
  const item = items.pop();
  release();
  return item;
}

module.exports = { pop };
`;

test('one run over a .py and a .ts file reports both, and says "tasks" for the TypeScript one', () => {
  const dir = project({ 'app.py': inverted, 'app.ts': invertedTs });
  const r = run(['check', 'app.py', 'app.ts'], dir);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stdout, /^app\.py:15:14: LO101 .*Two threads running these can deadlock\.$/m);
  assert.match(r.stdout, /^app\.ts:12:11: LO101 Lock-order inversion: `b` acquired while holding `a` in `one`, but `a` acquired while holding `b` in `two`\. Two tasks running these can deadlock\.$/m);
  assert.match(r.stdout, /Found 2 problems \(LO101: 2\) in 2 files\.\n$/);
  assert.equal(r.stderr, '');
});

test('a folder is walked for TS/JS files too, skipping .d.ts files and node_modules', () => {
  const dir = project({
    'src/app.py': inverted, 'src/app.ts': invertedTs, 'src/queue.cjs': leakJs,
    'src/types.d.ts': invertedTs, 'node_modules/dep/index.js': leakJs, 'notes.txt': invertedTs,
  });
  const r = run(['check', '--format', 'json'], dir);
  assert.equal(r.status, 1, r.stderr);
  const out = JSON.parse(r.stdout);
  const where = out.findings.map((f) => `${f.file.replace(/\\/g, '/')}:${f.line} ${f.code}`).sort();
  assert.deepEqual(where, ['src/app.py:15 LO101', 'src/app.ts:12 LO101', 'src/queue.cjs:6 LO104']);
  const leak = out.findings.find((f) => f.code === 'LO104');
  assert.match(leak.message, /this `throw` leaves the function with it held \(line 7\)\. Release it in a `finally`/);
  assert.deepEqual(leak.fixes.map((f) => [f.title, f.safe]), [[
    'Release `lock` in a `finally`: wrap the code after acquire() in `try { … } finally { … }` (unsafe: the lock is also held over the code after the release, which uses names declared before it)',
    false,
  ]]);
  assert.equal(out.summary.files, 3);
});

test('SARIF output keeps its shape with TypeScript results', () => {
  const dir = project({ 'app.ts': invertedTs });
  const r = run(['check', '--format', 'sarif', 'app.ts'], dir);
  assert.equal(r.status, 1, r.stderr);
  const sarif = JSON.parse(r.stdout);
  const results = sarif.runs[0].results;
  assert.equal(results.length, 1);
  assert.equal(results[0].ruleId, 'LO101');
  assert.equal(results[0].locations[0].physicalLocation.artifactLocation.uri, 'app.ts');
  assert.equal(results[0].locations[0].physicalLocation.region.startLine, 12);
});

test('without the TypeScript front end bundle, Python is still checked and each TS file is named as skipped', () => {
  const dist = mkdtempSync(join(tmpdir(), 'lockorder-dist-'));
  try {
    cpSync(join(root, 'dist'), dist, { recursive: true });
    rmSync(join(dist, 'tsFrontEnd.js'));
    const dir = project({ 'app.py': inverted, 'app.ts': invertedTs });
    const r = spawnSync(process.execPath, [join(dist, 'cli.js'), 'check', 'app.py', 'app.ts'], { cwd: dir, encoding: 'utf8' });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stdout, /^app\.py:15:14: LO101 /m);
    assert.match(r.stderr, /^lockorder: warning: app\.ts: could not be analyzed: the typescript front end could not be loaded \(Cannot find module '\.\/tsFrontEnd\.js'\)$/m);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
    const py = spawnSync(process.execPath, [join(dist, 'cli.js'), 'check', '.'], { cwd: project({ 'app.py': inverted, 'lib/util.py': 'x = 1\n' }), encoding: 'utf8' });
    assert.equal(py.status, 1, py.stderr);
    assert.equal(py.stderr, '', 'a Python-only run never loads the TypeScript front end');
  } finally {
    rmSync(dist, { recursive: true, force: true });
  }
});

test('`// lockorder: ignore[LO101]` on the finding line suppresses it; one that suppresses nothing is named', () => {
  const suppressed = invertedTs.replace('await a.runExclusive(() => 2);', 'await a.runExclusive(() => 2); // lockorder: ignore[LO101]')
    .replace('const b = new Mutex();', 'const b = new Mutex(); // lockorder: ignore[LO102]');
  const dir = project({ 'app.ts': suppressed });
  const r = run(['check', 'app.ts'], dir);
  assert.equal(r.status, 0, r.stdout);
  assert.equal(r.stdout, 'No problems found in 1 file.\n');
  assert.equal(r.stderr, 'lockorder: warning: app.ts:4: Unused lockorder suppression: no LO102 finding is reported on this line\n');
});

test('a TS file with a syntax error is named with its line, and the rest of it is still checked', () => {
  const broken = invertedTs.replace('const b = new Mutex();', 'const b = new Mutex();\nconst = ;');
  const dir = project({ 'app.ts': broken });
  const r = run(['check', 'app.ts'], dir);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stdout, /^app\.ts:13:11: LO101 /m);
  assert.match(r.stderr, /^lockorder: warning: app\.ts: syntax error near line 5; analyzed as far as the parse allows$/m);
});

test('a TS module named like a Python one (locks.ts next to locks.py) does not stand for it, nor the other way round', () => {
  const dir = project({
    'locks.py': 'import threading\n\na = threading.Lock()\nb = threading.Lock()\n\n\ndef take_b():\n    with b:\n        pass\n',
    'app.py': 'from locks import a, b, take_b\n\n\ndef one():\n    with a:\n        take_b()\n\n\ndef two():\n    with b:\n        with a:\n            pass\n',
    'locks.ts': "import { Mutex } from 'async-mutex';\n\nexport const a = new Mutex();\n\nexport async function takeB(): Promise<void> {\n  await a.runExclusive(() => 1);\n}\n",
    'app.ts': "import { a, takeB } from './locks.js';\nimport { Mutex } from 'async-mutex';\n\nconst b = new Mutex();\n\nexport async function one(): Promise<void> {\n  await b.runExclusive(() => takeB());\n}\n\nexport async function two(): Promise<void> {\n  await a.runExclusive(() => b.runExclusive(() => 2));\n}\n",
  });
  const r = run(['check', '--format', 'json'], dir);
  assert.equal(r.status, 1, r.stderr);
  const where = JSON.parse(r.stdout).findings.map((f) => `${f.file}:${f.line} ${f.code}`).sort();
  assert.deepEqual(where, ['app.py:11 LO101', 'app.ts:11 LO101']);
});

test('TS/JS files below build output folders (dist, build, ...) are skipped unless the folder is named; Python files there are not', () => {
  const dir = project({
    'src/app.ts': invertedTs, 'dist/app.js': leakJs, 'build/lib/app.mjs': leakJs, 'build/tool.py': inverted,
  });
  let r = run(['check', '--format', 'json'], dir);
  assert.equal(r.status, 1, r.stderr);
  let out = JSON.parse(r.stdout);
  assert.deepEqual(out.findings.map((f) => `${f.file}:${f.line} ${f.code}`).sort(), ['build/tool.py:15 LO101', 'src/app.ts:12 LO101']);
  assert.equal(out.summary.files, 2);
  r = run(['check', '--format', 'json', 'dist'], dir);
  out = JSON.parse(r.stdout);
  assert.deepEqual(out.findings.map((f) => `${f.file}:${f.line} ${f.code}`), ['dist/app.js:6 LO104']);
});

test('a package that ships only build output (dist/) says nothing was found to read, and why, not "no Python files"', () => {
  const dir = project({ 'package.json': '{"name":"shipped"}\n', 'dist/index.js': leakJs });
  const r = run(['check'], dir);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'No problems found in 0 files.\n');
  assert.match(r.stderr, /no Python, TypeScript or JavaScript files found \(node_modules, \.d\.ts files and build output such as dist\/ are not read\)/);
});
