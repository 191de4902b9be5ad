// Protocol tests of the `lockorder/graph` request: the workspace's lock-order graph in the
// JSON of `lockorder graph --format json` (absolute paths), with the cycle, the edge against
// the declared order (LO106), focus and depth, cycles only, one file's locks, an unknown
// focus answered with an error, and an edit that breaks a cycle answered at once.

import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { lineOf, startServer, uriOf, workspaceFrom } from './lsp-client.mjs';

/** A second module: a -> b -> c nested in one function, and c -> a in another (cycles a-b-c and a-c). */
const ring = `import threading

a = threading.Lock()
b = threading.Lock()
c = threading.Lock()
lone = threading.Lock()


def forward():
    with a:
        with b:
            with c:
                pass


def back():
    with c:
        with a:
            pass
`;

/** Names of a graph's nodes, sorted. */
const names = (g) => g.nodes.map((n) => n.name).sort();
/** Its edges as "from -> to" by name, sorted. */
function pairs(g, keep = () => true) {
  const name = new Map(g.nodes.map((n) => [n.id, n.name]));
  return g.edges.filter(keep).map((e) => `${name.get(e.from)} -> ${name.get(e.to)}`).sort();
}

describe('lsp: lockorder/graph', () => {
  let ws, server, shop, ringPath;
  before(async () => {
    ws = workspaceFrom('order');
    shop = join(ws.dir, 'shop.py');
    ringPath = join(ws.dir, 'ring.py');
    writeFileSync(ringPath, ring);
    server = await startServer({ workspace: ws.dir });
    await server.waitForIndex();
  });
  after(async () => { await server.stop(); ws.cleanup(); });

  it('answers the whole graph: nodes with creation sites, edges with sites, cycles, LO106 marked', async () => {
    const g = await server.request('lockorder/graph', {});
    assert.equal(g.version, 1);
    assert.deepEqual(names(g), ['ring.a', 'ring.b', 'ring.c', 'shop.cache_lock', 'shop.db_lock']);
    const db = g.nodes.find((n) => n.name === 'shop.db_lock');
    assert.deepEqual(db.created, { file: shop, line: 4, col: 11 });
    assert.equal(db.kind, 'Lock');
    assert.deepEqual(pairs(g), ['ring.a -> ring.b', 'ring.a -> ring.c', 'ring.b -> ring.c', 'ring.c -> ring.a',
      'shop.cache_lock -> shop.db_lock', 'shop.db_lock -> shop.cache_lock']);
    assert.deepEqual(pairs(g, (e) => e.declaredOrderViolation), ['shop.cache_lock -> shop.db_lock']);
    const refill = g.edges.find((e) => e.declaredOrderViolation).sites[0];
    assert.deepEqual({ file: refill.file, line: refill.line, function: refill.function },
      { file: shop, line: lineOf(readFileSync(shop, 'utf8'), 'with db_lock:', 'def refill') + 1, function: 'refill' });
    const cycles = g.cycles.map((c) => c.map((id) => g.nodes.find((n) => n.id === id).name).sort().join(' '));
    assert.deepEqual(cycles.sort(), ['ring.a ring.b ring.c', 'ring.a ring.c', 'shop.cache_lock shop.db_lock']);
    assert.ok(g.edges.every((e) => e.onCycle), 'every edge closes a cycle here');
  });

  it('keeps one lock and its neighbours (focus, depth), only cycles, or one file', async () => {
    assert.deepEqual(names(await server.request('lockorder/graph', { focus: 'ring.b', depth: 1 })), ['ring.a', 'ring.b', 'ring.c']);
    assert.deepEqual(names(await server.request('lockorder/graph', { focus: 'shop.db_lock', depth: 0 })), ['shop.db_lock']);
    assert.deepEqual(names(await server.request('lockorder/graph', { uri: uriOf(shop) })), ['shop.cache_lock', 'shop.db_lock']);
    const cyclesOnly = await server.request('lockorder/graph', { cyclesOnly: true, uri: uriOf(ringPath) });
    assert.deepEqual(pairs(cyclesOnly), ['ring.a -> ring.b', 'ring.a -> ring.c', 'ring.b -> ring.c', 'ring.c -> ring.a']);
  });

  it('answers an error for a lock it does not know, or bad params, and keeps serving', async () => {
    assert.deepEqual(await server.request('lockorder/graph', { focus: 'nope' }), { error: 'no lock named nope' });
    assert.deepEqual(await server.request('lockorder/graph', { depth: -1 }), { error: 'depth must be a whole number from 0 to 9999' });
    assert.deepEqual(await server.request('lockorder/graph', { uri: 42 }), { error: 'uri must be a file: URI' });
    assert.ok((await server.request('lockorder/graph', null)).nodes.length > 0);
  });

  it('answers from the last analysis when nothing changed: no new analysis, no new status', async () => {
    await server.request('lockorder/graph', {});
    await new Promise((r) => setTimeout(r, 300));
    const before = server.statuses.length;
    for (let i = 0; i < 3; i++) assert.ok((await server.request('lockorder/graph', {})).nodes.length > 0);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(server.statuses.length, before, 'a view that asks again after each status would otherwise never stop');
  });

  it('follows an edit of an open document: breaking the cycle turns its edges off the cycle', async () => {
    const uri = server.open(ringPath);
    await server.waitForDiagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'LO101'));
    const line = ring.split('\n').indexOf('def back():');
    server.change(uri, [{ range: { start: { line: line + 1, character: 0 }, end: { line: line + 3, character: 0 } },
      text: '    with a:\n        with c:\n' }]);
    const g = await server.request('lockorder/graph', { uri });
    assert.deepEqual(pairs(g), ['ring.a -> ring.b', 'ring.a -> ring.c', 'ring.b -> ring.c']);
    assert.deepEqual(g.cycles, []);
    assert.ok(g.edges.every((e) => !e.onCycle));
  });
});

describe('lsp: the "Show in graph" link in lock hovers', () => {
  /** The hover text on `db_lock` in shop.py, with the server started with `init`. */
  async function hoverText(init) {
    const ws = workspaceFrom('order');
    const server = await startServer({ workspace: ws.dir, init });
    try {
      const shop = join(ws.dir, 'shop.py');
      const uri = server.open(shop);
      await server.waitForDiagnostics(uri);
      const text = readFileSync(shop, 'utf8');
      const hover = await server.hover(uri, { line: lineOf(text, 'with db_lock:', 'def save'), character: 10 });
      return { value: hover.contents.value, id: `${shop}:4:11` };
    } finally {
      await server.stop();
      ws.cleanup();
    }
  }

  it('links to lockorder.showGraph with the lock id when the editor draws the graph', async () => {
    const { value, id } = await hoverText({ graphLinks: true });
    const link = /\[Show in graph\]\(command:lockorder\.showGraph\?([^)]+)\)/.exec(value);
    assert.ok(link, value);
    assert.deepEqual(JSON.parse(decodeURIComponent(link[1])), [{ lock: id }]);
  });

  it('has no link for other editors', async () => {
    const { value } = await hoverText({});
    assert.match(value, /db_lock/);
    assert.doesNotMatch(value, /Show in graph|command:/);
  });
});

describe('lsp: lockorder/graph marks the edges a run confirmed (findings and graph records)', () => {
  let ws, server, shop;
  before(async () => {
    ws = workspaceFrom('order');
    shop = join(ws.dir, 'shop.py');
    writeFileSync(join(ws.dir, 'other.py'), ring);
    mkdirSync(join(ws.dir, '.lockorder'));
    // The runtime's LO101 record of the shop's cycle, as a run under the runtime writes it.
    const frame = (needle, fn, after = '') => {
      const text = readFileSync(shop, 'utf8');
      const line = lineOf(text, needle, after) + 1;
      return { file: shop, line, function: fn, code: text.split('\n')[line - 1].trim() };
    };
    const record = {
      version: 1, rule: 'LO101', name: 'lock-order-inversion', message: 'Lock-order inversion', time: new Date().toISOString(),
      pid: 1, thread: 'refill', argv: ['shop.py'],
      locks: [
        { id: 1, name: 'db_lock', kind: 'Lock', created: frame('db_lock = threading.Lock()', '<module>') },
        { id: 2, name: 'cache_lock', kind: 'Lock', created: frame('cache_lock = threading.Lock()', '<module>') },
      ],
      edges: [
        { from: 1, to: 2, thread: 'save', stack: [frame('with cache_lock:', 'save')] },
        { from: 2, to: 1, thread: 'refill', stack: [frame('with db_lock:', 'refill', 'def refill')] },
      ],
    };
    writeFileSync(join(ws.dir, '.lockorder', 'lockorder-1.jsonl'), `${JSON.stringify(record)}\n`);
    // An end-of-run graph record (LOCKORDER_GRAPH=1) of another run: it saw other.a taken before other.b.
    const other = join(ws.dir, 'other.py');
    const graphRecord = {
      version: 1, kind: 'graph', time: new Date().toISOString(), pid: 2,
      edges: [{ from: { name: 'other.a', file: other, line: 3 }, to: { name: 'other.b', file: other, line: 4 }, site: { file: other, line: 11 } }],
    };
    writeFileSync(join(ws.dir, '.lockorder', 'lockorder-2.jsonl'), `${JSON.stringify(graphRecord)}\n`);
    server = await startServer({ workspace: ws.dir });
    await server.waitForIndex();
  });
  after(async () => { await server.stop(); ws.cleanup(); });

  it('marks the edges a run saw (a finding of the shop, the graph record of other.py), and no other', async () => {
    const g = await server.request('lockorder/graph', {});
    assert.deepEqual(pairs(g, (e) => e.runtimeConfirmed === true),
      ['other.a -> other.b', 'shop.cache_lock -> shop.db_lock', 'shop.db_lock -> shop.cache_lock']);
    assert.deepEqual(pairs(g, (e) => e.runtimeConfirmed === false), ['other.a -> other.c', 'other.b -> other.c', 'other.c -> other.a']);
  });
});
