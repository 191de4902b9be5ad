// The LSP fuzzer in small (`npm run fuzz:lsp` runs 10,000 edits): 500 random incremental edits
// of real stdlib modules, with a fixed seed, through the real server. The server must not exit
// or log an error or a stack trace, every request must be answered, each publication must be
// for a newer version with ranges inside that version's text, the diagnostics (at checkpoints
// and at the end) must equal a fresh analysis of the same texts, and RSS must stay bounded.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fuzz } from '../bench/fuzz-lsp/run.mjs';
import { startServer } from './lsp-client.mjs';

test('500 random edits through the protocol: no crash, no error, diagnostics equal a fresh analysis, bounded RSS', { timeout: 120000 }, async () => {
  const r = await fuzz({ seed: 19, edits: 500, checkEvery: 250 });
  assert.deepEqual(r.failures, [], `replay with: npm run fuzz:lsp -- --seed 19 --edits 500`);
  assert.equal(r.edits, 500);
  assert.equal(r.exits, 0, 'server exits');
  assert.equal(r.stackTraces + r.errorLogs, 0, 'stack traces and error logs');
  assert.equal(r.failedRequests, 0, 'failed requests');
  assert.ok(r.requests.hover > 0 && r.requests.codeAction > 0 && r.requests.definition > 0, 'every kind of request was sent');
  assert.deepEqual(r.final.differences, [], 'final diagnostics equal a fresh analysis');
  assert.ok(r.checkpoints >= 2, 'compared at a checkpoint and at the end');
  assert.ok(r.rss.peak > 0 && r.rss.peak <= r.rssBoundMb, `peak RSS ${r.rss.peak} MB within ${r.rssBoundMb} MB`);
});

// Found by the fuzzer (a publication for version v whose range did not fit text v): a hover
// flushed a newer version of the document into the project while an analysis of the older one
// was publishing, and that publication then carried the newer version number.
test('a hover during an analysis does not relabel the older findings with the newer version', { timeout: 120000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lockorder-relabel-'));
  const inversion = 'import threading\na = threading.Lock()\nb = threading.Lock()\n\ndef ab():\n    with a:\n        with b:\n            pass\n\ndef ba():\n    with b:\n        with a:\n            pass\n';
  writeFileSync(join(dir, 'inv.py'), inversion);
  writeFileSync(join(dir, 'other.py'), 'x = 1\n');
  const server = await startServer({ workspace: dir, debounceMs: 60000 });
  const wrong = [];
  let seen = 0;
  try {
    const inv = server.open(join(dir, 'inv.py'), inversion);
    await server.waitForIndex();
    await server.waitForDiagnostics(inv, (p) => p.version === 1 && p.diagnostics.length > 0);
    const watch = (p) => {
      if (p.uri !== inv || p.version === undefined) return;
      seen++;
      // Each version adds one line at the top, so its findings sit `version - 1` lines lower.
      const lines = p.diagnostics.map((d) => d.range.start.line - (p.version - 1));
      if (JSON.stringify(lines) !== JSON.stringify(firstLines)) wrong.push(`version ${p.version}: lines ${p.diagnostics.map((d) => d.range.start.line)}, expected ${firstLines.map((l) => l + p.version - 1)}`);
    };
    const firstLines = server.diagnostics.get(inv).diagnostics.map((d) => d.range.start.line);
    server.conn.onNotification('textDocument/publishDiagnostics', (p) => { server.diagnostics.set(p.uri, p); watch(p); });
    const other = join(dir, 'other.py');
    for (let attempt = 0; attempt < 40; attempt++) {
      const otherUri = server.open(other, 'x = 1\n'); // analyzed at once, with inv.py as it is
      await new Promise((r) => setTimeout(r, attempt % 8));
      server.change(inv, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '\n' }]);
      await server.hover(inv, { line: 0, character: 0 });
      await new Promise((r) => setTimeout(r, 20));
      server.close(otherUri);
    }
    await new Promise((r) => setTimeout(r, 200));
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  assert.deepEqual(wrong, [], 'each publication carries the version its findings were computed from');
  assert.ok(seen >= 10, `inv.py was published for its new versions (${seen} times)`);
});
