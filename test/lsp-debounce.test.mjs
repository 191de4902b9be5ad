// The pause between a keystroke and re-analysis, with the server's own default (no fixed
// debounce from the client): in a small, quickly analyzed workspace an edit is analyzed and
// published even when the next keystroke follows 150 ms later (the old fixed 200 ms pause
// swallowed it). Asserts what is published, not how long it took.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startServer } from './lsp-client.mjs';

const text = [
  'import threading',
  'a = threading.Lock()',
  'b = threading.Lock()',
  '',
  'def one():',
  '    with a:',
  '        with b:',
  '            pass',
  '',
  'def two():',
  '    with b:',
  '        with a2:',
  '            pass',
  '',
].join('\n');
/** The same file with `a2` typed as `a`: two() then takes b → a, against one()'s a → b. */
const inverted = text.replace('with a2:', 'with a:');
const hasLO101 = (p) => p.diagnostics.some((d) => d.code === 'LO101');

describe('lsp: the pause before re-analysis (server default)', () => {
  let dir, server;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lockorder-debounce-'));
    writeFileSync(join(dir, 'app.py'), text);
    // debounceMs: null leaves the pause to the server, as the VS Code client does.
    server = await startServer({ workspace: dir, init: { debounceMs: null } });
    await server.waitForIndex();
  });
  after(async () => { await server.stop(); rmSync(dir, { recursive: true, force: true }); });

  it('publishes an edit of a small file before the next keystroke 150 ms later', async () => {
    const uri = server.open(join(dir, 'app.py'), text);
    await server.waitForDiagnostics(uri, (p) => p.version === 1 && !hasLO101(p));
    // Delete the `2` (the cycle appears), then type it again 150 ms later.
    const v2 = server.change(uri, [{ text: inverted }]);
    let seen = false;
    const published = server.waitForDiagnostics(uri, (p) => p.version === v2 && hasLO101(p), 2000).then(() => { seen = true; }, () => {});
    await sleep(150);
    const v3 = server.change(uri, [{ text }]);
    await server.waitForDiagnostics(uri, (p) => p.version === v3 && !hasLO101(p));
    await published;
    assert.ok(seen, 'the LO101 of the intermediate version was published');
  });
});
