// Benchmark of the language server (run after `npm run build`): the Python stdlib as the
// workspace, a 5,000-line file opened while the index runs, then 200 single-character edits.
// Prints: didOpen → first diagnostics while indexing; initialize → all workspace diagnostics;
// per-edit didChange → publishDiagnostics of that version (server debounce set to 0 ms, so the
// figures exclude it; by default it is 50 or 200 ms, see server/src/lsp/debounce.ts); the server's
// peak RSS. Targets: edit p95 ≤ 30 ms (+ debounce), first diagnostics ≤ 300 ms, peak RSS ≤ 800 MB.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { peakRssMb, percentile } from './stats.mjs';
import { serverPath, startServer } from '../test/lsp-client.mjs';

/** 200 edits by default; LSP_BENCH_EDITS=20 for a quick look. */
const editCount = Number(process.env.LSP_BENCH_EDITS ?? 200);
const targets = { editP95: 30, firstOpen: 300, rssMb: 800 };

/** The stdlib folder of the python3 on PATH. */
function stdlibDir() {
  const run = spawnSync('python3', ['-c', 'import sysconfig;print(sysconfig.get_paths()["stdlib"])'], { encoding: 'utf8' });
  if (run.status !== 0 || !run.stdout.trim()) {
    console.error('bench:lsp: python3 is needed to find the stdlib folder used as the workspace');
    process.exit(1);
  }
  return run.stdout.trim();
}

/** A synthetic module of exactly `lines` lines: classes and functions nesting 30 module locks in one order. */
function syntheticModule(lines) {
  const out = ['"""Synthetic module for the lockorder LSP benchmark."""', 'import threading', ''];
  for (let i = 10; i < 40; i++) out.push(`lock_${i} = threading.Lock()`);
  out.push('shared = []', '');
  const editSites = [];
  for (let k = 0; out.length < lines - 30; k++) {
    const a = 10 + (k % 20);
    const b = 30 + ((k * 7) % 10);
    out.push(
      '', `class Worker${k}:`, '    def __init__(self):', '        self._lock = threading.Lock()', '        self.items = []', '',
      '    def put(self, item):', `        with lock_${a}:`,
    );
    editSites.push({ line: out.length, character: `            with lock_${b}`.length - 1, digit: b % 10 });
    out.push(
      `            with lock_${b}:`, '                self.items.append(item)', '',
      '    def take(self):', '        with self._lock:', '            if self.items:', '                return self.items.pop()',
      '        return None', '', '',
      `def task_${k}(n):`, `    lock_${a}.acquire()`, '    try:', '        shared.append(n)', '    finally:',
      `        lock_${a}.release()`, `    with lock_${a}:`, `        with lock_${b}:`, '            shared.append(n * 2)',
    );
  }
  while (out.length < lines) out.push('# padding');
  return { text: out.join('\n') + '\n', editSites };
}

const fmt = (ms) => `${ms.toFixed(1)} ms`;
const verdict = (value, target) => `${value <= target ? 'OK ' : 'OVER'} (${(value / target).toFixed(2)}× target ${target})`;

if (!existsSync(serverPath)) {
  console.error('bench:lsp: dist/server.js is missing; run `npm run build` first');
  process.exit(1);
}
const stdlib = stdlibDir();
const { text, editSites } = syntheticModule(5000);
const benchPath = join(stdlib, 'lockorder_bench_5000.py'); // never written: the editor holds its text
console.log(`workspace: ${stdlib} (site-packages excluded)`);
console.log(`opened file: ${text.split('\n').length - 1} lines (in memory), ${editCount} single-character edits`);

const t0 = performance.now();
const server = await startServer({ workspace: stdlib, debounceMs: 0 });
process.on('unhandledRejection', (err) => {
  console.error(`bench:lsp: ${err instanceof Error ? err.message : err}`);
  console.error(`last server log lines:\n  ${server.logs.filter((l) => !/: skipped|syntax error/.test(l)).slice(-10).join('\n  ')}`);
  server.proc.kill();
  process.exit(1);
});
let indexedAt;
const indexed = server.waitForIndex(600000).then((s) => { indexedAt = performance.now(); return s; });

const openAt = performance.now();
const uri = server.open(benchPath, text);
await server.waitForDiagnostics(uri, (p) => p.version === 1, 60000);
const firstOpen = performance.now() - openAt;
const stillIndexing = indexedAt === undefined;

const summary = await indexed;
const allWorkspace = indexedAt - t0;
let withFindings = 0;
let findings = 0;
for (const p of server.diagnostics.values()) {
  if (p.diagnostics.length > 0) withFindings++;
  findings += p.diagnostics.length;
}

console.log('');
console.log(`index: ${summary.files} files, ${summary.skipped} skipped; ${withFindings} files with diagnostics, ${findings} diagnostics`);
console.log(`initialize → all workspace diagnostics: ${fmt(allWorkspace)}`);
console.log(`didOpen → first diagnostics: ${fmt(firstOpen)}${stillIndexing ? ' (index still running)' : ' (index had already finished!)'}  ${verdict(firstOpen, targets.firstOpen)}`);
const rssAfterIndex = peakRssMb(server.proc.pid);
if (rssAfterIndex !== undefined) console.log(`server peak RSS so far (index done): ${rssAfterIndex.toFixed(0)} MB`);

const times = [];
let current = text.split('\n');
for (let k = 0; k < editCount; k++) {
  const site = editSites[((k >> 1) * 7) % editSites.length];
  const line = current[site.line];
  const old = line[site.character];
  const next = k % 2 === 0 ? String((Number(old) + 1) % 10) : String(site.digit);
  current[site.line] = line.slice(0, site.character) + next + line.slice(site.character + 1);
  const start = performance.now();
  const version = server.change(uri, [{ range: { start: { line: site.line, character: site.character }, end: { line: site.line, character: site.character + 1 } }, text: next }]);
  await server.waitForDiagnostics(uri, (p) => p.version === version, 60000);
  times.push(performance.now() - start);
  if ((k + 1) % 50 === 0) console.log(`  ${k + 1} edits, last ${fmt(times[times.length - 1])}`);
}
const rss = peakRssMb(server.proc.pid);
await server.stop();
const slowest = times.map((t, k) => [t, k + 1]).sort((a, b) => b[0] - a[0]).slice(0, 5);
console.log(`slowest edits: ${slowest.map(([t, k]) => `#${k} ${fmt(t)}`).join(', ')}`);

const sorted = [...times].sort((a, b) => a - b);
const p95 = percentile(sorted, 95);
console.log(`edit → diagnostics (debounce excluded; the server adds a 50 ms pause, 200 ms after a slow analysis): p50 ${fmt(percentile(sorted, 50))}, p95 ${fmt(p95)}, max ${fmt(sorted[sorted.length - 1])}  ${verdict(p95, targets.editP95)}`);
console.log(rss === undefined ? 'peak RSS: not measurable on this platform' : `server peak RSS: ${rss.toFixed(0)} MB  ${verdict(rss, targets.rssMb)}`);
