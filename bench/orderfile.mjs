// Benchmark of long order files (run after `npm run build`): the engine's extra time for a
// 3,000- and a 20,000-line `lockorder.order` (one-lock lines, relation chains, a
// contradiction through the whole file, wildcards), `lockorder check` end to end with a
// 20,000-line file, and the language server per keystroke on an open 20,000-line order file
// (didChange -> its diagnostics; hover, completion, definition, also at a huge character).
// Also --exclude globs with 30 repeated `**/` segments on a 25-folder-deep tree (the old
// regex matcher grew about 3.6x per segment). Bounds: order file checked in <= 1,000 ms at
// 20,000 lines; editor edit p95 <= 1,000 ms; hover/completion/definition p95 <= 50 ms; the
// 30-segment excludes add <= 500 ms to the check. Before, 3,000 lines took 38 s.

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { root, startServer, uriOf } from '../test/lsp-client.mjs';

const { analyze } = createRequire(import.meta.url)('../dist/analysis.js');
const bounds = { checkMs: 1000, editP95: 1000, featureP95: 50, globMs: 500 };
const lockCount = 200;

/** A module `app` with `lockCount` locks; f_i nests l_{i+1} inside l_i (one order edge each). */
function program() {
  const out = ['import threading', ''];
  for (let i = 0; i < lockCount; i++) out.push(`l${i} = threading.Lock()`);
  for (let i = 0; i + 1 < lockCount; i++) out.push('', `def f${i}():`, `    with l${i}:`, `        with l${i + 1}:`, '            pass');
  return { path: join(root, 'bench-app', 'app.py'), text: `${out.join('\n')}\n` };
}

/** Order files of `n` lines in several shapes (the real locks declared in reverse, so LO106 fires). */
const shapes = {
  'one-lock lines': (n) => Array.from({ length: n }, (_, i) => (i < lockCount ? `app.l${lockCount - 1 - i}` : `app.gen.x${i}`)),
  'relation chain': (n) => Array.from({ length: n }, (_, i) => `app.gen.y${i} < ${i + 1 < n ? `app.gen.y${i + 1}` : 'app.l0'}`),
  'contradiction through all': (n) => [...Array.from({ length: n - 1 }, (_, i) => `app.gen.x${i}`), `app.gen.x${n - 2} < app.gen.x0`],
  'wildcards': (n) => Array.from({ length: n }, (_, i) => (i % 2 ? `app.*.w${i}` : `app.gen${i}.*`)),
};

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function p95(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)];
}

/** Median ms of `analyze` over `runs` runs. */
async function timeAnalyze(files, options, runs = 5) {
  const times = [];
  let result;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    result = await analyze(files, options);
    times.push(performance.now() - start);
  }
  return { ms: median(times), result };
}

const verdict = (ok) => (ok ? 'ok' : 'OVER');

async function engine() {
  const files = [program()];
  await timeAnalyze(files, {}, 2); // warm up
  const base = await timeAnalyze(files, {});
  console.log(`engine: analysis of ${lockCount} locks without an order file: ${base.ms.toFixed(0)} ms (median of 5)`);
  for (const n of [3000, 20000]) {
    for (const [shape, make] of Object.entries(shapes)) {
      const text = make(n).join('\n');
      const run = await timeAnalyze(files, { orderFile: { path: join(root, 'bench-app', 'lockorder.order'), text } });
      const extra = run.ms - base.ms;
      const lo106 = run.result.findings.filter((f) => f.code === 'LO106').length;
      console.log(`engine: ${n} lines, ${shape}: ${extra >= 0 ? '+' : ''}${extra.toFixed(0)} ms over the plain analysis (total ${run.ms.toFixed(0)} ms; `
        + `${run.result.problems.length} problems, ${lo106} LO106); bound <= ${bounds.checkMs} ms: ${verdict(extra <= bounds.checkMs)}`);
    }
  }
}

function cli() {
  const dir = mkdtempSync(join(tmpdir(), 'lockorder-bench-order-'));
  try {
    const app = program();
    writeFileSync(join(dir, 'app.py'), app.text);
    writeFileSync(join(dir, 'big.order'), shapes['one-lock lines'](20000).join('\n'));
    const timeRun = (args) => {
      const times = [];
      let status;
      for (let i = 0; i < 3; i++) {
        const start = performance.now();
        const r = spawnSync(process.execPath, [join(root, 'dist', 'cli.js'), 'check', ...args], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 28 });
        times.push(performance.now() - start);
        status = r.status;
      }
      return { ms: median(times), status };
    };
    const plain = timeRun([]);
    const withOrder = timeRun(['--order-file', 'big.order']);
    const extra = withOrder.ms - plain.ms;
    console.log(`cli: lockorder check without / with a 20,000-line order file: ${plain.ms.toFixed(0)} / ${withOrder.ms.toFixed(0)} ms `
      + `(exit ${plain.status} / ${withOrder.status}); the order file adds ${extra.toFixed(0)} ms; bound <= ${bounds.checkMs} ms: ${verdict(extra <= bounds.checkMs)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function lsp() {
  const dir = mkdtempSync(join(tmpdir(), 'lockorder-bench-order-lsp-'));
  const app = program();
  writeFileSync(join(dir, 'app.py'), app.text);
  const lines = shapes['one-lock lines'](20000);
  const orderPath = join(dir, 'lockorder.order');
  writeFileSync(orderPath, lines.join('\n'));
  const server = await startServer({ workspace: dir, debounceMs: 0 });
  try {
    await server.waitForIndex(60000);
    const uri = server.open(orderPath, lines.join('\n'), uriOf(orderPath), 'lockorder-order');
    await server.waitForDiagnostics(uri, (p) => p.diagnostics.length > 0, 60000);
    const edits = [];
    for (let i = 0; i < 20; i++) {
      const line = 5000 + i;
      const start = performance.now();
      const version = server.change(uri, [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: 'z' }]);
      await server.waitForDiagnostics(uri, (p) => p.version === version, 60000);
      edits.push(performance.now() - start);
    }
    const features = [];
    const positions = [{ line: 10, character: 4 }, { line: 15000, character: 6 }, { line: 10, character: 2 ** 31 - 1 }, { line: 2 ** 31 - 1, character: 2 ** 31 - 1 }];
    for (let i = 0; i < 10; i++) {
      for (const position of positions) {
        for (const method of ['textDocument/hover', 'textDocument/completion', 'textDocument/definition']) {
          const start = performance.now();
          await server.request(method, { textDocument: { uri }, position });
          features.push(performance.now() - start);
        }
      }
    }
    console.log(`lsp: edit of an open 20,000-line order file -> its diagnostics: median ${median(edits).toFixed(0)} ms, `
      + `p95 ${p95(edits).toFixed(0)} ms (20 edits, debounce 0); bound p95 <= ${bounds.editP95} ms: ${verdict(p95(edits) <= bounds.editP95)}`);
    console.log(`lsp: hover/completion/definition on it (also at a huge character or line): median ${median(features).toFixed(1)} ms, `
      + `p95 ${p95(features).toFixed(1)} ms (${features.length} requests); bound p95 <= ${bounds.featureP95} ms: ${verdict(p95(features) <= bounds.featureP95)}`);
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `lockorder check` on a deep tree, with and without two excludes of 30 repeated globstar segments. */
function globs() {
  const dir = mkdtempSync(join(tmpdir(), 'lockorder-bench-glob-'));
  try {
    let folder = dir;
    for (let depth = 0; depth < 25; depth++) {
      folder = join(folder, `level${depth}`);
      mkdirSync(folder);
      for (let k = 0; k < 8; k++) writeFileSync(join(folder, `m${k}.py`), 'import threading\nlock = threading.Lock()\n');
    }
    const excludes = ['--exclude', `${'**/'.repeat(30)}m7.py`, '--exclude', `${'**/'.repeat(30)}level3/**/nothing.py`];
    const timeRun = (args) => {
      const times = [];
      let files;
      for (let i = 0; i < 3; i++) {
        const start = performance.now();
        const r = spawnSync(process.execPath, [join(root, 'dist', 'cli.js'), 'check', '--format', 'json', ...args], { cwd: dir, encoding: 'utf8' });
        times.push(performance.now() - start);
        files = JSON.parse(r.stdout).summary.files;
      }
      return { ms: median(times), files };
    };
    const plain = timeRun([]);
    const excluded = timeRun(excludes);
    const extra = excluded.ms - plain.ms;
    console.log(`glob: lockorder check of a 25-deep tree (${plain.files} files) without / with two 30-segment **/ excludes: `
      + `${plain.ms.toFixed(0)} / ${excluded.ms.toFixed(0)} ms (${excluded.files} files left); the excludes add ${extra.toFixed(0)} ms; `
      + `bound <= ${bounds.globMs} ms: ${verdict(extra <= bounds.globMs)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await engine();
cli();
globs();
await lsp();
