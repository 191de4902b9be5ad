// Protocol tests of diagnostics: open, edit, cross-file changes, closed files in a cycle,
// a half-typed file. They spawn dist/server.js over stdio (build first).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fixtures, lineOf, positionOf, startServer, uriOf, workspaceFrom } from './lsp-client.mjs';

const hasCode = (code) => (p) => p.diagnostics.some((d) => d.code === code);
const lockorderOnly = (p) => p.diagnostics.filter((d) => d.source === 'lockorder');

describe('lsp: diagnostics of one file', () => {
  let ws, server, path, text;
  before(async () => {
    ws = workspaceFrom();
    server = await startServer({ workspace: ws.dir });
    path = join(ws.dir, 'inversion.py');
    text = readFileSync(path, 'utf8');
  });
  after(async () => { await server.stop(); ws.cleanup(); });

  it('publishes LO101 on open, with the rule doc, source, related sites and fixes in data', async () => {
    const uri = server.open(path);
    const pub = await server.waitForDiagnostics(uri, (p) => p.version === 1 && hasCode('LO101')(p));
    const found = lockorderOnly(pub).filter((d) => d.code === 'LO101');
    assert.equal(found.length, 1, JSON.stringify(pub.diagnostics));
    const d = found[0];
    assert.equal(d.source, 'lockorder');
    assert.match(d.codeDescription.href, /LO101\.md$/);
    assert.match(d.message, /x_lock/);
    assert.match(d.message, /y_lock/);
    const inner = [lineOf(text, 'with y_lock:', 'def transfer'), lineOf(text, 'with x_lock:', 'def refund')];
    assert.ok(inner.includes(d.range.start.line), `primary line ${d.range.start.line} is one of the inner acquisitions ${inner}`);
    const other = inner.find((l) => l !== d.range.start.line);
    assert.ok(d.relatedInformation.length >= 1);
    assert.ok(d.relatedInformation.some((r) => r.location.uri === uri && r.location.range.start.line === other),
      `a related site at line ${other}: ${JSON.stringify(d.relatedInformation)}`);
    for (const r of d.relatedInformation) assert.ok(r.message.length > 0, 'each related site says what happens there');
    assert.ok(Array.isArray(d.data.fixes) && d.data.fixes.length > 0, 'the fixes travel in data');
  });

  it('updates the diagnostics after an edit that removes the inversion', async () => {
    const uri = uriOf(path);
    // Make refund() take x_lock first, like transfer(): swap the two `with` lines.
    const outer = lineOf(text, 'with y_lock:', 'def refund');
    const version = server.change(uri, [
      { range: { start: { line: outer, character: 9 }, end: { line: outer, character: 10 } }, text: 'x' },
      { range: { start: { line: outer + 1, character: 13 }, end: { line: outer + 1, character: 14 } }, text: 'y' },
    ]);
    const pub = await server.waitForDiagnostics(uri, (p) => p.version === version);
    assert.deepEqual(lockorderOnly(pub), []);
  });

  it('brings the finding back when the edit is undone', async () => {
    const uri = uriOf(path);
    const version = server.change(uri, [{ text }]);
    const pub = await server.waitForDiagnostics(uri, (p) => p.version === version);
    assert.equal(lockorderOnly(pub).filter((d) => d.code === 'LO101').length, 1);
  });
});

describe('lsp: cross-file findings', () => {
  let ws, server;
  before(async () => {
    ws = workspaceFrom('cross');
    server = await startServer({ workspace: ws.dir });
  });
  after(async () => { await server.stop(); ws.cleanup(); });

  it('indexes the workspace with progress and publishes closed files that are part of a cycle', async () => {
    const summary = await server.waitForIndex();
    assert.equal(summary.files, 2);
    assert.ok(server.progress.some((v) => v.kind === 'begin'), 'work-done progress began');
    assert.ok(server.progress.some((v) => v.kind === 'end'), 'work-done progress ended');
    // The engine reports the cycle once, in one of the two files, pointing at the other one.
    await server.waitForDiagnostics(uriOf(join(ws.dir, 'locks.py')), hasCode('LO101'));
    const pub = server.diagnostics.get(uriOf(join(ws.dir, 'locks.py')));
    assert.equal(pub.version ?? null, null, 'published for a closed file');
    const found = pub.diagnostics.filter((x) => x.code === 'LO101');
    assert.equal(found.length, 1);
    assert.ok(found[0].relatedInformation.some((r) => r.location.uri === uriOf(join(ws.dir, 'jobs.py'))), 'a related site in jobs.py');
    const jobs = server.diagnostics.get(uriOf(join(ws.dir, 'jobs.py')));
    assert.equal((jobs?.diagnostics ?? []).filter((x) => x.code === 'LO101').length, 0, 'the cycle is reported once');
  });

  it('clears the first file when an edit to the second file removes the cycle', async () => {
    const jobs = join(ws.dir, 'jobs.py');
    const text = readFileSync(jobs, 'utf8');
    const uri = server.open(jobs);
    const fixed = text.replace('with b_lock:\n        with a_lock:', 'with a_lock:\n        with b_lock:');
    assert.notEqual(fixed, text);
    const version = server.change(uri, [{ text: fixed }]);
    await server.waitForDiagnostics(uri, (p) => p.version === version && lockorderOnly(p).length === 0);
    const locks = await server.waitForDiagnostics(uriOf(join(ws.dir, 'locks.py')), (p) => lockorderOnly(p).length === 0);
    assert.deepEqual(locks.diagnostics, []);
  });

  it('restores the closed file\'s findings when the second file goes back to its text on disk', async () => {
    const jobs = join(ws.dir, 'jobs.py');
    server.close(uriOf(jobs));
    const locks = await server.waitForDiagnostics(uriOf(join(ws.dir, 'locks.py')), hasCode('LO101'));
    assert.equal(locks.diagnostics.filter((x) => x.code === 'LO101').length, 1);
  });
});

describe('lsp: bad input', () => {
  let server;
  before(async () => { server = await startServer(); });
  after(async () => { await server.stop(); });

  it('reports the part of a half-typed file that parses, and keeps serving', async () => {
    const path = join(fixtures, 'half_typed.py');
    const text = readFileSync(path, 'utf8');
    const uri = server.open(path, text, 'untitled:half_typed.py');
    const pub = await server.waitForDiagnostics(uri, (p) => p.version === 1);
    const found = lockorderOnly(pub).filter((d) => d.code === 'LO101');
    assert.equal(found.length, 1, JSON.stringify(pub.diagnostics));
    assert.ok(found[0].range.start.line < lineOf(text, 'def broken'), 'the finding is in the part that parses');
    // Keep typing into the broken function, one character at a time.
    let version = 1;
    const start = positionOf(text, 'if amount >');
    let at = { line: start.line, character: start.character + 'if amount >'.length };
    for (const ch of ' 0:\n            pass') {
      version = server.change(uri, [{ range: { start: at, end: at }, text: ch }]);
      at = ch === '\n' ? { line: at.line + 1, character: 0 } : { line: at.line, character: at.character + 1 };
    }
    const later = await server.waitForDiagnostics(uri, (p) => p.version === version);
    assert.equal(lockorderOnly(later).filter((d) => d.code === 'LO101').length, 1);
    assert.ok(server.alive(), 'the server is still running');
    assert.doesNotMatch(server.stderr, /\n\s+at /, 'no stack trace on stderr');
  });

  it('answers requests for unknown documents and positions with nothing', async () => {
    const hover = await server.hover('file:///nowhere/missing.py', { line: 99, character: 3 });
    assert.equal(hover, null);
    const actions = await server.codeActions('file:///nowhere/missing.py', [], { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
    assert.deepEqual(actions, []);
    assert.ok(server.alive());
  });
});
