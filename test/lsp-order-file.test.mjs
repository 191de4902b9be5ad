// Protocol tests of the declared lock order in the server: LO106 in Python files, the order
// file's own diagnostics, completion of lock names, go-to-definition and hover in it, and
// re-analysis when the order file is edited.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { lineOf, startServer, uriOf, workspaceFrom } from './lsp-client.mjs';

describe('lsp: the declared lock order (lockorder.order)', () => {
  let ws, server, pyPath, orderPath, orderUri, pyText;
  before(async () => {
    ws = workspaceFrom('order');
    server = await startServer({ workspace: ws.dir });
    pyPath = join(ws.dir, 'shop.py');
    orderPath = join(ws.dir, 'lockorder.order');
    pyText = readFileSync(pyPath, 'utf8');
  });
  after(async () => { await server.stop(); ws.cleanup(); });

  it('reports LO106 where the code breaks the declared order, with the declaration as related', async () => {
    const uri = server.open(pyPath);
    const pub = await server.waitForDiagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'LO106'));
    const d = pub.diagnostics.find((x) => x.code === 'LO106');
    assert.equal(d.range.start.line, lineOf(pyText, 'with db_lock:', 'def refill'));
    assert.ok(d.relatedInformation.some((r) => r.location.uri === uriOf(orderPath) && r.location.range.start.line === 1));
    assert.ok(d.data.fixes.some((f) => /lockorder\.order/.test(f.title)), 'a fix that edits the order file');
  });

  it('gives the order file its own diagnostics: an unknown lock name', async () => {
    orderUri = server.open(orderPath, readFileSync(orderPath, 'utf8'), uriOf(orderPath), 'lockorder-order');
    const pub = await server.waitForDiagnostics(orderUri, (p) => p.diagnostics.length > 0);
    assert.equal(pub.diagnostics.length, 1, JSON.stringify(pub.diagnostics));
    assert.equal(pub.diagnostics[0].range.start.line, 3);
    assert.match(pub.diagnostics[0].message, /no lock named shop\.no_such_lock/);
  });

  it('completes lock names, goes to their definition and describes them on hover', async () => {
    const items = await server.request('textDocument/completion', { textDocument: { uri: orderUri }, position: { line: 3, character: 5 } });
    const labels = (Array.isArray(items) ? items : items.items).map((i) => i.label);
    assert.deepEqual(labels, ['shop.audit_lock', 'shop.cache_lock', 'shop.db_lock']);
    const defs = await server.request('textDocument/definition', { textDocument: { uri: orderUri }, position: { line: 1, character: 7 } });
    assert.equal(defs.length, 1);
    assert.equal(defs[0].uri, uriOf(pyPath));
    assert.equal(defs[0].range.start.line, lineOf(pyText, 'db_lock = threading.Lock()'));
    const hover = await server.hover(orderUri, { line: 2, character: 7 });
    assert.match(hover.contents.value, /shop\.cache_lock.*Lock/s);
  });

  it('re-analyzes when the order file is edited: the violation moves to the other function', async () => {
    const version = server.change(orderUri, [{ text: 'shop.cache_lock\nshop.db_lock\n' }]);
    const orderPub = await server.waitForDiagnostics(orderUri, (p) => p.version === version);
    assert.deepEqual(orderPub.diagnostics, [], 'both names are known now');
    const inSave = lineOf(pyText, 'with cache_lock:', 'def save');
    const pyPub = await server.waitForDiagnostics(uriOf(pyPath),
      (p) => p.diagnostics.some((d) => d.code === 'LO106' && d.range.start.line === inSave));
    assert.equal(pyPub.diagnostics.filter((d) => d.code === 'LO106').length, 1, 'refill() follows the new order');
  });
});
