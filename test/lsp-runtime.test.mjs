// Protocol tests of runtime findings: report files (JSON Lines written by the Python runtime)
// in the workspace become diagnostics, incrementally, next to (or merged with) static ones.
// The tests write and append report files, then send `workspace/didChangeWatchedFiles` as an
// editor's file watcher would. The last suite runs the real runtime on real programs.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { appendFileSync, copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { lineOf, root, startServer, uriOf } from './lsp-client.mjs';
import { frame, line, runtimeOnly, shop, until, watched, workspace } from './lsp-runtime-records.mjs';

/** A program whose inversion the static analysis cannot see: the locks are passed in. */

/** A schema-1 LO101 record: thread `t1` takes `b` holding `a` at `site1`, `t2` the reverse at `site2`. */
function inversion(file, { a, b, site1, site2, argv = ['shop.py'] }) {
  return {
    version: 1, rule: 'LO101', name: 'lock-order-inversion', message: 'Lock-order inversion', time: new Date().toISOString(),
    pid: 1, thread: 't2', argv,
    locks: [
      { id: 1, name: a.name, kind: 'Lock', created: frame(file, a.needle, 'main') },
      { id: 2, name: b.name, kind: 'Lock', created: frame(file, b.needle, 'main') },
    ],
    edges: [
      { from: 1, to: 2, thread: site1.thread, stack: [site1.frame] },
      { from: 2, to: 1, thread: site2.thread, stack: [site2.frame] },
    ],
  };
}

/** The shop's inversion, as the runtime reports it. */
function shopRecord(file, argv) {
  return inversion(file, {
    a: { name: 'stock', needle: 'stock = threading.Lock()' },
    b: { name: 'orders', needle: 'orders = threading.Lock()' },
    site1: { thread: 'restock', frame: frame(file, 'with orders:', 'restock') },
    site2: { thread: 'checkout', frame: frame(file, 'with stock:', 'checkout', 'def checkout') },
    argv,
  });
}

/** An LO102 record: `thread` takes `lock` again at `site` while holding it from `held`. */
function selfDeadlock(file, lock, held, site) {
  return {
    version: 1, rule: 'LO102', name: 'self-deadlock', message: 'Self-deadlock', time: new Date().toISOString(), pid: 1,
    thread: 'worker', argv: ['shop.py'],
    locks: [{ id: 1, name: lock.name, kind: 'Lock', created: frame(file, lock.needle, 'main') }],
    edges: [
      { from: 1, to: 1, thread: 'worker', role: 'held', stack: [held] },
      { from: 1, to: 1, thread: 'worker', role: 'acquire', stack: [site] },
    ],
  };
}

const atLine = (n) => (d) => d.range.start.line === n;

describe('lsp runtime: report files become diagnostics', () => {
  let ws, server, file, report, uri, text;
  before(async () => {
    ws = workspace({ 'shop.py': shop });
    file = join(ws.dir, 'shop.py');
    text = shop;
    uri = uriOf(file);
    report = join(ws.dir, '.lockorder', 'lockorder-100.jsonl');
    server = await startServer({ workspace: ws.dir });
    await server.waitForIndex();
  });
  after(async () => { await server.stop(); ws.cleanup(); });

  it('publishes a diagnostic at each acquisition site of the record, with the other thread and the lock creations as related information', async () => {
    assert.equal((server.diagnostics.get(uri)?.diagnostics ?? []).length, 0, 'the static analysis sees nothing here');
    writeFileSync(report, line(shopRecord(file)));
    watched(server, [report], 1);
    const pub = await server.waitForDiagnostics(uri, (p) => runtimeOnly(p).length === 2);
    const restockLine = lineOf(text, 'with orders:');
    const checkoutLine = lineOf(text, 'with stock:', 'def checkout');
    const [inRestock] = pub.diagnostics.filter(atLine(restockLine));
    const [inCheckout] = pub.diagnostics.filter(atLine(checkoutLine));
    assert.ok(inRestock && inCheckout, JSON.stringify(pub.diagnostics));
    assert.equal(inRestock.code, 'LO101');
    assert.equal(inRestock.source, 'lockorder');
    assert.match(inRestock.message, /observed at run time in shop\.py/);
    assert.match(inRestock.message, /thread "restock" takes orders while holding stock/);
    assert.match(inRestock.message, /"checkout"/, 'names every thread involved');
    assert.equal(inRestock.range.start.character, 8, 'starts at the code, not the indentation');
    const related = inRestock.relatedInformation.map((r) => [r.location.range.start.line, r.message]);
    assert.ok(related.some(([l, m]) => l === checkoutLine && /thread "checkout" takes stock while holding orders/.test(m)), JSON.stringify(related));
    assert.ok(related.some(([l, m]) => l === lineOf(text, 'stock = threading.Lock()') && /stock is created here/.test(m)));
    assert.ok(related.some(([l, m]) => l === lineOf(text, 'orders = threading.Lock()') && /orders is created here/.test(m)));
  });

  it('adds the records of lines appended later, waiting for a half-written line to be finished, and skips a corrupt line', async () => {
    const held = frame(file, 'with stock:', 'restock');
    const site = frame(file, 'with orders:', 'restock');
    const record = line(selfDeadlock(file, { name: 'stock', needle: 'stock = threading.Lock()' }, held, site));
    appendFileSync(report, '{"version": 1, "rule": "LO101", this is not JSON\n');
    appendFileSync(report, record.slice(0, 40));
    watched(server, [report]);
    await until(() => server.logs.some((l) => l.includes('lockorder-100.jsonl') && /skipped 1 corrupt line/.test(l)), 'the corrupt-line log');
    assert.equal(runtimeOnly(server.diagnostics.get(uri)).length, 2, 'the half-written record is not read yet');
    appendFileSync(report, record.slice(40));
    watched(server, [report]);
    const pub = await server.waitForDiagnostics(uri, (p) => runtimeOnly(p).some((d) => d.code === 'LO102'));
    const lo102 = pub.diagnostics.filter((d) => d.code === 'LO102');
    assert.equal(lo102.length, 1, 'only the acquiring site, not the holding one');
    assert.equal(lo102[0].range.start.line, site.line - 1);
    assert.equal(runtimeOnly(pub).filter((d) => d.code === 'LO101').length, 2, 'the earlier record is kept');
    appendFileSync(report, 'garbage\n');
    watched(server, [report]);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(server.logs.filter((l) => l.includes('lockorder-100.jsonl') && /corrupt/.test(l)).length, 1, 'one log line per file');
  });

  it('ignores records that name files outside the workspace', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'lockorder-outside-'));
    try {
      const other = join(outside, 'shop.py');
      writeFileSync(other, shop);
      const extra = join(ws.dir, '.lockorder', 'lockorder-101.jsonl');
      writeFileSync(extra, line(shopRecord(other, ['elsewhere.py'])) + line(selfDeadlock(file, { name: 'stock', needle: 'stock = threading.Lock()' },
        frame(file, 'with stock:', 'checkout', 'def checkout'), frame(file, 'with stock:', 'checkout', 'def checkout'))));
      watched(server, [extra], 1);
      // The second record of the file is in the workspace: once it shows, the first was read too.
      await server.waitForDiagnostics(uri, (p) => p.diagnostics.filter((d) => d.code === 'LO102').length === 2);
      assert.equal(server.diagnostics.get(uriOf(other)), undefined, 'nothing published for the outside file');
      assert.ok(!runtimeOnly(server.diagnostics.get(uri)).some((d) => /elsewhere\.py/.test(d.message)));
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('says clearly when a report has a schema version it cannot read', async () => {
    const future = join(ws.dir, '.lockorder', 'lockorder-102.jsonl');
    writeFileSync(future, line({ ...shopRecord(file), version: 2 }));
    watched(server, [future], 1);
    await until(() => server.logs.some((l) => /lockorder-102\.jsonl uses report schema version 2/.test(l)), 'the schema version message');
  });

  it('marks findings whose lines changed as from an earlier run, and drops those whose line is gone', async () => {
    const edited = shop.replace('        with orders:\n            pass', '        with orders:  # reviewed\n            pass');
    writeFileSync(file, edited);
    watched(server, [file]);
    const pub = await server.waitForDiagnostics(uri, (p) => runtimeOnly(p).some((d) => /earlier run/.test(d.message)));
    const lo101 = runtimeOnly(pub).filter((d) => d.code === 'LO101');
    assert.equal(lo101.length, 2);
    for (const d of lo101) assert.match(d.message, /^From an earlier run/);
    const cut = shop.split('\n').slice(0, lineOf(shop, 'def checkout')).join('\n');
    writeFileSync(file, cut);
    watched(server, [file]);
    const later = await server.waitForDiagnostics(uri, (p) => !runtimeOnly(p).some((d) => d.range.start.line >= lineOf(shop, 'def checkout')));
    const lines = runtimeOnly(later).map((d) => d.range.start.line);
    assert.ok(lines.includes(lineOf(shop, 'with orders:')), 'the site whose line still exists stays');
    writeFileSync(file, shop);
    watched(server, [file]);
    await server.waitForDiagnostics(uri, (p) => runtimeOnly(p).filter((d) => d.code === 'LO101').length === 2 && !p.diagnostics.some((d) => /earlier run/.test(d.message)));
  });

  it('honours a `# lockorder: ignore[LO101]` comment added at a site, without calling the finding stale', async () => {
    const suppressed = shop.replace('        with orders:\n', '        with orders:  # lockorder: ignore[LO101]\n');
    assert.notEqual(suppressed, shop);
    writeFileSync(file, suppressed);
    watched(server, [file]);
    const pub = await server.waitForDiagnostics(uri, (p) => runtimeOnly(p).filter((d) => d.code === 'LO101').length === 1);
    const [left] = runtimeOnly(pub).filter((d) => d.code === 'LO101');
    assert.equal(left.range.start.line, lineOf(shop, 'with stock:', 'def checkout'));
    assert.doesNotMatch(left.message, /earlier run/);
    // The comment silences a run-time finding: it is used, not an unused suppression.
    assert.deepEqual(pub.diagnostics.filter((d) => d.code === 'unused-suppression'), []);
    writeFileSync(file, shop);
    watched(server, [file]);
    await server.waitForDiagnostics(uri, (p) => runtimeOnly(p).filter((d) => d.code === 'LO101').length === 2);
  });

  it('clears the findings when the report files are deleted (lockorder/clearRuntimeReports)', async () => {
    const answer = await server.conn.sendRequest('lockorder/clearRuntimeReports');
    assert.equal(answer.deleted, 3);
    assert.ok(!existsSync(report));
    await server.waitForDiagnostics(uri, (p) => runtimeOnly(p).length === 0);
  });
});

describe('lsp runtime: report size limit', () => {
  let ws, server;
  before(async () => {
    ws = workspace({ 'shop.py': shop });
    // A small limit stands in for the 50 MB one: a report file is read only up to it.
    server = await startServer({ workspace: ws.dir, init: { reportCapBytes: 4096 } });
    await server.waitForIndex();
  });
  after(async () => { await server.stop(); ws.cleanup(); });

  it('reads a report only up to the limit, with a warning', async () => {
    const file = join(ws.dir, 'shop.py');
    const report = join(ws.dir, '.lockorder', 'lockorder-5.jsonl');
    const first = line(shopRecord(file));
    const padding = `${' '.repeat(4096 - first.length - 100)}\n`;
    const beyond = line(selfDeadlock(file, { name: 'stock', needle: 'stock = threading.Lock()' },
      frame(file, 'with stock:', 'restock'), frame(file, 'with orders:', 'restock')));
    assert.ok(first.length + padding.length < 4096 && first.length + padding.length + beyond.length > 4096);
    writeFileSync(report, first + padding + beyond);
    watched(server, [report], 1);
    const uri = uriOf(file);
    await server.waitForDiagnostics(uri, (p) => runtimeOnly(p).length === 2);
    await until(() => server.logs.some((l) => /lockorder-5\.jsonl is larger than/.test(l)), 'the size warning');
    assert.ok(!server.diagnostics.get(uri).diagnostics.some((d) => d.code === 'LO102'), 'the record past the limit is not read');
  });
});

describe('lsp runtime: static and runtime findings of one cycle', () => {
  let ws, server;
  before(async () => {
    ws = workspace({});
    copyFileSync(join(root, 'examples', 'runtime_demo.py'), join(ws.dir, 'runtime_demo.py'));
    server = await startServer({ workspace: ws.dir });
  });
  after(async () => { await server.stop(); ws.cleanup(); });

  it('shows one diagnostic that says it was found by analysis and confirmed at run time', async () => {
    const file = join(ws.dir, 'runtime_demo.py');
    const uri = uriOf(file);
    const before = await server.waitForDiagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'LO101'));
    assert.equal(before.diagnostics.filter((d) => d.code === 'LO101').length, 1);
    const report = join(ws.dir, '.lockorder', 'lockorder-7.jsonl');
    writeFileSync(report, line(inversion(file, {
      a: { name: 'accounts_lock', needle: 'accounts_lock = threading.Lock()' },
      b: { name: 'audit_lock', needle: 'audit_lock = threading.Lock()' },
      site1: { thread: 'transfer', frame: frame(file, 'with audit_lock:', 'transfer', 'def transfer') },
      site2: { thread: 'report', frame: frame(file, 'with accounts_lock:', 'report', 'def report') },
      argv: ['test_x'],
    })));
    watched(server, [report], 1);
    const pub = await server.waitForDiagnostics(uri, (p) => p.diagnostics.some((d) => /confirmed at run time/.test(d.message)));
    const lo101 = pub.diagnostics.filter((d) => d.code === 'LO101');
    assert.equal(lo101.length, 1, JSON.stringify(lo101));
    assert.match(lo101[0].message, /found by analysis, confirmed at run time in test_x/);
  });
});

describe('lsp runtime: end to end with the Python runtime', () => {
  let ws, server;
  before(async () => {
    ws = workspace({ 'shop.py': shop });
    copyFileSync(join(root, 'examples', 'runtime_demo.py'), join(ws.dir, 'runtime_demo.py'));
    server = await startServer({ workspace: ws.dir });
    await server.waitForIndex();
  });
  after(async () => { await server.stop(); ws.cleanup(); });

  /** Run a program of the workspace under `python3 -m lockorder run`, returning the new report files. */
  function runChecked(name) {
    execFileSync('python3', ['-m', 'lockorder', 'run', '--report-dir', join(ws.dir, '.lockorder'), name], {
      cwd: ws.dir, env: { ...process.env, PYTHONPATH: join(root, 'runtime', 'python') }, stdio: 'pipe', timeout: 30000,
    });
    // Report files only: the server keeps its analysis cache in .lockorder/cache too.
    const files = readdirSync(join(ws.dir, '.lockorder')).filter((f) => f.endsWith('.jsonl')).map((f) => join(ws.dir, '.lockorder', f));
    assert.ok(files.some((f) => readFileSync(f, "utf8").includes(`"argv": ["${name}"]`)), `the runtime wrote a report for ${name}`);
    return files;
  }

  it('publishes the runtime findings of a real threaded run at the lines where the threads took the locks', async () => {
    const files = runChecked('shop.py');
    watched(server, files, 1);
    const uri = uriOf(join(ws.dir, 'shop.py'));
    const pub = await server.waitForDiagnostics(uri, (p) => runtimeOnly(p).length === 2);
    const lines = runtimeOnly(pub).map((d) => d.range.start.line).sort((x, y) => x - y);
    assert.deepEqual(lines, [lineOf(shop, 'with orders:'), lineOf(shop, 'with stock:', 'def checkout')]);
    for (const d of runtimeOnly(pub)) assert.match(d.message, /observed at run time in shop\.py \(threads "(restock|checkout)", "(restock|checkout)"\)/);
  });

  it('confirms the static finding of runtime_demo.py instead of adding a second diagnostic', async () => {
    const files = runChecked('runtime_demo.py');
    watched(server, files, 1);
    const uri = uriOf(join(ws.dir, 'runtime_demo.py'));
    const pub = await server.waitForDiagnostics(uri, (p) => p.diagnostics.some((d) => /confirmed at run time in runtime_demo\.py/.test(d.message)));
    assert.equal(pub.diagnostics.filter((d) => d.code === 'LO101').length, 1);
  });
});
