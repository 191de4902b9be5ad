// Protocol tests of TypeScript and JavaScript in the language server, over stdio as an editor
// speaks to it: an open .ts file gets the LO101 of a cycle with a closed file (the index reads
// TS/JS), with its code, documentation link and related sites; hover describes its locks; the
// suppression quick fix writes `// lockorder: ignore[LO101]`; an edit that fixes the order clears
// it; the same for a CommonJS .js file; half-typed TypeScript never stops the server; an untitled
// TypeScript document is analyzed as TypeScript.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { applyEdits, lineOf, positionOf, startServer, uriOf, workspaceFrom } from './lsp-client.mjs';

let ws;
let server;
before(async () => {
  ws = workspaceFrom('typescript');
  server = await startServer({ workspace: ws.dir });
  await server.waitForIndex();
});
after(async () => {
  await server.stop();
  ws.cleanup();
});

/** Open a workspace file in the editor (its text on disk); its first publication. */
async function openFile(name, languageId) {
  const path = join(ws.dir, name);
  const text = readFileSync(path, 'utf8');
  const uri = server.open(path, text, uriOf(path), languageId);
  const pub = await server.waitForDiagnostics(uri, (p) => p.version === 1);
  return { uri, text, diagnostics: pub.diagnostics };
}

/** Replace the document's whole text; the publication for the new version. */
async function setText(doc, text) {
  const version = server.change(doc.uri, [{ text }]);
  const pub = await server.waitForDiagnostics(doc.uri, (p) => p.version === version);
  return { ...doc, text, diagnostics: pub.diagnostics };
}

/** The one LO101 of a publication. */
function lo101(diagnostics) {
  const found = diagnostics.filter((d) => d.code === 'LO101');
  assert.equal(found.length, 1, JSON.stringify(diagnostics));
  return found[0];
}

/** Apply the "Ignore LO101 on this line" action of a diagnostic; the document after it. */
async function ignore(doc, d) {
  const actions = await server.codeActions(doc.uri, [d]);
  const action = actions.find((a) => a.title === 'Ignore LO101 on this line');
  assert.ok(action, JSON.stringify(actions.map((a) => a.title)));
  const edits = action.edit.changes[doc.uri];
  assert.deepEqual(edits.map((e) => e.newText), ['  // lockorder: ignore[LO101]']);
  return setText(doc, applyEdits(doc.text, edits));
}

describe('lsp: TypeScript and JavaScript documents', () => {
  it('an open .ts file gets the LO101 of a cycle with a closed file: code, link, related sites, tasks', async () => {
    const doc = await openFile('report.ts', 'typescript');
    const d = lo101(doc.diagnostics);
    assert.equal(d.source, 'lockorder');
    assert.equal(d.range.start.line, lineOf(doc.text, 'await accounts.runExclusive'));
    assert.match(d.codeDescription.href, /LO101/);
    assert.match(d.message, /tasks/);
    assert.doesNotMatch(d.message, /thread/i);
    const related = d.relatedInformation.map((r) => `${r.location.uri.split('/').pop()}:${r.location.range.start.line}`);
    const bank = readFileSync(join(ws.dir, 'bank.ts'), 'utf8');
    assert.ok(related.includes(`bank.ts:${lineOf(bank, 'await audit.runExclusive')}`), related.join(', '));
    assert.ok(related.includes(`bank.ts:${lineOf(bank, 'await accounts.runExclusive')}`), related.join(', '));
    server.close(doc.uri);
  });

  it('hover on a mutex in a .ts file names it and the locks around it', async () => {
    const doc = await openFile('report.ts', 'typescript');
    const hover = await server.hover(doc.uri, positionOf(doc.text, 'accounts.runExclusive'));
    assert.ok(hover, 'a hover');
    assert.match(hover.contents.value, /^\*\*`bank_ts\.accounts`\*\* — `async-mutex\.Mutex` \(not reentrant\)/);
    assert.match(hover.contents.value, /bank\.ts:6/, 'where it is created');
    assert.match(hover.contents.value, /Held when it is taken: .*`audit`/);
    server.close(doc.uri);
  });

  it('the quick fix writes `// lockorder: ignore[LO101]` and the diagnostic goes; fixing the order clears it too', async () => {
    let doc = await openFile('report.ts', 'typescript');
    const ignored = await ignore(doc, lo101(doc.diagnostics));
    assert.match(ignored.text.split('\n')[lineOf(doc.text, 'await accounts.runExclusive')], /runExclusive\(async \(\) => \{ {2}\/\/ lockorder: ignore\[LO101\]$/);
    assert.deepEqual(ignored.diagnostics.filter((d) => d.code === 'LO101'), []);
    doc = await setText(ignored, doc.text);
    lo101(doc.diagnostics);
    // Take `accounts` first, as bank.ts does: an incremental edit of two lines.
    const outer = lineOf(doc.text, 'await audit.runExclusive');
    const version = server.change(doc.uri, [
      { range: { start: { line: outer, character: 8 }, end: { line: outer, character: 13 } }, text: 'accounts' },
      { range: { start: { line: outer + 1, character: 10 }, end: { line: outer + 1, character: 18 } }, text: 'audit' },
    ]);
    const pub = await server.waitForDiagnostics(doc.uri, (p) => p.version === version);
    assert.deepEqual(pub.diagnostics, []);
    server.close(doc.uri);
  });

  it('a CommonJS .js file gets its LO101, the `//` suppression, and loses it once fixed', async () => {
    const doc = await openFile('ledger.js', 'javascript');
    const d = lo101(doc.diagnostics);
    assert.equal(d.range.start.line, lineOf(doc.text, 'await books.acquire()', 'async function close'));
    assert.ok(d.relatedInformation.length >= 2);
    const ignored = await ignore(doc, d);
    assert.deepEqual(ignored.diagnostics.filter((x) => x.code === 'LO101'), []);
    // Take `books` first in close() too.
    const [head, close] = doc.text.split('async function close');
    const swapped = close.replace('await journal.acquire()', 'await FIRST.acquire()').replace('await books.acquire()', 'await journal.acquire()');
    const fixed = `${head}async function close${swapped.replace('FIRST', 'books')}`;
    const after = await setText(ignored, fixed);
    assert.deepEqual(after.diagnostics.filter((x) => x.code === 'LO101'), []);
    server.close(doc.uri);
  });

  it('half-typed TypeScript, keystroke by keystroke, never stops the server; the finished text gets its finding', async () => {
    const path = join(ws.dir, 'draft.ts');
    const full = readFileSync(join(ws.dir, 'report.ts'), 'utf8').replace('report()', 'draft()');
    const uri = server.open(path, '', uriOf(path), 'typescript');
    await server.waitForDiagnostics(uri, (p) => p.version === 1);
    let version = 1;
    for (let end = 10; end < full.length; end += 23) {
      version = server.change(uri, [{ text: full.slice(0, end) }]);
      if (end % 5 === 0) await server.waitForDiagnostics(uri, (p) => p.version === version);
    }
    const half = await server.waitForDiagnostics(uri, (p) => p.version === version);
    assert.ok(server.alive(), `the server is running: ${server.stderr}`);
    assert.ok(Array.isArray(half.diagnostics));
    version = server.change(uri, [{ text: full }]);
    const done = await server.waitForDiagnostics(uri, (p) => p.version === version);
    const d = lo101(done.diagnostics);
    assert.equal(d.range.start.line, lineOf(full, 'await accounts.runExclusive'), 'draft() inverts bank.ts');
    assert.equal(server.stderr.includes('TypeError'), false, server.stderr);
    server.close(uri);
  });
});

describe('lsp: untitled TypeScript and a line that already has a comment', () => {
  it('an untitled TypeScript document is analyzed as TypeScript, and its findings come back to its URI', async () => {
    const text = [
      "import { Mutex } from 'async-mutex';",
      'const accounts = new Mutex();',
      'const audit = new Mutex();',
      'export async function transfer(): Promise<void> {',
      '  await accounts.runExclusive(() => audit.runExclusive(() => 1));',
      '}',
      'export async function report(): Promise<void> {',
      '  await audit.runExclusive(() => accounts.runExclusive(() => 2));',
      '}',
      '',
    ].join('\n');
    const uri = server.open('/nowhere', text, 'untitled:Untitled-7', 'typescript');
    const pub = await server.waitForDiagnostics(uri, (p) => p.version === 1);
    const d = lo101(pub.diagnostics);
    assert.equal(d.range.start.line, lineOf(text, 'accounts.runExclusive(() => 2)'));
    assert.ok(d.relatedInformation.every((r) => r.location.uri === uri), JSON.stringify(d.relatedInformation));
    const hover = await server.hover(uri, positionOf(text, 'accounts.runExclusive(() => 2)'));
    assert.match(hover?.contents.value ?? '', /`async-mutex\.Mutex`/);
    // It has no extension: its language picks the comment the suppression quick fix writes.
    const ignore = (await server.codeActions(uri, [d])).find((a) => a.title === 'Ignore LO101 on this line');
    assert.deepEqual(ignore.edit.changes[uri].map((e) => e.newText.trim()), ['// lockorder: ignore[LO101]']);
    server.close(uri);
  });

  it('on a line that ends in a comment, the quick fix writes a `/* lockorder: ignore[LO101] */` comment, and it counts', async () => {
    const path = join(ws.dir, 'commented.ts');
    const text = readFileSync(join(ws.dir, 'report.ts'), 'utf8').replace('report()', 'commented()')
      .replace('await accounts.runExclusive(async () => {', 'await accounts.runExclusive(async () => { // see https://example.com');
    const uri = server.open(path, text, uriOf(path), 'typescript');
    const doc = { uri, text, diagnostics: (await server.waitForDiagnostics(uri, (p) => p.version === 1)).diagnostics };
    const actions = await server.codeActions(uri, [lo101(doc.diagnostics)]);
    const edits = actions.find((a) => a.title === 'Ignore LO101 on this line').edit.changes[uri];
    const after = await setText(doc, applyEdits(text, edits));
    const line = after.text.split('\n')[lineOf(text, 'await accounts.runExclusive')];
    assert.match(line, /\/\* lockorder: ignore\[LO101\] \*\//);
    assert.match(line, /await accounts\.runExclusive\(async \(\) => \{ .*\/\/ see https:\/\/example\.com$/);
    assert.deepEqual(after.diagnostics.filter((x) => x.code === 'LO101'), []);
    server.close(uri);
  });
});
