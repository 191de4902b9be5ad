// Protocol tests of the server parts of "Write Lock Order File" (`lockorder/inferredOrderFile`:
// the text `lockorder check --write-order` writes, and the file inside the folder it belongs in),
// "Fix All in Workspace" (`lockorder/fixAllInWorkspace`: every safe fix of every file as one
// workspace edit, with counts), and the per-rule `lockorder.severity.*` settings.

import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { applyEdits, fixtures, startServer, uriOf } from './lsp-client.mjs';
import { run } from './cli-run.mjs';

const made = [];
after(() => { for (const dir of made) rmSync(dir, { recursive: true, force: true }); });

function workspace(files) {
  const dir = mkdtempSync(join(tmpdir(), 'lockorder-cmds-'));
  made.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('lsp: write lock order file', () => {
  it('answers the text `lockorder check --write-order` writes, for the folder\'s lockorder.order, keeping its declarations', async () => {
    const files = { 'ordered.py': readFileSync(join(fixtures, 'ordered.py'), 'utf8'), 'lockorder.order': 'ordered.c_lock < ordered.a_lock\n' };
    const cliDir = workspace(files);
    const dir = workspace(files);
    assert.equal(run(['check', '--write-order'], cliDir).status !== 2, true);
    const server = await startServer({ workspace: dir });
    try {
      await server.waitForIndex();
      const answer = await server.request('lockorder/inferredOrderFile', { folder: uriOf(dir) });
      assert.equal(answer.uri, uriOf(join(dir, 'lockorder.order')));
      assert.equal(answer.text, readFileSync(join(cliDir, 'lockorder.order'), 'utf8'));
      assert.match(answer.text, /ordered\.c_lock/);
      assert.equal(answer.declarations, answer.text.split('\n').filter((l) => l.trim() && !l.startsWith('#')).length);
      assert.equal(readFileSync(join(dir, 'lockorder.order'), 'utf8'), files['lockorder.order'], 'the server writes nothing');
      assert.equal(await server.request('lockorder/inferredOrderFile', { folder: uriOf(tmpdir()) }), null, 'not a workspace folder');
    } finally {
      await server.stop();
    }
  });
});

describe('lsp: fix all in workspace', () => {
  it('returns every safe fix of every file as one edit, with the counts, and leaves unsafe ones', async () => {
    const mixed = readFileSync(join(fixtures, 'mixed.py'), 'utf8');
    const dir = workspace({ 'one.py': mixed, 'two.py': mixed, 'three.py': 'x = 1  # lockorder: ignore[LO104]\n' });
    const server = await startServer({ workspace: dir });
    try {
      await server.waitForIndex();
      await server.waitForDiagnostics(uriOf(join(dir, 'three.py')), (p) => p.diagnostics.length > 0);
      const answer = await server.request('lockorder/fixAllInWorkspace');
      assert.equal(answer.fixes, 3, JSON.stringify(answer));
      assert.equal(answer.files, 3);
      for (const name of ['one.py', 'two.py']) {
        const fixed = applyEdits(mixed, answer.edit.changes[uriOf(join(dir, name))]);
        assert.match(fixed, /_lock = threading\.RLock\(\)/);
        assert.doesNotMatch(fixed, /acquire\(/, 'the unsafe merge is not applied');
      }
      assert.equal(applyEdits('x = 1  # lockorder: ignore[LO104]\n', answer.edit.changes[uriOf(join(dir, 'three.py'))]), 'x = 1\n');
    } finally {
      await server.stop();
    }
  });
});

describe('lsp: per-rule severity settings', () => {
  it('lockorder.severity.LOxxx sets a severity or turns a rule off; a lockorder.rules entry wins', async () => {
    const dir = workspace({ 'mixed.py': readFileSync(join(fixtures, 'mixed.py'), 'utf8') });
    let settings = { severity: { LO101: 'hint', LO102: 'off' } };
    const server = await startServer({ workspace: dir, settings: () => settings });
    try {
      const uri = uriOf(join(dir, 'mixed.py'));
      server.open(join(dir, 'mixed.py'));
      let pub = await server.waitForDiagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'LO101'));
      assert.equal(pub.diagnostics.find((d) => d.code === 'LO101').severity, 4, 'hint');
      assert.ok(!pub.diagnostics.some((d) => d.code === 'LO102'), 'LO102 is off');
      settings = { severity: { LO101: 'hint', LO102: 'off' }, rules: { LO101: { severity: 'error' }, LO102: {} } };
      server.configurationChanged();
      pub = await server.waitForDiagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'LO102'));
      assert.equal(pub.diagnostics.find((d) => d.code === 'LO101').severity, 1, 'the lockorder.rules entry wins: error');
    } finally {
      await server.stop();
    }
  });
});
