// Protocol tests of "Clear Run-Time Reports" (lockorder/clearRuntimeReports) and of where reports
// are read from: only regular files inside the workspace after resolving symlinks, whose first
// line is a lockorder record, are deleted or read; a reports glob leaving the workspace is ignored.
// Every workspace, victim folder and symlink lives in a temporary directory.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { root, startServer, uriOf } from './lsp-client.mjs';
import { frame, line, runtimeOnly, scratch, selfDeadlock, shop, shopRecord, until, watched, workspace } from './lsp-runtime-records.mjs';

/** A record the tests plant outside the workspace: it names the workspace's shop.py, so it would show if read. */
const outsideRecord = (file) => selfDeadlock(file, frame(file, 'with stock:', 'checkout', 'def checkout'), { thread: 'outsider' });
const fromOutside = (p) => runtimeOnly(p).some((d) => /"outsider"/.test(d.message));

describe('lsp runtime clear: a reports glob of "**/*" deletes only report files', () => {
  let ws, server;
  before(async () => {
    ws = workspace({ 'shop.py': shop, 'notes.txt': 'keep me\n' });
    writeFileSync(join(ws.dir, '.lockorder', 'lockorder-1.jsonl'), line(shopRecord(join(ws.dir, 'shop.py'))));
    writeFileSync(join(ws.dir, '.lockorder', 'other.jsonl'), '{"hello": 1}\n');
    server = await startServer({ workspace: ws.dir, settings: () => ({ runtime: { reports: '**/*' } }) });
    await server.waitForIndex();
  });
  after(async () => { await server.stop(); ws.cleanup(); });

  it('keeps the sources, other files and JSON that is not a report', async () => {
    const answer = await server.request('lockorder/clearRuntimeReports');
    assert.equal(answer.deleted, 1);
    assert.ok(existsSync(join(ws.dir, 'shop.py')), 'the source file is kept');
    assert.ok(existsSync(join(ws.dir, 'notes.txt')), 'the text file is kept');
    assert.ok(existsSync(join(ws.dir, '.lockorder', 'other.jsonl')), 'a .jsonl file that is no report is kept');
    assert.ok(!existsSync(join(ws.dir, '.lockorder', 'lockorder-1.jsonl')), 'the report is deleted');
  });
});

describe('lsp runtime: a reports glob of "**/*" still lets sources changed on disk be re-analyzed', () => {
  let ws, server;
  before(async () => {
    ws = workspace({ 'shop.py': shop, 'later.py': 'import threading\n' });
    server = await startServer({ workspace: ws.dir, settings: () => ({ runtime: { reports: '**/*' } }) });
    await server.waitForIndex();
  });
  after(async () => { await server.stop(); ws.cleanup(); });

  it('analyzes a .py file written on disk, although the glob matches it', async () => {
    const path = join(ws.dir, 'later.py');
    writeFileSync(path, 'import threading\nlock = threading.Lock()\n\ndef f():\n    with lock:\n        with lock:\n            pass\n');
    watched(server, [path]);
    const pub = await server.waitForDiagnostics(uriOf(path), (p) => p.diagnostics.some((d) => d.code === 'LO102'));
    assert.ok(pub.diagnostics.some((d) => d.code === 'LO102'));
  });
});

describe('lsp runtime clear: a reports glob leaving the workspace ("../victim/**/*")', () => {
  let ws, server, victim, shopFile;
  before(async () => {
    const parent = mkdtempSync(join(tmpdir(), 'lockorder-parent-'));
    ws = workspace({ 'shop.py': shop }, { parent });
    shopFile = join(ws.dir, 'shop.py');
    victim = join(parent, 'victim');
    mkdirSync(victim);
    writeFileSync(join(victim, 'keep.py'), 'print("outside")\n');
    writeFileSync(join(victim, 'lockorder-9.jsonl'), line(outsideRecord(shopFile)));
    writeFileSync(join(ws.dir, '.lockorder', 'lockorder-1.jsonl'), line(shopRecord(shopFile)));
    server = await startServer({ workspace: ws.dir, settings: () => ({ runtime: { reports: '../victim/**/*' } }) });
    await server.waitForIndex();
  });
  after(async () => { await server.stop(); ws.cleanup(); });

  it('is ignored with a message: the default reports are read, the outside ones never', async () => {
    const pub = await server.waitForDiagnostics(uriOf(shopFile), (p) => runtimeOnly(p).length > 0);
    assert.ok(!fromOutside(pub), `the outside report was read: ${JSON.stringify(runtimeOnly(pub).map((d) => d.message))}`);
    await until(() => server.logs.some((l) => /lockorder\.runtime\.reports .*\.\.\/victim.* leaves the workspace folder/.test(l)), 'the ignored-setting message');
  });

  it('deletes nothing outside the workspace', async () => {
    const answer = await server.request('lockorder/clearRuntimeReports');
    assert.equal(answer.deleted, 1, 'only the workspace report');
    assert.ok(existsSync(join(victim, 'keep.py')));
    assert.ok(existsSync(join(victim, 'lockorder-9.jsonl')));
  });
});

describe('lsp runtime clear: a .lockorder folder that is a symlink to the outside', () => {
  let ws, server, outside, shopFile;
  before(async () => {
    ws = workspace({ 'shop.py': shop }, { reports: false });
    shopFile = join(ws.dir, 'shop.py');
    outside = scratch();
    writeFileSync(join(outside.dir, 'lockorder-3.jsonl'), line(outsideRecord(shopFile)));
    symlinkSync(outside.dir, join(ws.dir, '.lockorder'));
    server = await startServer({ workspace: ws.dir });
    await server.waitForIndex();
  });
  after(async () => { await server.stop(); ws.cleanup(); outside.cleanup(); });

  it('is neither read nor deleted', async () => {
    // A report written next to the workspace's sources (matched by the glob below) is the control.
    const control = join(ws.dir, 'reports', 'lockorder-4.jsonl');
    mkdirSync(join(ws.dir, 'reports'));
    writeFileSync(control, line(shopRecord(shopFile)));
    server.settings = () => ({ runtime: { reports: '{.lockorder,reports}/**/*.jsonl' } });
    server.configurationChanged();
    const pub = await server.waitForDiagnostics(uriOf(shopFile), (p) => runtimeOnly(p).length > 0);
    assert.ok(!fromOutside(pub), 'the report behind the symlink was read');
    const answer = await server.request('lockorder/clearRuntimeReports');
    assert.equal(answer.deleted, 1);
    assert.ok(existsSync(join(outside.dir, 'lockorder-3.jsonl')), 'the outside report is kept');
    assert.ok(!existsSync(control));
  });
});

describe('lsp runtime clear: a report file that is a symlink to the outside', () => {
  let ws, server, outside, shopFile;
  before(async () => {
    ws = workspace({ 'shop.py': shop });
    shopFile = join(ws.dir, 'shop.py');
    outside = scratch();
    writeFileSync(join(outside.dir, 'secret.jsonl'), line(outsideRecord(shopFile)));
    server = await startServer({ workspace: ws.dir });
    await server.waitForIndex();
  });
  after(async () => { await server.stop(); ws.cleanup(); outside.cleanup(); });

  it('is not read after a change event, nor deleted', async () => {
    const link = join(ws.dir, '.lockorder', 'lockorder-5.jsonl');
    symlinkSync(join(outside.dir, 'secret.jsonl'), link);
    watched(server, [link], 1);
    const control = join(ws.dir, '.lockorder', 'lockorder-6.jsonl');
    writeFileSync(control, line(shopRecord(shopFile)));
    watched(server, [control], 1);
    const pub = await server.waitForDiagnostics(uriOf(shopFile), (p) => runtimeOnly(p).length > 0);
    assert.ok(!fromOutside(pub), 'the report behind the symlink was read');
    await server.request('lockorder/clearRuntimeReports');
    assert.ok(existsSync(join(outside.dir, 'secret.jsonl')), 'the outside file is kept');
  });
});

describe('lsp runtime clear: what will be deleted is listed first', () => {
  let ws, server, report;
  before(async () => {
    ws = workspace({ 'shop.py': shop });
    report = join(ws.dir, '.lockorder', 'lockorder-7.jsonl');
    writeFileSync(report, line(shopRecord(join(ws.dir, 'shop.py'))));
    writeFileSync(join(ws.dir, '.lockorder', 'half.jsonl'), '{"version": 1, "ru');
    server = await startServer({ workspace: ws.dir });
    await server.waitForIndex();
  });
  after(async () => { await server.stop(); ws.cleanup(); });

  it('a dry run lists the report files and deletes nothing; then only listed report files are deleted', async () => {
    const listed = await server.request('lockorder/clearRuntimeReports', { dryRun: true });
    assert.deepEqual(listed.files, [uriOf(report)]);
    assert.equal(listed.deleted, 0);
    assert.ok(existsSync(report));
    const answer = await server.request('lockorder/clearRuntimeReports', { files: [uriOf(report), uriOf(join(ws.dir, 'shop.py'))] });
    assert.equal(answer.deleted, 1);
    assert.ok(!existsSync(report));
    assert.ok(existsSync(join(ws.dir, 'shop.py')), 'a listed file that is no report is kept');
    assert.ok(existsSync(join(ws.dir, '.lockorder', 'half.jsonl')));
  });
});

describe('lsp runtime clear: the VS Code side', () => {
  it('marks lockorder.runtime.reports as restricted in untrusted workspaces', () => {
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    assert.ok(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations.includes('lockorder.runtime.reports'));
  });

  it('names the files in the confirmation: the first few, then "and N more"', async () => {
    const { confirmationDetail } = await loadClientModule('client/src/reportList.ts');
    const few = confirmationDetail(['.lockorder/lockorder-1.jsonl', '.lockorder/lockorder-2.jsonl']);
    assert.equal(few, '.lockorder/lockorder-1.jsonl\n.lockorder/lockorder-2.jsonl');
    const many = confirmationDetail(Array.from({ length: 12 }, (_, i) => `.lockorder/lockorder-${i}.jsonl`));
    const lines = many.split('\n');
    assert.equal(lines.length, 6);
    assert.equal(lines[0], '.lockorder/lockorder-0.jsonl');
    assert.equal(lines[5], 'and 7 more');
  });
});

/** Bundle a vscode-free client module with esbuild and import it. */
async function loadClientModule(rel) {
  const { build } = await import('esbuild');
  const out = await build({ entryPoints: [join(root, rel)], bundle: true, format: 'esm', platform: 'node', write: false, logLevel: 'silent' });
  return import(`data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString('base64')}`);
}
