// Protocol tests of reading report files over time and of bounded messages: a report rewritten
// in place or replaced by another file is read again from its start; many runs of one finding
// are listed in short; an unknown schema version is quoted in short, on one line.

import assert from 'node:assert/strict';
import { copyFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { root, startServer, uriOf } from './lsp-client.mjs';
import { frame, line, runtimeOnly, selfDeadlock, shop, shopRecord, until, watched, workspace } from './lsp-runtime-records.mjs';

describe('lsp runtime reports: a report file replaced by another', () => {
  let ws, server, shopFile, report;
  const threadsOf = (p) => runtimeOnly(p).flatMap((d) => [...d.message.matchAll(/thread "([^"]+)"/g)].map((m) => m[1])).sort();
  before(async () => {
    ws = workspace({ 'shop.py': shop });
    shopFile = join(ws.dir, 'shop.py');
    report = join(ws.dir, '.lockorder', 'lockorder-40.jsonl');
    server = await startServer({ workspace: ws.dir });
    await server.waitForIndex();
  });
  after(async () => { await server.stop(); ws.cleanup(); });

  const record = (thread, needle = 'with orders:') => line(selfDeadlock(shopFile, frame(shopFile, needle, 'restock'), { thread }));

  it('rewritten in place with a larger file: the new records replace the old ones', async () => {
    const uri = uriOf(shopFile);
    writeFileSync(report, record('old-run'));
    watched(server, [report], 1);
    await server.waitForDiagnostics(uri, (p) => threadsOf(p).join() === 'old-run');
    writeFileSync(report, record('new-run-a') + record('new-run-b', 'with stock:') + record('new-run-c', 'pass'));
    watched(server, [report]);
    const pub = await server.waitForDiagnostics(uri, (p) => !threadsOf(p).includes('old-run'));
    await server.waitForDiagnostics(uri, (p) => threadsOf(p).length === 3);
    assert.deepEqual(threadsOf(server.diagnostics.get(uri)), ['new-run-a', 'new-run-b', 'new-run-c'], JSON.stringify(threadsOf(pub)));
  });

  it('replaced by another file (a rename) with the same first line: read again from the start', async () => {
    const uri = uriOf(shopFile);
    const first = record('first');
    writeFileSync(report, first + record('second', 'with stock:'));
    watched(server, [report]);
    await server.waitForDiagnostics(uri, (p) => threadsOf(p).join() === 'first,second');
    const next = join(ws.dir, '.lockorder', 'next.tmp');
    writeFileSync(next, first + record('third', 'pass') + record('fourth', 'worker.join()'));
    renameSync(next, report);
    watched(server, [report]);
    await server.waitForDiagnostics(uri, (p) => threadsOf(p).join() === 'first,fourth,third');
  });
});

describe('lsp runtime reports: bounded messages', () => {
  let ws, server;
  before(async () => {
    ws = workspace({ 'shop.py': shop });
    copyFileSync(join(root, 'examples', 'runtime_demo.py'), join(ws.dir, 'runtime_demo.py'));
    server = await startServer({ workspace: ws.dir });
    await server.waitForIndex();
  });
  after(async () => { await server.stop(); ws.cleanup(); });

  it('lists a few of 20,000 runs of one finding, then how many more', async () => {
    const shopFile = join(ws.dir, 'shop.py');
    const base = shopRecord(shopFile);
    const lines = Array.from({ length: 20000 }, (_, i) => line({ ...base, test: `tests/test_shop.py::test_${i}` })).join('');
    const report = join(ws.dir, '.lockorder', 'lockorder-50.jsonl');
    writeFileSync(report, lines);
    watched(server, [report], 1);
    const pub = await server.waitForDiagnostics(uriOf(shopFile), (p) => runtimeOnly(p).length === 2, 20000);
    for (const d of runtimeOnly(pub)) {
      assert.match(d.message, /in tests\/test_shop\.py::test_0, tests\/test_shop\.py::test_1, tests\/test_shop\.py::test_2 and 19,997 more runs/);
      assert.ok(d.message.length < 400, `${d.message.length} characters`);
    }
  });

  it('confirms a static finding in 20,000 runs in a short message', async () => {
    const demo = join(ws.dir, 'runtime_demo.py');
    const record = {
      version: 1, rule: 'LO101', name: 'lock-order-inversion', message: 'x', time: new Date().toISOString(), pid: 1, argv: ['x'],
      locks: [
        { id: 1, name: 'accounts_lock', created: frame(demo, 'accounts_lock = threading.Lock()', '<module>') },
        { id: 2, name: 'audit_lock', created: frame(demo, 'audit_lock = threading.Lock()', '<module>') },
      ],
      edges: [
        { from: 1, to: 2, thread: 'transfer', stack: [frame(demo, 'with audit_lock:', 'transfer', 'def transfer')] },
        { from: 2, to: 1, thread: 'report', stack: [frame(demo, 'with accounts_lock:', 'report', 'def report')] },
      ],
    };
    const report = join(ws.dir, '.lockorder', 'lockorder-51.jsonl');
    writeFileSync(report, Array.from({ length: 20000 }, (_, i) => line({ ...record, test: `t${i}` })).join(''));
    watched(server, [report], 1);
    const pub = await server.waitForDiagnostics(uriOf(demo), (p) => p.diagnostics.some((d) => /confirmed at run time/.test(d.message)), 20000);
    const [d] = pub.diagnostics.filter((x) => /confirmed at run time/.test(x.message));
    assert.match(d.message, /confirmed at run time in t0, t1, t2 and 19,997 more runs\)$/);
  });

  it('quotes an unknown schema version in short, on one line', async () => {
    const shopFile = join(ws.dir, 'shop.py');
    const report = join(ws.dir, '.lockorder', 'lockorder-52.jsonl');
    writeFileSync(report, line({ ...shopRecord(shopFile), version: `9\n${'x'.repeat(1_000_000)}` }));
    watched(server, [report], 1);
    await until(() => server.logs.some((l) => /lockorder-52\.jsonl uses report schema version/.test(l)), 'the schema version message');
    const messages = server.logs.filter((l) => /lockorder-52\.jsonl uses report schema version/.test(l));
    for (const m of messages) {
      assert.ok(m.length < 400, `${m.length} characters`);
      assert.ok(!m.includes('\n'), 'one line');
      assert.match(m, /version "9\\nxxxx[x]*…/);
    }
  });
});
