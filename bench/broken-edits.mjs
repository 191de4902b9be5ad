// Benchmark (not a test; run after `npm run build`): what one edit of an open document costs the
// engine (`setFile` + `analyze` + `prepareEdits`, as the server does) in a 5,000-line module,
// clean and while it has a syntax error (an unclosed bracket near the top, an unclosed call in
// the middle). A tree with syntax errors is parsed from scratch on every edit (see
// `parsePython`), so the broken cases cost more; prints p50/p95 and their ratio to the clean case.

import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

const { Project } = createRequire(import.meta.url)('../dist/analysis.js');
const edits = Number(process.env.BROKEN_EDITS ?? 60);

/** A module of `lines` lines: locks, classes and functions nesting them. */
function syntheticModule(lines) {
  const out = ['"""Synthetic module for the broken-edits benchmark."""', 'import threading', ''];
  for (let i = 10; i < 40; i++) out.push(`lock_${i} = threading.Lock()`);
  out.push('shared = []', '');
  for (let k = 0; out.length < lines - 20; k++) {
    const a = 10 + (k % 20);
    const b = 30 + ((k * 7) % 10);
    out.push('', `class Worker${k}:`, '    def put(self, item):', `        with lock_${a}:`, `            with lock_${b}:`,
      '                self.items.append(item)', '', `def task_${k}(n):`, `    with lock_${a}:`, `        with lock_${b}:`, '            shared.append(n)');
  }
  return out.join('\n') + '\n';
}

/** Per-edit times (ms, sorted) of `edits` one-digit edits of `with lock_3N` lines spread over the file. */
async function timeEdits(text) {
  const path = '/lockorder-bench/broken_edits.py';
  const project = await Project.create();
  project.setFile(path, text, true);
  project.analyze();
  project.prepareEdits(path);
  const times = [];
  for (let k = 0; k < edits; k++) {
    const at = text.indexOf('with lock_3', (k * 7919) % (text.length - 2000)) + 'with lock_3'.length;
    text = text.slice(0, at) + String((Number(text[at]) + 1) % 10) + text.slice(at + 1);
    const t0 = performance.now();
    project.setFile(path, text, true);
    project.analyze();
    project.prepareEdits(path);
    times.push(performance.now() - t0);
  }
  project.dispose();
  return times.sort((x, y) => x - y);
}

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const clean = syntheticModule(5000);
const cases = [
  ['clean', clean],
  ['unclosed bracket near the top', clean.replace('shared = []', 'shared = [(')],
  ['unclosed call in the middle', clean.replace('self.items.append(item)\n\ndef task_150(', 'self.items.append(item\n\ndef task_150(')],
];
let base;
for (const [name, text] of cases) {
  if (text === clean && name !== 'clean') throw new Error(`${name}: the edit did not apply`);
  const times = await timeEdits(text);
  base ??= pct(times, 50);
  console.log(`${name}: p50 ${pct(times, 50).toFixed(1)} ms, p95 ${pct(times, 95).toFixed(1)} ms (p50 ${(pct(times, 50) / base).toFixed(1)}× clean)`);
}
