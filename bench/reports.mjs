// Benchmark of the language server's reading of run-time reports (run after `npm run build`),
// one line per bound of issue 20, each against a stated target:
//  1. 20,000 records of one finding, each from another test: edit → diagnostics, and the length
//     of the finding's message (was 11.5 s per edit and a 729 kB message);
//  2. a record naming a 400 MB (sparse) workspace file: edit → diagnostics, and the bytes the
//     server reads per edit (/proc/PID/io rchar; was the whole file on every edit);
//  3. a record naming a 5 MB workspace file (under the 10 MB cap): bytes read per edit (cached);
//  4. records with 20,000 and 130,000 stack frames: the size of the publication (was 38 MB, and
//     "Maximum call stack size exceeded" with no runtime diagnostics at all).
// The server's debounce is 0 ms, so the edit figures exclude it.

import { closeSync, existsSync, ftruncateSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { serverPath, startServer, uriOf } from '../test/lsp-client.mjs';

const targets = { editMs: 100, messageChars: 400, readPerEditBytes: 1024 * 1024, publicationBytes: 100 * 1024 };
/** 20 edits per line by default; REPORTS_BENCH_EDITS=2 for a quick look. */
const edits = Number(process.env.REPORTS_BENCH_EDITS ?? 20);

if (!existsSync(serverPath)) {
  console.error('bench:reports: dist/server.js is missing; run `npm run build` first');
  process.exit(1);
}

const verdict = (value, target) => `${value <= target ? 'OK ' : 'OVER'} (${(value / target).toFixed(3)}× bound ${target})`;
const ms = (t) => `${t.toFixed(1)} ms`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Bytes the process has read so far (Linux), else undefined. */
function readBytes(pid) {
  const io = `/proc/${pid}/io`;
  if (!existsSync(io)) return undefined;
  const m = /rchar:\s+(\d+)/.exec(readFileSync(io, 'utf8'));
  return m ? Number(m[1]) : undefined;
}

const program = 'import threading\n\nlock = threading.Lock()\n\n\ndef work():\n    with lock:\n        pass\n';
/** An LO102 record at `file`:`line` with `frames` stack frames (the site, then callers at the same line). */
function record(file, line, { test, frames = 1, code = 'with lock:' } = {}) {
  const site = { file, line, function: 'work', code };
  const stack = frames === 1 ? [site] : Array.from({ length: frames }, () => site);
  return JSON.stringify({
    version: 1, rule: 'LO102', name: 'self-deadlock', message: 'Self-deadlock', time: new Date(Date.now() + 1000).toISOString(), pid: 1,
    argv: ['work.py'], ...(test ? { test } : {}), locks: [{ id: 1, name: 'lock', created: { file, line: 3, function: '<module>' } }],
    edges: [{ from: 1, to: 1, thread: 'worker', role: 'acquire', stack }],
  }) + '\n';
}

/** A workspace with `work.py`, an open document to edit, and the given report lines; runs `measure`. */
async function withWorkspace(setup, measure) {
  const dir = mkdtempSync(join(tmpdir(), 'lockorder-bench-reports-'));
  try {
    mkdirSync(join(dir, '.lockorder'));
    writeFileSync(join(dir, 'work.py'), program);
    const report = setup(dir);
    writeFileSync(join(dir, '.lockorder', 'lockorder-1.jsonl'), report);
    const server = await startServer({ workspace: dir, debounceMs: 0 });
    try {
      await server.waitForIndex(120000);
      return await measure(server, dir);
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Median edit → diagnostics time of an open document, and the bytes the server read per edit. */
async function editTimes(server, dir) {
  const edited = join(dir, 'edited.py');
  const uri = server.open(edited, 'x = 1\n');
  await server.waitForDiagnostics(uri, (p) => p.version === 1, 120000);
  const times = [];
  const before = readBytes(server.proc.pid);
  for (let k = 0; k < edits; k++) {
    const start = performance.now();
    const version = server.change(uri, [{ range: { start: { line: 0, character: 4 }, end: { line: 0, character: 5 } }, text: String(k % 10) }]);
    await server.waitForDiagnostics(uri, (p) => p.version === version, 120000);
    times.push(performance.now() - start);
  }
  const after = readBytes(server.proc.pid);
  return { editMs: median(times), readPerEdit: before === undefined || after === undefined ? undefined : (after - before) / edits };
}

const work = (dir) => join(dir, 'work.py');
const runtimeDiagnostics = (server, dir) => (server.diagnostics.get(uriOf(work(dir)))?.diagnostics ?? []).filter((d) => /observed at run time/.test(d.message));

// 1. 20,000 runs of one finding.
await withWorkspace((dir) => Array.from({ length: 20000 }, (_, i) => record(work(dir), 7, { test: `tests/test_work.py::test_${i}` })).join(''), async (server, dir) => {
  await server.waitForDiagnostics(uriOf(work(dir)), () => runtimeDiagnostics(server, dir).length > 0, 120000);
  const message = runtimeDiagnostics(server, dir)[0].message;
  const { editMs } = await editTimes(server, dir);
  console.log(`20,000 runs of one finding: edit → diagnostics median ${ms(editMs)}  ${verdict(editMs, targets.editMs)}`);
  console.log(`20,000 runs of one finding: message ${message.length} characters  ${verdict(message.length, targets.messageChars)}`);
});

// 2. and 3. records naming a 400 MB file and a 5 MB file.
for (const [label, bytes] of [['400 MB (sparse)', 400 * 1024 * 1024], ['5 MB', 5 * 1024 * 1024]]) {
  await withWorkspace((dir) => {
    const big = join(dir, 'big.py');
    writeFileSync(big, program);
    if (bytes > 10 * 1024 * 1024) {
      const fd = openSync(big, 'r+');
      ftruncateSync(fd, bytes);
      closeSync(fd);
    } else {
      writeFileSync(big, program + `${'# padding line\n'.repeat(Math.ceil(bytes / 15))}`);
    }
    return record(big, 7);
  }, async (server, dir) => {
    await server.waitForDiagnostics(uriOf(join(dir, 'big.py')), (p) => p.diagnostics.some((d) => /observed at run time/.test(d.message)), 120000);
    const { editMs, readPerEdit } = await editTimes(server, dir);
    console.log(`a record naming a ${label} file: edit → diagnostics median ${ms(editMs)}  ${verdict(editMs, targets.editMs)}`);
    console.log(readPerEdit === undefined
      ? `a record naming a ${label} file: bytes read per edit not measurable on this platform`
      : `a record naming a ${label} file: ${Math.round(readPerEdit)} bytes read per edit  ${verdict(readPerEdit, targets.readPerEditBytes)}`);
  });
}

// 4. deep stacks.
for (const frames of [20000, 130000]) {
  await withWorkspace((dir) => record(work(dir), 7, { frames }), async (server, dir) => {
    const pub = await server.waitForDiagnostics(uriOf(work(dir)), () => runtimeDiagnostics(server, dir).length > 0, 120000);
    const size = JSON.stringify(pub).length;
    console.log(`one record with ${frames.toLocaleString('en-US')} frames: shown, publication ${size} bytes  ${verdict(size, targets.publicationBytes)}`);
  });
}
