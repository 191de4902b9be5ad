// Benchmark of edge recall (npm run bench:recall): runs CPython's own test suites for threading,
// queue, logging, concurrent.futures and multiprocessing under `python3 -m lockorder run` with
// LOCKORDER_GRAPH=1, keeps the runtime's edges between locks the standard library creates, taken
// in the standard library (not in the tests), and prints how many the static graph of the same
// stdlib also has (target: at least 80%), with the missed edges grouped by cause.
// LOCKORDER_RECALL_EDGES=FILE keeps the runtime edges in FILE and reuses them on later runs.

import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { edgeText, matchEdges, pairKey } from './recall-match.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { Project } = createRequire(import.meta.url)('../dist/analysis.js');
const python = process.env.LOCKORDER_PYTHON || 'python3';
const TARGET = 80;
const SUITE_SECONDS = Number(process.env.LOCKORDER_RECALL_TIMEOUT || 300);
/** Folders of the stdlib left out of the static analysis (tests, GUI, tooling, installed packages). */
const SKIPPED = new Set(['site-packages', '__pycache__', 'test', 'tests', 'idle_test', 'idlelib', 'tkinter', 'turtledemo', 'lib2to3', 'ensurepip', 'pydoc_data']);

/** The interpreter's stdlib folder and version. */
function interpreter() {
  const out = spawnSync(python, ['-c', 'import sys, sysconfig; print(sysconfig.get_paths()["stdlib"]); print(sys.executable); print(sys.version.split()[0])'], { encoding: 'utf8' });
  if (out.status !== 0) {
    console.error(`bench:recall: cannot run ${python}: ${(out.stderr || out.error?.message || '').trim().split('\n').pop()}`);
    process.exit(2);
  }
  const [stdlib, executable, version] = out.stdout.trim().split('\n');
  return { stdlib, executable, version };
}

/**
 * The suites, as arguments after `lockorder run` (quick subsets where the whole suite takes too long).
 * A suite this interpreter does not ship (pyenv builds may lack test_concurrent_futures) is taken
 * from another installed CPython's test folder and run as a script: it then drives this stdlib.
 */
function suites(py, work) {
  const list = [
    { name: 'threading', args: ['-m', 'unittest', 'test.test_threading'] },
    { name: 'queue', args: ['-m', 'unittest', 'test.test_queue'] },
    { name: 'logging', args: ['-m', 'unittest', 'test.test_logging'] },
  ];
  const futures = join(py.stdlib, 'test', 'test_concurrent_futures');
  if (existsSync(futures) || existsSync(`${futures}.py`)) list.push({ name: 'concurrent.futures', args: ['-m', 'unittest', 'test.test_concurrent_futures'] });
  else {
    const other = borrowed('test_concurrent_futures.py');
    if (other) {
      const copy = join(work, 'cf_suite.py');
      writeFileSync(copy, readFileSync(other));
      list.push({ name: 'concurrent.futures', args: [copy], note: `test file borrowed from ${other}` });
    } else list.push({ name: 'concurrent.futures', missing: 'no test_concurrent_futures found' });
  }
  const driver = join(work, 'mp_suite.py');
  writeFileSync(driver, 'import unittest\nimport test._test_multiprocessing as suite\n'
    + "suite.install_tests_in_module_dict(globals(), 'fork')\n"
    + "if __name__ == '__main__':\n    unittest.main()\n");
  list.push({ name: 'multiprocessing', args: [driver], note: "test._test_multiprocessing with the 'fork' start method, as test_multiprocessing_fork runs it" });
  return list;
}

/** A single-file suite from another pyenv CPython 3 (newest first), or undefined. */
function borrowed(file) {
  const base = join(process.env.HOME || '/root', '.pyenv', 'versions');
  if (!existsSync(base)) return undefined;
  const versions = readdirSync(base).filter((v) => /^3\.\d+\.\d+$/.test(v)).sort((a, b) => b.localeCompare(a, undefined, { numeric: true }));
  for (const v of versions) {
    const path = join(base, v, 'lib', `python${v.split('.').slice(0, 2).join('.')}`, 'test', file);
    if (existsSync(path)) return path;
  }
  return undefined;
}

/** Run one suite under the runtime; SIGINT at the timeout (so the graph is written), SIGKILL 30 s later. */
function runSuite(suite, reports) {
  const env = { ...process.env, LOCKORDER_GRAPH: '1', PYTHONPATH: join(root, 'runtime', 'python') };
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(python, ['-m', 'lockorder', 'run', '--report-dir', reports, ...suite.args], { env, cwd: reports, stdio: ['ignore', 'ignore', 'pipe'] });
    let tail = '';
    child.stderr.on('data', (d) => { tail = (tail + d).slice(-4000); });
    let timedOut = false;
    const soft = setTimeout(() => { timedOut = true; child.kill('SIGINT'); }, SUITE_SECONDS * 1000);
    const hard = setTimeout(() => child.kill('SIGKILL'), (SUITE_SECONDS + 30) * 1000);
    child.on('close', (code) => {
      clearTimeout(soft);
      clearTimeout(hard);
      const ran = /^Ran (\d+) tests?/m.exec(tail)?.[1] ?? '?';
      resolve({ seconds: (Date.now() - started) / 1000, status: timedOut ? 'timed out' : code === 0 ? 'ok' : `exit ${code}`, ran });
    });
  });
}

/** The graph records' edges in every report of a folder. */
function graphEdges(reports) {
  const edges = [];
  for (const name of readdirSync(reports).filter((n) => n.endsWith('.jsonl'))) {
    for (const line of readFileSync(join(reports, name), 'utf8').split('\n')) {
      if (!line.includes('"kind": "graph"')) continue;
      try {
        edges.push(...JSON.parse(line).edges);
      } catch {
        // a torn last line: skipped
      }
    }
  }
  return edges;
}

/** Whether a file is stdlib code (not its tests, not installed packages). */
function stdlibCode(file, stdlib) {
  if (!file.startsWith(stdlib + sep)) return false;
  const parts = file.slice(stdlib.length + 1).split(sep);
  return !parts.slice(0, -1).some((p) => SKIPPED.has(p));
}

/** Python files of the stdlib, without the skipped folders. */
function pythonFiles(dir, out = []) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIPPED.has(e.name)) pythonFiles(p, out);
    } else if (e.name.endsWith('.py')) out.push(p);
  }
  return out;
}

/** The static graph and lock classes of the stdlib. */
async function staticGraph(stdlib) {
  const started = Date.now();
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const files = [];
  for (const path of pythonFiles(stdlib)) {
    try {
      files.push({ path, text: decoder.decode(readFileSync(path)) });
    } catch {
      // not UTF-8: skipped, as the CLI does
    }
  }
  const project = await Project.create({ warm: false });
  try {
    await project.addFiles(files);
    const edges = project.orderEdges();
    const { locks } = project.analyze();
    return { files: files.length, edges, locks, seconds: (Date.now() - started) / 1000 };
  } finally {
    project.dispose();
  }
}

/** Print the missed edges by cause, a few examples each. */
function printMissed(missed, stdlib) {
  console.log('missed edges by cause:');
  for (const [cause, edges] of [...missed].sort((a, b) => b[1].length - a[1].length)) {
    console.log(`  ${edges.length}  ${cause}`);
    for (const e of edges.slice(0, 5)) console.log(`       ${edgeText(e, stdlib)}`);
  }
}

const py = interpreter();
const work = mkdtempSync(join(tmpdir(), 'lockorder-recall-'));
console.log(`bench:recall: ${py.executable} (Python ${py.version}), stdlib ${py.stdlib}, ${SUITE_SECONDS} s per suite`);
const runtime = [];
const saved = process.env.LOCKORDER_RECALL_EDGES;
if (saved && existsSync(saved)) {
  runtime.push(...JSON.parse(readFileSync(saved, 'utf8')));
  console.log(`  runtime edges read from ${saved} (LOCKORDER_RECALL_EDGES): the suites are not run again`);
}
for (const suite of runtime.length ? [] : suites(py, work)) {
  if (suite.missing) {
    console.log(`  ${suite.name.padEnd(20)} skipped: ${suite.missing}`);
    continue;
  }
  const reports = mkdtempSync(join(work, 'reports-'));
  const run = await runSuite(suite, reports);
  const edges = graphEdges(reports);
  const kept = edges.filter((e) => [e.from.file, e.to.file, e.site.file].every((f) => stdlibCode(f, py.stdlib)));
  runtime.push(...kept);
  console.log(`  ${suite.name.padEnd(20)} ${run.seconds.toFixed(0).padStart(4)} s  ${run.status.padEnd(9)} ${String(run.ran).padStart(4)} tests  ${String(edges.length).padStart(5)} edges, ${kept.length} between stdlib locks taken in the stdlib${suite.note ? `  [${suite.note}]` : ''}`);
}
rmSync(work, { recursive: true, force: true });
if (saved && !existsSync(saved)) writeFileSync(saved, JSON.stringify(runtime));

const distinct = new Map();
for (const e of runtime) if (!distinct.has(pairKey(e.from.name, e.to.name))) distinct.set(pairKey(e.from.name, e.to.name), e);
const stat = await staticGraph(py.stdlib);
console.log(`static: ${stat.files} stdlib files (tests, GUI and tooling folders left out) analysed in ${stat.seconds.toFixed(1)} s: ${stat.edges.length} order edges, ${stat.locks.length} lock classes`);
const { found, missed, renames } = matchEdges([...distinct.values()], stat.edges, stat.locks);
const recall = distinct.size ? (100 * found.length) / distinct.size : 0;
console.log(`runtime edges kept (distinct lock-name pairs): ${distinct.size}`);
console.log(`  of which found statically: ${found.length}`);
for (const e of found) console.log(`       ${edgeText(e, py.stdlib)}`);
console.log(`recall: ${recall.toFixed(1)}% (target >= ${TARGET}%: ${recall >= TARGET ? 'met' : 'NOT met'})`);
printMissed(missed, py.stdlib);
console.log(`lock names that differ between the runtime and the static analysis (same creation line, or a Queue's lock): ${renames.size}`);
for (const [runtimeName, staticName] of renames) console.log(`  runtime ${runtimeName}  static ${staticName}`);
