// Protocol tests of hover on lock expressions and of the lockorder.* settings (read per
// resource, re-applied on change).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { positionOf, startServer, uriOf, workspaceFrom } from './lsp-client.mjs';

describe('lsp: hover', () => {
  let ws, server;
  before(async () => {
    ws = workspaceFrom();
    server = await startServer({ workspace: ws.dir });
  });
  after(async () => { await server.stop(); ws.cleanup(); });

  it('describes a lock: kind, where it is created, locks before and after with counts, its rank', async () => {
    const path = join(ws.dir, 'ordered.py');
    const text = readFileSync(path, 'utf8');
    const uri = server.open(path);
    await server.waitForDiagnostics(uri, (p) => p.version === 1);
    const at = positionOf(text, 'b_lock:', 'def step_two');
    const hover = await server.hover(uri, { line: at.line, character: at.character + 2 });
    assert.ok(hover, 'a hover for b_lock');
    const md = hover.contents.value;
    assert.equal(hover.contents.kind, 'markdown');
    assert.match(md, /b_lock/);
    assert.match(md, /`Lock`/);
    assert.match(md, new RegExp(`ordered\\.py:${positionOf(text, 'b_lock = ').line + 1}`), 'where it is created');
    assert.match(md, /Held when it is taken: `a_lock` ×2/);
    assert.match(md, /Taken while it is held: `c_lock` ×2/);
    assert.match(md, /Rank 2 of 3/);
    assert.equal(hover.range.start.line, at.line);
  });

  it('says a lock in a cycle has no rank', async () => {
    const path = join(ws.dir, 'inversion.py');
    const text = readFileSync(path, 'utf8');
    const uri = server.open(path);
    await server.waitForDiagnostics(uri, (p) => p.version === 1);
    const at = positionOf(text, 'x_lock:', 'def transfer');
    const hover = await server.hover(uri, at);
    assert.match(hover.contents.value, /x_lock/);
    assert.match(hover.contents.value, /cycle/);
    assert.doesNotMatch(hover.contents.value, /Rank \d/);
  });

  /** The hover text at `needle` (searched after `context`) in a workspace file. */
  async function hoverText(file, needle, context) {
    const path = join(ws.dir, file);
    const text = readFileSync(path, 'utf8');
    const uri = server.open(path);
    await server.waitForDiagnostics(uri, (p) => p.version === 1);
    const at = positionOf(text, needle, context);
    return (await server.hover(uri, { line: at.line, character: at.character + 2 }))?.contents.value ?? '';
  }

  it('does not call a lock with no order edges part of a cycle', async () => {
    const md = await hoverText('hover_shapes.py', 'lonely_lock:', 'def touch');
    assert.match(md, /Never nested with another lock, so the inferred global order does not rank it/);
    assert.doesNotMatch(md, /cycle/);
    assert.match(md, /Held when it is taken: none/);
  });

  it('lists the lock itself when it is re-taken while held (the LO102 of counter.py)', async () => {
    const md = await hoverText('counter.py', '_lock:', 'def decr');
    assert.match(md, /Held when it is taken: itself ×1/);
    assert.doesNotMatch(md, /cycle/);
  });

  it('lists another instance of a family nested in itself, and calls that a cycle', async () => {
    const md = await hoverText('hover_shapes.py', 'forks[i]', 'def eat');
    assert.match(md, /Held when it is taken: another instance of itself ×1/);
    assert.match(md, /Part of a lock-order cycle/);
  });

  it('shows nothing away from a lock, and sees unsaved edits', async () => {
    const path = join(ws.dir, 'ordered.py');
    const uri = uriOf(path);
    const text = readFileSync(path, 'utf8');
    assert.equal(await server.hover(uri, positionOf(text, 'done.append(1)')), null);
    // Rename c_lock's first use to a new global lock without waiting for diagnostics.
    const edited = text.replace('done = []', 'done = []\nd_lock = threading.Lock()').replace('with c_lock:\n                done', 'with d_lock:\n                done');
    server.change(uri, [{ text: edited }]);
    const hover = await server.hover(uri, positionOf(edited, 'd_lock:', 'def step_three'));
    assert.ok(hover, 'hover on the new lock, before the debounce elapsed');
    assert.match(hover.contents.value, /d_lock/);
  });
});

describe('lsp: settings', () => {
  let ws, server;
  const current = { lockorder: {} };
  before(async () => {
    ws = workspaceFrom('settings');
    server = await startServer({ workspace: ws.dir, settings: () => current.lockorder });
    await server.waitForIndex();
  });
  after(async () => { await server.stop(); ws.cleanup(); });

  const main = () => uriOf(join(ws.dir, 'main.py'));
  const skipped = () => uriOf(join(ws.dir, 'excluded', 'skipped.py'));
  const lo101 = (p) => p.diagnostics.filter((d) => d.code === 'LO101');

  it('by default reports both files, as warnings', async () => {
    const pub = await server.waitForDiagnostics(main(), (p) => lo101(p).length === 1);
    assert.equal(lo101(pub)[0].severity, 2);
    await server.waitForDiagnostics(skipped(), (p) => lo101(p).length === 1);
  });

  it('applies a rule severity override', async () => {
    current.lockorder = { rules: { LO101: { severity: 'error' } } };
    server.configurationChanged();
    const pub = await server.waitForDiagnostics(main(), (p) => lo101(p).length === 1 && lo101(p)[0].severity === 1);
    assert.equal(lo101(pub)[0].severity, 1);
  });

  it('turns a rule off, and back on', async () => {
    current.lockorder = { rules: { LO101: { enabled: false } } };
    server.configurationChanged();
    await server.waitForDiagnostics(main(), (p) => lo101(p).length === 0);
    await server.waitForDiagnostics(skipped(), (p) => lo101(p).length === 0);
    current.lockorder = {};
    server.configurationChanged();
    await server.waitForDiagnostics(main(), (p) => lo101(p).length === 1);
  });

  it('excludes files by glob, clearing their diagnostics', async () => {
    current.lockorder = { exclude: ['excluded/**'] };
    server.configurationChanged();
    await server.waitForDiagnostics(skipped(), (p) => p.diagnostics.length === 0);
    const pub = await server.waitForDiagnostics(main(), (p) => lo101(p).length === 1);
    assert.equal(lo101(pub).length, 1);
  });

  it('lockorder.enable: false clears everything', async () => {
    current.lockorder = { enable: false };
    server.configurationChanged();
    await server.waitForDiagnostics(main(), (p) => p.diagnostics.length === 0);
    await server.waitForDiagnostics(skipped(), (p) => p.diagnostics.length === 0);
  });

  it('ignores malformed values instead of failing', async () => {
    current.lockorder = { enable: 'yes', rules: { LO101: 'loud', LO999: { enabled: false } }, exclude: 'nothing' };
    server.configurationChanged();
    await server.waitForDiagnostics(main(), (p) => lo101(p).length === 1);
    await server.waitForDiagnostics(skipped(), (p) => lo101(p).length === 1);
    assert.ok(server.alive());
  });
});
