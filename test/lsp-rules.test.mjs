// Protocol test: every static rule reaches an LSP editor. Each rule's positive fixture is
// opened in the bundled server; its finding arrives as a diagnostic with the rule's code, the
// `lockorder` source, the rule's doc link and the line the fixture's docstring names.

import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { root, startServer } from './lsp-client.mjs';

const fixtureDir = join(root, 'test', 'fixtures', 'python');
const cases = [
  ['LO101', 'LO101_ABBA_with.py'],
  ['LO102', 'LO102_counter_class_lock.py'],
  ['LO103', 'LO103_nested_acquire.py'],
  ['LO104', 'LO104_early_return.py'],
  ['LO105', 'LO105_join_under_lock.py'],
  ['LO107', 'LO107_finalizer_pool.py'],
  ['LO107', 'LO107_signal_handler.py'],
  ['LO107', 'LO107_logging_handler.py'],
];

/** The 1-based lines the fixture's docstring expects for a code. */
function expectedLines(text, code) {
  return [...text.matchAll(new RegExp(`expect:\\s*${code} at (\\d+)`, 'g'))].map((m) => Number(m[1]));
}

describe('lsp: each rule is published as a diagnostic', () => {
  let dir, server;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lockorder-rules-'));
    for (const [, file] of cases) cpSync(join(fixtureDir, file), join(dir, file));
    server = await startServer({ workspace: dir });
  });
  after(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const [code, file] of cases) {
    it(`${code} from ${file}`, async () => {
      const path = join(dir, file);
      const text = readFileSync(path, 'utf8');
      const lines = expectedLines(text, code);
      assert.ok(lines.length > 0, `${file} expects ${code} somewhere`);
      const uri = server.open(path);
      const pub = await server.waitForDiagnostics(uri, (p) => p.diagnostics.some((d) => d.code === code));
      const found = pub.diagnostics.filter((d) => d.code === code);
      assert.deepEqual(found.map((d) => d.range.start.line + 1).sort((a, b) => a - b), lines.sort((a, b) => a - b));
      for (const d of found) {
        assert.equal(d.source, 'lockorder');
        assert.match(d.codeDescription.href, new RegExp(`${code}\\.md$`));
        assert.ok(d.relatedInformation?.length > 0, 'related sites travel with the diagnostic');
      }
    });
  }
});
