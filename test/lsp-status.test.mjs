// Protocol tests of the `lockorder/status` notification the editor's status item shows: a clean
// workspace still says how many files were analyzed, and the counts follow the findings.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startServer, uriOf } from './lsp-client.mjs';

const clean = 'import threading\nlock = threading.Lock()\n\ndef f():\n    with lock:\n        pass\n';
const twice = 'import threading\nlock = threading.Lock()\n\ndef f():\n    with lock:\n        with lock:\n            pass\n';

/** Wait until a status satisfying `check` has arrived. */
async function statusWhere(server, check, timeoutMs = 10_000) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const found = server.statuses.findLast(check);
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.fail(`no matching lockorder/status; got ${JSON.stringify(server.statuses.slice(-3))}`);
}

describe('lsp: lockorder/status', () => {
  let dir, server;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lockorder-status-'));
    writeFileSync(join(dir, 'a.py'), clean);
    writeFileSync(join(dir, 'b.py'), clean);
    server = await startServer({ workspace: dir });
    await server.waitForIndex();
  });
  after(async () => { await server.stop(); rmSync(dir, { recursive: true, force: true }); });

  it('says a clean workspace was analyzed: its files, no findings, indexing done', async () => {
    const status = await statusWhere(server, (s) => !s.indexing);
    assert.deepEqual(status, { files: 2, findings: 0, runtimeReports: 0, indexing: false });
  });

  it('counts the findings of an open document as they appear', async () => {
    const path = join(dir, 'b.py');
    const uri = server.open(path, twice);
    await server.waitForDiagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'LO102'));
    const status = await statusWhere(server, (s) => s.findings === 1);
    assert.equal(status.files, 2);
    assert.equal(uriOf(path), uri);
  });
});
