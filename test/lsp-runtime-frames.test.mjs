// Protocol tests of the workspace files that report frames name, and of oversized records:
// a frame through a workspace symlink to the outside is not read (its line is not compared);
// FIFOs are never opened in a way that blocks; files over 10 MB are not read; a record with a
// huge stack is shown, trimmed, without crashing the runtime diagnostics.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, symlinkSync, writeFileSync, ftruncateSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { lineOf, startServer, uriOf } from './lsp-client.mjs';
import { frame, line, runtimeOnly, scratch, selfDeadlock, shop, shopRecord, until, watched, workspace } from './lsp-runtime-records.mjs';

describe('lsp runtime frames: files outside the workspace through symlinks, FIFOs, big files', () => {
  let ws, server, shopFile, reports;
  const outside = scratch();
  before(async () => {
    ws = workspace({ 'shop.py': shop });
    shopFile = join(ws.dir, 'shop.py');
    reports = join(ws.dir, '.lockorder');
    server = await startServer({ workspace: ws.dir });
    await server.waitForIndex();
  });
  after(async () => { await server.stop(); ws.cleanup(); outside.cleanup(); });

  it('does not read a frame file that is a workspace symlink to an outside file (its lines are never compared)', async () => {
    const secret = join(outside.dir, 'secret.py');
    writeFileSync(secret, 'PASSWORD = "hunter2"\nTOKEN = "abc"\n');
    const link = join(ws.dir, 'lib.py');
    symlinkSync(secret, link);
    const guess = (n, code) => ({ file: link, line: n, function: 'f', code });
    const report = join(reports, 'lockorder-20.jsonl');
    writeFileSync(report, line(selfDeadlock(shopFile, guess(1, 'PASSWORD = "hunter2"'), { thread: 'right-guess' }))
      + line(selfDeadlock(shopFile, guess(2, 'TOKEN = "wrong"'), { thread: 'wrong-guess' }))
      + line(shopRecord(shopFile)));
    watched(server, [report], 1);
    await server.waitForDiagnostics(uriOf(shopFile), (p) => runtimeOnly(p).length === 2);
    const atLink = runtimeOnly(server.diagnostics.get(uriOf(link)));
    assert.deepEqual(atLink.map((d) => d.message), [], 'no diagnostic tells which guess matches the outside file');
  });

  it('is not blocked by a report file that is a FIFO', async () => {
    const fifo = join(reports, 'lockorder-21.jsonl');
    execFileSync('mkfifo', [fifo]);
    watched(server, [fifo], 1);
    const report = join(reports, 'lockorder-22.jsonl');
    writeFileSync(report, line(selfDeadlock(shopFile, frame(shopFile, 'with orders:', 'restock'), { thread: 'after-fifo' })));
    watched(server, [report], 1);
    await server.waitForDiagnostics(uriOf(shopFile), (p) => runtimeOnly(p).some((d) => /"after-fifo"/.test(d.message)));
  });

  it('is not blocked by a frame naming a FIFO in the workspace', async () => {
    const fifo = join(ws.dir, 'pipe.py');
    execFileSync('mkfifo', [fifo]);
    const record = selfDeadlock(shopFile, frame(shopFile, 'with orders:', 'restock'), { thread: 'fifo-caller' });
    record.edges[0].stack.push({ file: fifo, line: 1, function: 'f', code: 'x' });
    record.locks[0].created = { file: fifo, line: 1, function: 'f' };
    const report = join(reports, 'lockorder-23.jsonl');
    writeFileSync(report, line(record));
    watched(server, [report], 1);
    await server.waitForDiagnostics(uriOf(shopFile), (p) => runtimeOnly(p).some((d) => /"fifo-caller"/.test(d.message)));
    assert.ok(server.alive());
  });

  it('does not read a frame file larger than 10 MB, says so once, and still shows the finding', async () => {
    const big = join(ws.dir, 'big.py');
    writeFileSync(big, 'import threading\nwith lock:\n');
    const fd = openSync(big, 'r+');
    ftruncateSync(fd, 12 * 1024 * 1024); // sparse: 12 MB of mostly nothing
    closeSync(fd);
    await new Promise((r) => setTimeout(r, 20)); // the record is written after the file
    const record = selfDeadlock(shopFile, { file: big, line: 2, function: 'f', code: 'with other_lock:' }, { thread: 'in-big' });
    const report = join(reports, 'lockorder-24.jsonl');
    writeFileSync(report, line(record));
    watched(server, [report], 1);
    const pub = await server.waitForDiagnostics(uriOf(big), (p) => runtimeOnly(p).some((d) => /"in-big"/.test(d.message)));
    const [d] = runtimeOnly(pub);
    assert.equal(d.range.start.line, 1);
    assert.doesNotMatch(d.message, /earlier run/, 'the file was not read, so its line was not compared');
    await until(() => server.logs.some((l) => /big\.py.*larger than 10 MB/.test(l)), 'the size message');
  });
});

describe('lsp runtime frames: a record with a huge stack', () => {
  let ws, server, shopFile;
  before(async () => {
    ws = workspace({ 'shop.py': shop });
    shopFile = join(ws.dir, 'shop.py');
    server = await startServer({ workspace: ws.dir });
    await server.waitForIndex();
  });
  after(async () => { await server.stop(); ws.cleanup(); });

  it('shows every finding, with the stack trimmed and the count of frames left out', async () => {
    const site = frame(shopFile, 'with orders:', 'restock');
    const caller = frame(shopFile, 'worker.start()', 'main');
    const deep = selfDeadlock(shopFile, site, { thread: 'deep' });
    deep.edges[0].stack = [site, ...Array.from({ length: 130000 }, () => caller)];
    // The runtime cuts deep stacks itself and says how many frames it left out.
    const cut = selfDeadlock(shopFile, frame(shopFile, 'with stock:', 'checkout', 'def checkout'), { thread: 'cut' });
    cut.edges[0].stack.push(caller);
    cut.edges[0].frames_dropped = 500;
    const report = join(ws.dir, '.lockorder', 'lockorder-30.jsonl');
    writeFileSync(report, line(deep) + line(shopRecord(shopFile)) + line(cut));
    watched(server, [report], 1);
    const pub = await server.waitForDiagnostics(uriOf(shopFile), (p) => runtimeOnly(p).length === 4, 20000);
    const [d] = runtimeOnly(pub).filter((x) => /"deep"/.test(x.message));
    assert.equal(d.range.start.line, lineOf(shop, 'with orders:'));
    assert.ok(d.relatedInformation.length <= 73, `${d.relatedInformation.length} related locations`);
    assert.match(d.message, /130,001 frames, 129,929 not shown/);
    const [c] = runtimeOnly(pub).filter((x) => /"cut"/.test(x.message));
    assert.match(c.message, /502 frames, 500 not shown/);
    assert.ok(JSON.stringify(pub).length < 100_000, `${JSON.stringify(pub).length} bytes of diagnostics`);
    assert.ok(!server.logs.some((l) => /Maximum call stack/.test(l)));
  });
});
