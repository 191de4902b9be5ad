// Protocol tests of the Node runtime's findings in the editor: the real Node runtime
// (`node --import runtime/node/register.mjs`) runs JavaScript programs of a workspace, and the
// language server turns their reports into diagnostics on the .mjs/.cjs files, as it does for
// Python: at the lines where the async chains took the locks, silenced by a
// `// lockorder: ignore[...]` comment, and merged with the static finding of the same cycle in an
// open or closed file ("found by analysis, confirmed at run time": the index analyzes JS files too).

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { lineOf, root, startServer, uriOf } from './lsp-client.mjs';
import { runtimeOnly, watched, workspace } from './lsp-runtime-records.mjs';
import { bankJs } from './node-programs.mjs';

/** The same in CommonJS, with the locks passed in (so only a run sees the cycle). */
const ledgerCjs = `// Ledger: the locks are made in main() and passed to the workers.
const { Mutex } = require('async-mutex');

async function post(books, journal) {
  await books.runExclusive(async () => {
    await journal.runExclusive(async () => {});
  });
}

async function close(books, journal) {
  await journal.runExclusive(async () => {
    await books.runExclusive(async () => {});
  });
}

async function main() {
  const books = new Mutex();
  const journal = new Mutex();
  await post(books, journal);
  await close(books, journal);
}

main();
`;

const register = join(root, 'runtime', 'node', 'register.mjs');

/** Run a workspace program under the Node runtime; the report files it wrote. */
function runChecked(ws, name) {
  const reportDir = join(ws.dir, '.lockorder');
  const env = { ...process.env, LOCKORDER_REPORT_DIR: reportDir, LOCKORDER_SUMMARY: '0' };
  delete env.NODE_OPTIONS;
  execFileSync(process.execPath, ['--import', register, name], { cwd: ws.dir, env, stdio: 'pipe', timeout: 30000 });
  // Report files only: the server keeps its analysis cache in .lockorder/cache too.
  const files = readdirSync(reportDir).filter((f) => f.endsWith('.jsonl')).map((f) => join(reportDir, f));
  assert.ok(files.some((f) => readFileSync(f, 'utf8').includes(`"language":"javascript"`)), `the Node runtime wrote a report for ${name}`);
  return files;
}

/** A workspace holding `files`, with the repository's node_modules (async-mutex) beside them. */
function nodeWorkspace(files) {
  const ws = workspace(files);
  symlinkSync(join(root, 'node_modules'), join(ws.dir, 'node_modules'));
  return ws;
}

describe('lsp runtime: Node runtime reports become diagnostics on JavaScript files', () => {
  let ws, server;
  before(async () => {
    ws = nodeWorkspace({ 'bank.mjs': bankJs, 'ledger.cjs': ledgerCjs });
    server = await startServer({ workspace: ws.dir });
    await server.waitForIndex();
  });
  after(async () => { await server.stop(); ws.cleanup(); });

  it('a real run of an .mjs program confirms the static finding of the same cycle in a closed file (the index analyzes .mjs too)', async () => {
    watched(server, runChecked(ws, 'bank.mjs'), 1);
    const uri = uriOf(join(ws.dir, 'bank.mjs'));
    const pub = await server.waitForDiagnostics(uri, (p) => p.diagnostics.some((d) => /confirmed at run time/.test(d.message)));
    const lo101 = pub.diagnostics.filter((d) => d.code === 'LO101');
    assert.equal(lo101.length, 1, JSON.stringify(lo101));
    assert.match(lo101[0].message, /^Lock-order inversion: .*\(found by analysis, confirmed at run time in bank\.mjs\)$/);
    assert.equal(runtimeOnly(pub).length, 0);
  });

  it('publishes the findings of a CommonJS (.cjs) program at the lines where the chains took the locks', async () => {
    watched(server, runChecked(ws, 'ledger.cjs'), 1);
    const uri = uriOf(join(ws.dir, 'ledger.cjs'));
    const pub = await server.waitForDiagnostics(uri, (p) => runtimeOnly(p).length === 2);
    const lines = runtimeOnly(pub).map((d) => d.range.start.line).sort((x, y) => x - y);
    assert.deepEqual(lines, [lineOf(ledgerCjs, 'await journal.runExclusive', 'function post'), lineOf(ledgerCjs, 'await books.runExclusive', 'function close')]);
    for (const d of runtimeOnly(pub)) {
      assert.equal(d.code, 'LO101');
      assert.match(d.message, /^Lock-order inversion observed at run time in ledger\.cjs \(tasks "chain \d", "chain \d"\): here, task "chain \d" takes (books while holding journal|journal while holding books)\.$/);
      assert.doesNotMatch(d.message + d.relatedInformation.map((r) => r.message).join(' '), /thread/, 'a Node program has async call chains (tasks), not threads');
      const related = d.relatedInformation.map((r) => `${r.location.range.start.line}:${r.message}`);
      assert.ok(related.includes(`${lineOf(ledgerCjs, 'const books')}:books is created here`), related.join('\n'));
    }
  });

  it('honours a `// lockorder: ignore[LO101]` comment added at a site, without calling the other site stale', async () => {
    const uri = uriOf(join(ws.dir, 'ledger.cjs'));
    await server.waitForDiagnostics(uri, (p) => runtimeOnly(p).length === 2);
    const site = lineOf(ledgerCjs, 'await journal.runExclusive', 'function post');
    const lines = ledgerCjs.split('\n');
    lines[site] += ' // lockorder: ignore[LO101]';
    server.open(join(ws.dir, 'ledger.cjs'), lines.join('\n'), uri, 'javascript');
    const pub = await server.waitForDiagnostics(uri, (p) => runtimeOnly(p).length === 1);
    const [left] = runtimeOnly(pub);
    assert.equal(left.range.start.line, lineOf(ledgerCjs, 'await books.runExclusive', 'function close'));
    assert.doesNotMatch(left.message, /earlier run/);
    assert.equal(left.severity, 2, 'still a warning: the code did not change');
  });

  it('does not take `//` prose that mentions lockorder: ignore after another comment for a suppression', async () => {
    const uri = uriOf(join(ws.dir, 'ledger.cjs'));
    const site = lineOf(ledgerCjs, 'await journal.runExclusive', 'function post');
    const lines = ledgerCjs.split('\n');
    lines[site] += ' // see the // lockorder: ignore[LO101] docs';
    server.change(uri, [{ text: lines.join('\n') }]);
    const pub = await server.waitForDiagnostics(uri, (p) => runtimeOnly(p).length === 2);
    assert.ok(runtimeOnly(pub).some((d) => d.range.start.line === site && /earlier run/.test(d.message)), 'the line changed (prose added), so it is from an earlier run');
  });

  it('merges a run-time finding with the static one of the same cycle in an open .mjs file: one diagnostic, confirmed at run time', async () => {
    const uri = uriOf(join(ws.dir, 'bank.mjs'));
    server.open(join(ws.dir, 'bank.mjs'), bankJs, uri, 'javascript');
    const pub = await server.waitForDiagnostics(uri, (p) => p.version === 1 && p.diagnostics.some((d) => /confirmed at run time/.test(d.message)));
    const lo101 = pub.diagnostics.filter((d) => d.code === 'LO101');
    assert.equal(lo101.length, 1, JSON.stringify(lo101));
    assert.match(lo101[0].message, /^Lock-order inversion: .*\(found by analysis, confirmed at run time in bank\.mjs\)$/);
    assert.equal(runtimeOnly(pub).length, 0);
  });
});
