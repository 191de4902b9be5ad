// Protocol tests of the server's globs with repeated `**/` segments: `lockorder.exclude` and
// `lockorder.runtime.reports` with 30 of them, against a 25-folder-deep workspace, give the
// right answer and the server keeps answering (the old regex backtracked for ever).

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startServer } from './lsp-client.mjs';

/** ABBA in one module: one LO101 finding. */
const inverted = `import threading

a = threading.Lock()
b = threading.Lock()


def one():
    with a:
        with b:
            pass


def two():
    with b:
        with a:
            pass
`;

const lo101 = (p) => p.diagnostics.filter((d) => d.code === 'LO101');

describe('lsp: globs with 30 repeated **/ segments', () => {
  let dir, server, keep, skip;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lockorder-lsp-glob-'));
    const deep = join(dir, ...Array.from({ length: 25 }, (_, i) => `level${i}`));
    mkdirSync(deep, { recursive: true });
    keep = join(deep, 'keep.py');
    skip = join(deep, 'skip_me.py');
    writeFileSync(keep, inverted);
    writeFileSync(skip, inverted);
    const settings = {
      exclude: [`${'**/'.repeat(30)}skip_me.py`, `${'**/'.repeat(30)}level7/**/nothing.py`],
      runtime: { reports: `${'**/'.repeat(30)}*.jsonl` },
    };
    server = await startServer({ workspace: dir, settings: () => settings });
  });
  after(async () => { await server.stop(); rmSync(dir, { recursive: true, force: true }); });

  it('excludes the file the pattern names and keeps the others', { timeout: 120000 }, async () => {
    const keepUri = server.open(keep);
    const skipUri = server.open(skip);
    const kept = await server.waitForDiagnostics(keepUri, (p) => lo101(p).length > 0, 60000);
    assert.equal(lo101(kept).length, 1);
    const skipped = await server.waitForDiagnostics(skipUri, () => true, 60000);
    assert.deepEqual(skipped.diagnostics, [], 'skip_me.py is excluded');
    await server.waitForIndex(60000);
    assert.ok(server.alive());
  });
});
