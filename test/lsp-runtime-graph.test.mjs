// Protocol tests of the runtime's end-of-run graph record (`"kind": "graph"`, no rule): a report
// holding one still shows its findings, without calling the graph record a corrupt line, and
// "Clear Run-Time Reports" knows a report that holds only a graph record as a report.

import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startServer, uriOf } from './lsp-client.mjs';
import { frame, line, runtimeOnly, shop, shopRecord, watched, workspace } from './lsp-runtime-records.mjs';

/** A graph record as the runtime writes it at exit with LOCKORDER_GRAPH=1. */
function graphRecord(file) {
  const stock = frame(file, 'stock = threading.Lock()', 'main');
  const orders = frame(file, 'orders = threading.Lock()', 'main');
  return {
    version: 1, kind: 'graph', time: new Date().toISOString(), pid: 1,
    edges: [{
      from: { name: 'shop.main.stock', file, line: stock.line },
      to: { name: 'shop.main.orders', file, line: orders.line },
      site: { file, line: frame(file, 'with orders:', 'restock').line },
    }],
  };
}

describe('lsp runtime: a report with a graph record', () => {
  let ws, server, shopFile;
  before(async () => {
    ws = workspace({ 'shop.py': shop });
    shopFile = join(ws.dir, 'shop.py');
    server = await startServer({ workspace: ws.dir });
    await server.waitForIndex();
  });
  after(async () => { await server.stop(); ws.cleanup(); });

  it('still shows the findings, and says nothing of corrupt lines', async () => {
    const report = join(ws.dir, '.lockorder', 'lockorder-60.jsonl');
    writeFileSync(report, line(graphRecord(shopFile)) + line(shopRecord(shopFile)) + line(graphRecord(shopFile)));
    watched(server, [report], 1);
    const pub = await server.waitForDiagnostics(uriOf(shopFile), (p) => runtimeOnly(p).length === 2);
    assert.equal(runtimeOnly(pub).length, 2);
    assert.deepEqual(server.logs.filter((l) => /lockorder-60\.jsonl/.test(l)), []);
  });

  it('"Clear Run-Time Reports" deletes a report holding only a graph record', async () => {
    const report = join(ws.dir, '.lockorder', 'lockorder-61.jsonl');
    writeFileSync(report, line(graphRecord(shopFile)));
    const answer = await server.request('lockorder/clearRuntimeReports');
    assert.ok(!existsSync(report), 'the graph-only report is deleted');
    assert.ok(answer.deleted >= 1);
  });
});
