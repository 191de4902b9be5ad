// Protocol tests of the declared lock order in the server: LO106 in Python files, the order
// file's own diagnostics, completion of lock names, go-to-definition and hover in it (also at
// positions past the end of a line or of the file), re-analysis when the order file is edited,
// a 20,000-line order file, and which files `lockorder.orderFile` may name (only regular files
// inside the workspace: nothing outside it reaches the Problems panel).

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { lineOf, startServer, uriOf, workspaceFrom } from './lsp-client.mjs';

/** Wait until `check()` holds (polling), or fail naming `what`. */
async function until(check, what, timeoutMs = 10000) {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The labels of a completion answer. */
const labelsOf = (items) => (Array.isArray(items) ? items : items.items).map((i) => i.label);

/** The largest position number LSP allows (uinteger). */
const huge = 2 ** 31 - 1;

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

describe('lsp: positions past the end of a line or of the order file', () => {
  let ws, server, orderUri, pyPath;
  before(async () => {
    ws = workspaceFrom('order');
    server = await startServer({ workspace: ws.dir });
    pyPath = join(ws.dir, 'shop.py');
    const orderPath = join(ws.dir, 'lockorder.order');
    await server.waitForIndex();
    orderUri = server.open(orderPath, readFileSync(orderPath, 'utf8'), uriOf(orderPath), 'lockorder-order');
    await server.waitForDiagnostics(orderUri, (p) => p.diagnostics.length > 0);
  });
  after(async () => { await server.stop(); ws.cleanup(); });

  it('a huge character is clamped to the end of its line (hover, completion, definition)', { timeout: 60000 }, async () => {
    const hover = await server.hover(orderUri, { line: 1, character: huge });
    assert.match(hover.contents.value, /\*\*shop\.db_lock\*\*/);
    assert.deepEqual(hover.range, { start: { line: 1, character: 0 }, end: { line: 1, character: 'shop.db_lock'.length } });
    const items = await server.request('textDocument/completion', { textDocument: { uri: orderUri }, position: { line: 1, character: huge } });
    assert.deepEqual(labelsOf(items), ['shop.db_lock']);
    const defs = await server.request('textDocument/definition', { textDocument: { uri: orderUri }, position: { line: 1, character: huge } });
    assert.deepEqual(defs.map((d) => [d.uri, d.range.start.line]), [[uriOf(pyPath), lineOf(readFileSync(pyPath, 'utf8'), 'db_lock = threading.Lock()')]]);
  });

  it('a line past the end of the file names nothing: no hover, no definition', { timeout: 60000 }, async () => {
    assert.equal(await server.hover(orderUri, { line: huge, character: huge }), null);
    const defs = await server.request('textDocument/definition', { textDocument: { uri: orderUri }, position: { line: 4, character: huge } });
    assert.deepEqual(defs, []);
    assert.ok(server.alive());
  });
});

/** Lines of a big order file for the `order` fixture; `close` adds a line closing a cycle. */
function bigOrder(close) {
  const fillers = Array.from({ length: 19996 }, (_, i) => `shop.gen.x${i}`);
  const lines = ['shop.audit_lock', ...fillers, 'shop.db_lock', 'shop.cache_lock', '# end'];
  return (close ? [...lines, 'shop.cache_lock < shop.audit_lock'] : lines).join('\n') + '\n';
}

describe('lsp: a 20,000-line order file', () => {
  let ws, server, orderUri, pyUri, pyText;
  before(async () => {
    ws = workspaceFrom('order');
    const orderPath = join(ws.dir, 'lockorder.order');
    writeFileSync(orderPath, bigOrder(true));
    server = await startServer({ workspace: ws.dir });
    pyUri = server.open(join(ws.dir, 'shop.py'));
    pyText = readFileSync(join(ws.dir, 'shop.py'), 'utf8');
    orderUri = server.open(orderPath, bigOrder(true), uriOf(orderPath), 'lockorder-order');
  });
  after(async () => { await server.stop(); ws.cleanup(); });

  it('publishes its diagnostics: every unknown name, and one contradiction on the line that closes it', async () => {
    const pub = await server.waitForDiagnostics(orderUri, (p) => p.diagnostics.length > 0, 60000);
    const unknown = pub.diagnostics.filter((d) => /no lock named shop\.gen\.x\d+/.test(d.message));
    assert.equal(unknown.length, 19996);
    const contradictions = pub.diagnostics.filter((d) => /contradiction/.test(d.message));
    assert.equal(contradictions.length, 1);
    assert.equal(contradictions[0].range.start.line, 20000);
    assert.equal(contradictions[0].severity, 1);
    assert.match(contradictions[0].message, /shop\.audit_lock < shop\.gen\.x0 .* < shop\.cache_lock < shop\.audit_lock \(lines 2, 3, 4, .* and 20001\)/);
    assert.equal(pub.diagnostics.length, 19997);
  });

  it('re-analyzes an edit of the big file: the contradiction goes, LO106 follows the order', async () => {
    const version = server.change(orderUri, [{ text: bigOrder(false) }]);
    const pub = await server.waitForDiagnostics(orderUri, (p) => p.version === version, 60000);
    assert.equal(pub.diagnostics.filter((d) => /contradiction/.test(d.message)).length, 0);
    const inRefill = lineOf(pyText, 'with db_lock:', 'def refill');
    const py = await server.waitForDiagnostics(pyUri, (p) => p.diagnostics.some((d) => d.code === 'LO106'), 60000);
    assert.deepEqual(py.diagnostics.filter((d) => d.code === 'LO106').map((d) => d.range.start.line), [inRefill]);
  });

  it('answers hover and completion on the big file', async () => {
    const hover = await server.hover(orderUri, { line: 19997, character: 3 });
    assert.match(hover.contents.value, /\*\*shop\.db_lock\*\*/);
    const items = await server.request('textDocument/completion', { textDocument: { uri: orderUri }, position: { line: 19998, character: 5 } });
    assert.deepEqual(labelsOf(items), ['shop.audit_lock', 'shop.cache_lock', 'shop.db_lock']);
  });
});

describe('lsp: lockorder.orderFile names only regular files inside the workspace', () => {
  let ws, outside, server, current, pyUri;
  const secret = 'shop.cache_lock\nshop.db_lock\nTOPSECRET password=hunter2\n';
  /** Nothing published anywhere shows the secret file's text. */
  const noSecret = () => {
    for (const p of server.diagnostics.values()) {
      assert.ok(!JSON.stringify(p).includes('TOPSECRET'), `the secret leaked into ${p.uri}`);
    }
  };
  const refused = (name) => server.logs.some((l) => l.includes(name) && /order file not read: lockorder\.orderFile must name a file inside the workspace folder/.test(l));
  before(async () => {
    ws = workspaceFrom('order');
    unlinkSync(join(ws.dir, 'lockorder.order'));
    outside = mkdtempSync(join(tmpdir(), 'lockorder-outside-'));
    writeFileSync(join(outside, 'secret.order'), secret);
    current = { orderFile: `../${basename(outside)}/secret.order` };
    server = await startServer({ workspace: ws.dir, settings: () => current });
    pyUri = server.open(join(ws.dir, 'shop.py'));
  });
  after(async () => { await server.stop(); ws.cleanup(); rmSync(outside, { recursive: true, force: true }); });

  it('refuses a ../ path with a one-line message that does not echo the file', async () => {
    await until(() => refused('secret.order'), 'the refusal message');
    const py = await server.waitForDiagnostics(pyUri, (p) => p.diagnostics.some((d) => d.code === 'LO101'));
    assert.deepEqual(py.diagnostics.filter((d) => d.code === 'LO106'), [], 'the outside order is not applied');
    noSecret();
    assert.ok(!server.logs.some((l) => l.includes('TOPSECRET')));
  });

  it('refuses an absolute path outside the workspace', async () => {
    current = { orderFile: join(outside, 'secret.order') };
    server.configurationChanged();
    await until(() => refused(join(outside, 'secret.order')), 'the refusal message');
    noSecret();
  });

  it('refuses a lockorder.order inside the workspace that is a symbolic link to a file outside', async () => {
    symlinkSync(join(outside, 'secret.order'), join(ws.dir, 'lockorder.order'));
    current = {};
    server.configurationChanged();
    await until(() => refused(join(ws.dir, 'lockorder.order')), 'the refusal message');
    noSecret();
    unlinkSync(join(ws.dir, 'lockorder.order'));
  });

  it('does not hang on a lockorder.order that is a FIFO: a one-line message, and analysis goes on', async () => {
    execFileSync('mkfifo', [join(ws.dir, 'lockorder.order')]);
    writeFileSync(join(ws.dir, 'shop.py'), readFileSync(join(ws.dir, 'shop.py'), 'utf8'));
    current = {};
    server.configurationChanged();
    await until(() => server.logs.some((l) => l.includes('lockorder.order') && /order file not read: not a regular file/.test(l)), 'the FIFO message');
    const version = server.change(pyUri, [{ text: `${readFileSync(join(ws.dir, 'shop.py'), 'utf8')}\n# edited\n` }]);
    const py = await server.waitForDiagnostics(pyUri, (p) => p.version === version);
    assert.ok(py.diagnostics.some((d) => d.code === 'LO101'), 'the analysis still runs');
    assert.ok(server.alive());
  });

  it('still reads a regular lockorder.order inside the workspace', async () => {
    unlinkSync(join(ws.dir, 'lockorder.order'));
    writeFileSync(join(ws.dir, 'lockorder.order'), 'shop.db_lock\nshop.cache_lock\n');
    current = {};
    server.configurationChanged();
    await server.waitForDiagnostics(pyUri, (p) => p.diagnostics.some((d) => d.code === 'LO106'));
  });
});
