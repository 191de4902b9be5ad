// Benchmark of what a user sees in the editor (not a test): code-server with the packaged .vsix,
// headless Chromium, and a workspace of two files, a small one (20 lines) and a 5,000-line one.
// In each, ~30 single-character edits toggle a lock-order inversion on and off (`lock_b` ↔
// `lock_c` in one `with`), and the page itself records, from the keystroke (keydown) to the
// moment the Problems panel shows or drops the LO101 row, and to the moment the squiggle appears
// or goes. Prints p50/p95/max per file. Needs scripts/editors-setup.sh and `npm run package`
// (`npm run bench:editor-latency` does both). LATENCY_EDITS=10 for a quick look.

import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { percentile } from './stats.mjs';
import { startCodeServer } from '../test/e2e/codeServer.mjs';
import { tools, vsixPath } from '../test/e2e/tools.mjs';
import { openWorkbench, waitMs } from '../test/e2e/workbench.mjs';

const editCount = Number(process.env.LATENCY_EDITS ?? 30);
/** Pause after each edit's result is on screen, so edits do not pile up (a user reading the result). */
const settleMs = 400;

/** The lines where the inversion is toggled: `refund` takes lock_b (or lock_c) then lock_a. */
const head = [
  '"""lockorder editor-latency benchmark: refund() toggles a lock-order inversion with transfer()."""',
  'import threading',
  '',
  'lock_a = threading.Lock()',
  'lock_b = threading.Lock()',
  'lock_c = threading.Lock()',
  'state = {"from": 100, "to": 0}',
  '',
  '',
  'def transfer(amount):',
  '    with lock_a:',
  '        with lock_b:',
  '            state["from"] -= amount',
  '',
  '',
  'def refund(amount):',
  '    with lock_b:',
  '        with lock_a:',
  '            state["to"] -= amount',
];
/** 1-based line and column of the `b` in refund's `with lock_b:`. */
const site = { line: 17, column: '    with lock_'.length + 1 };

/** `lines` lines: the head, then classes that each guard a list with their own lock (no findings). */
function moduleOf(lines) {
  const out = [...head];
  for (let k = 0; out.length < lines - 12; k++) {
    out.push(
      '', '', `class Store${k}:`, '    def __init__(self):', '        self._lock = threading.Lock()',
      '        self.items = []', '', '    def put(self, item):', '        with self._lock:',
      '            self.items.append(item)',
    );
  }
  while (out.length < lines) out.push('# padding');
  return out.join('\n') + '\n';
}

/**
 * In the page: note the next keydown's time, then the times the number of LO101 rows in the
 * Problems panel and the number of squiggles in the active editor change.
 */
function arm(page) {
  return page.evaluate(() => {
    const rows = () => [...document.querySelectorAll('.markers-panel .monaco-list-row')].filter((r) => r.textContent.includes('LO101')).length;
    const squiggles = () => document.querySelectorAll('.editor-group-container.active .monaco-editor [class*="squiggly-"]').length;
    const state = { key: 0, problems: 0, squiggle: 0 };
    const before = { rows: rows(), squiggles: squiggles() };
    window.__latency = state;
    const check = () => {
      if (!state.key) return;
      const now = performance.now();
      if (!state.problems && rows() !== before.rows) state.problems = now;
      if (!state.squiggle && squiggles() !== before.squiggles) state.squiggle = now;
      if (state.problems && state.squiggle) observer.disconnect();
    };
    const observer = new MutationObserver(check);
    observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
    window.addEventListener('keydown', () => { if (!state.key) state.key = performance.now(); }, { capture: true, once: true });
  });
}

/** Toggle the inversion `count` times in the open file; returns { problems: ms[], squiggle: ms[] }. */
async function measure(bench, count) {
  const { page } = bench;
  const problems = [];
  const squiggle = [];
  await bench.goTo(site.line, site.column);
  for (let k = 0; k < count; k++) {
    const present = k % 2 === 1; // the file starts with the inversion: the first edit removes it
    await page.keyboard.press('Shift+ArrowRight');
    await arm(page);
    await page.keyboard.type(present ? 'b' : 'c');
    await page.waitForFunction(() => window.__latency.problems && window.__latency.squiggle, null, { timeout: waitMs });
    const t = await page.evaluate(() => window.__latency);
    problems.push(t.problems - t.key);
    squiggle.push(t.squiggle - t.key);
    await page.keyboard.press('ArrowLeft');
    await page.waitForTimeout(settleMs);
  }
  return { problems, squiggle };
}

const fmt = (ms) => `${Math.round(ms)} ms`;
/** One line of figures. */
function summary(label, times) {
  const sorted = [...times].sort((a, b) => a - b);
  return `${label}: p50 ${fmt(percentile(sorted, 50))}, p95 ${fmt(percentile(sorted, 95))}, max ${fmt(sorted[sorted.length - 1])}`;
}

const { node24, codeServer, chromium } = tools('node24', 'codeServer', 'chromium');
if (!existsSync(vsixPath)) {
  console.error(`bench:editor-latency: ${vsixPath} is missing; run \`npm run package\` first`);
  process.exit(1);
}
const dir = mkdtempSync(join(tmpdir(), 'lockorder-latency-'));
const workspace = join(dir, 'workspace');
const files = { 'latency_small.py': moduleOf(head.length + 1), 'latency_5000.py': moduleOf(5000) };
mkdirSync(workspace);
for (const [name, text] of Object.entries(files)) writeFileSync(join(workspace, name), text);

let server;
let bench;
try {
  server = await startCodeServer({ node24, codeServer, vsix: vsixPath, workspace, dir });
  bench = await openWorkbench({ chromiumPath: chromium, url: server.url, dir });
  await bench.showProblems();
  console.log(`${editCount} edits per file, each toggling an LO101 (debounce: the server's default); times from keydown to what the page shows`);
  for (const name of Object.keys(files)) {
    await bench.openFile(name);
    await bench.problem('LO101').waitFor({ timeout: 60_000 });
    const { problems, squiggle } = await measure(bench, editCount);
    const lines = files[name].split('\n').length - 1;
    console.log(`${name} (${lines} lines)`);
    console.log(`  ${summary('keystroke → Problems panel', problems)}`);
    console.log(`  ${summary('keystroke → squiggle      ', squiggle)}`);
  }
} catch (error) {
  console.error(`bench:editor-latency: ${error instanceof Error ? error.message : error}`);
  if (server) console.error(`code-server log tail:\n${server.logTail()}`);
  process.exitCode = 1;
} finally {
  await bench?.close();
  server?.stop();
  rmSync(dir, { recursive: true, force: true });
}
