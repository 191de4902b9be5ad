// The LSP fuzzer's driver: starts the real server (dist/server.js) on a copy of stdlib modules,
// opens several, sends random incremental edits (in bursts) interleaved with hover, code-action
// and definition requests at any position, and checks: the server never exits and never logs an
// error or a stack trace, no request fails or hangs, each publication is for a newer version and
// its ranges lie in that version's text, the final diagnostics equal a fresh analysis, and RSS
// stays under a bound. `fuzz()` returns the figures and the failures; it prints nothing.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startServer } from '../../test/lsp-client.mjs';
import { compareWithFresh } from './compare.mjs';
import { nextChanges } from './edits.mjs';
import { seeded } from './random.mjs';
import { nextRequest } from './requests.mjs';
import { sampleRss } from './rss.mjs';
import { lineStarts, rangeInside } from './text.mjs';
import { makeWorkspace } from './workspace.mjs';

/** A request taking longer than this is a hang. */
const hangMs = 30000;
/** Texts kept per document to check the ranges of publications for recent versions. */
const keptVersions = 64;

/** Run one fuzz session; see the file header. */
export async function fuzz({ seed, edits = 10000, debounceMs = 10, rssBoundMb = 1536, checkEvery = 500, stdlib, dumpDir } = {}) {
  const started = performance.now();
  // Edits use their own stream, so the texts replay exactly whatever the timing of the answers.
  const rng = seeded(seed);
  const askRng = seeded(seed ^ 0x5bd1e995);
  const dump = dumper(dumpDir);
  const ws = makeWorkspace(stdlib);
  const out = {
    seed, edits: 0, didChange: 0, bursts: 0, kinds: {}, requests: { hover: 0, codeAction: 0, definition: 0 },
    slowestRequestMs: 0, published: { diagnostics: 0, max: 0, codes: {} }, exits: 0, stackTraces: 0, errorLogs: 0, failedRequests: 0, badPublications: 0, failures: [],
  };
  const fail = (message) => { if (out.failures.length < 50) out.failures.push(message); };
  const server = await startServer({ workspace: ws.dir, debounceMs });
  const rss = sampleRss(server.proc.pid);
  let stopping = false;
  server.proc.on('exit', (code, signal) => {
    if (stopping) return;
    out.exits++;
    fail(`the server exited (code ${code}, signal ${signal})`);
  });
  const docs = ws.files.filter((f) => f.open).map((f) => ({ ...f, original: f.text, version: 1, texts: new Map(), published: 0 }));
  const byUri = new Map();
  watchLogs(server, out, fail);
  const diagnostics = watchDiagnostics(server, byUri, out, fail, dump);
  const published = diagnostics.latest;
  for (const doc of docs) {
    doc.uri = server.open(doc.path, doc.text);
    doc.texts.set(1, doc.text);
    byUri.set(doc.uri, doc);
  }

  let nextCheck = checkEvery;
  out.checkpoints = 0;
  /** Wait for every open document's current version, then compare all diagnostics with a fresh analysis. */
  const settleAndCompare = async (when) => {
    for (const doc of docs) {
      if (!server.alive()) return { files: 0, diagnostics: 0, differences: [] };
      await diagnostics.waitFor(doc.uri, (p) => p.version === doc.version, 120000)
        .catch(() => fail(`${when}: no diagnostics for version ${doc.version} of ${doc.rel}`));
    }
    await diagnostics.quiet(300);
    const current = new Map(docs.map((d) => [d.path, d.text]));
    const result = await compareWithFresh(ws.files.map((f) => ({ path: f.path, text: current.get(f.path) ?? f.text })), published);
    for (const d of result.differences) fail(`${when}: diagnostics differ from a fresh analysis: ${d}`);
    if (result.differences.length > 0) for (const doc of docs) dump(doc.rel, doc.version, doc.text);
    out.checkpoints++;
    out.compared = (out.compared ?? 0) + result.diagnostics;
    return result;
  };

  const requests = requester(server, askRng, out, fail, published);

  while (out.edits < edits && server.alive()) {
    const doc = rng.pick(docs);
    const burst = rng.weighted({ one: 50, few: 35, many: 15 });
    const size = burst === 'one' ? 1 : burst === 'few' ? rng.between(2, 10) : rng.between(11, 60);
    out.bursts++;
    for (let i = 0; i < size && out.edits < edits; i++) {
      const others = docs.filter((d) => d !== doc).map((d) => d.text);
      const { changes, text } = nextChanges(rng, doc, others);
      for (const c of changes) out.kinds[c.kind] = (out.kinds[c.kind] ?? 0) + 1;
      doc.text = text;
      doc.version = server.change(doc.uri, changes.map((c) => c.change));
      doc.texts.set(doc.version, text);
      if (doc.texts.size > keptVersions) doc.texts.delete(doc.texts.keys().next().value);
      out.edits += changes.length;
      out.didChange++;
      if (askRng.chance(0.15)) requests.ask(askRng.pick(docs));
    }
    await pause(rng, diagnostics, doc, fail);
    if (requests.pending() > 40) await requests.drain();
    if (out.edits >= nextCheck && out.edits < edits) {
      nextCheck += checkEvery;
      await settleAndCompare(`after edit ${out.edits}`);
    }
  }
  await requests.drain();
  out.final = await settleAndCompare('final');
  out.rss = rss.stop();
  out.rssBoundMb = rssBoundMb;
  if (out.rss.peak > rssBoundMb) fail(`peak RSS ${out.rss.peak.toFixed(0)} MB is over the bound of ${rssBoundMb} MB`);
  stopping = true;
  await server.stop();
  scanText(server.stderr, 'stderr', out, fail);
  ws.cleanup();
  out.ms = performance.now() - started;
  out.openFiles = docs.length;
  out.workspaceFiles = ws.files.length;
  return out;
}

/**
 * Sends the random requests: `ask(doc)` sends one without waiting; `drain()` waits for all sent
 * (a request not answered within `hangMs` is a failure, and no longer waited for).
 */
function requester(server, askRng, out, fail, published) {
  const pending = new Set();
  const ask = (doc) => {
    const { method, params, kind } = nextRequest(askRng, doc, published.get(doc.uri)?.diagnostics ?? []);
    out.requests[kind]++;
    const t0 = performance.now();
    let timer;
    const hang = new Promise((resolve) => {
      timer = setTimeout(() => { fail(`${method} did not answer within ${hangMs} ms: ${JSON.stringify(params).slice(0, 300)}`); resolve(); }, hangMs);
    });
    const answer = server.request(method, params).then(
      (result) => checkAnswer(kind, result, fail, params),
      (err) => { out.failedRequests++; fail(`${method} failed: ${err?.message ?? err} (${JSON.stringify(params).slice(0, 300)})`); },
    );
    const p = Promise.race([answer, hang]).finally(() => {
      clearTimeout(timer);
      out.slowestRequestMs = Math.max(out.slowestRequestMs, performance.now() - t0);
      pending.delete(p);
    });
    pending.add(p);
  };
  return { ask, pending: () => pending.size, drain: () => Promise.all([...pending]) };
}

/** A function writing a document's text to `dir` (when given), returning where, for a failure message. */
function dumper(dir) {
  return (rel, version, text) => {
    if (!dir) return '';
    const path = join(dir, `${rel.replace(/\//g, '_')}@${version}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path, text);
    return ` (text: ${path})`;
  };
}

/** After a burst: go on at once, yield briefly, or wait for the diagnostics of the document's version. */
async function pause(rng, diagnostics, doc, fail) {
  const how = rng.weighted({ none: 40, sleep: 30, diagnostics: 30 });
  if (how === 'sleep') await new Promise((r) => setTimeout(r, rng.between(0, 30)));
  if (how === 'diagnostics') {
    await diagnostics.waitFor(doc.uri, (p) => p.version >= doc.version, 60000)
      .catch(() => fail(`no diagnostics for version ${doc.version} of ${doc.rel} within 60 s`));
  }
}

/**
 * Record every publication (`latest`: URI → last params; `waitFor(uri, check, ms)`; `quiet(ms)`:
 * resolves once nothing was published for `ms`). Each publication for an open document must be
 * for a version no older than the last one, with every range inside that version's text.
 */
function watchDiagnostics(server, byUri, out, fail, dump) {
  const latest = new Map();
  const waiters = new Set();
  let count = 0;
  server.conn.onNotification('textDocument/publishDiagnostics', (p) => {
    count++;
    out.published.diagnostics += p.diagnostics.length;
    out.published.max = Math.max(out.published.max, p.diagnostics.length);
    for (const d of p.diagnostics) out.published.codes[d.code] = (out.published.codes[d.code] ?? 0) + 1;
    latest.set(p.uri, p);
    for (const w of [...waiters]) if (w.check(p)) { waiters.delete(w); w.resolve(p); }
    checkPublication(p, byUri.get(p.uri), out, fail, dump);
  });
  return {
    latest,
    waitFor(uri, check, ms) {
      const now = latest.get(uri);
      if (now && check(now)) return Promise.resolve(now);
      return new Promise((resolve, reject) => {
        const w = { check: (p) => p.uri === uri && check(p), resolve: (p) => { clearTimeout(timer); resolve(p); } };
        const timer = setTimeout(() => { waiters.delete(w); reject(new Error('timeout')); }, ms);
        waiters.add(w);
      });
    },
    async quiet(ms) {
      for (let before = -1; before !== count;) {
        before = count;
        await new Promise((r) => setTimeout(r, ms));
      }
    },
  };
}

function checkPublication(p, doc, out, fail, dump) {
  if (!doc || p.version === undefined || p.version === null) return;
  if (p.version < doc.published) { out.badPublications++; fail(`${doc.rel}: version ${p.version} published after version ${doc.published}`); }
  doc.published = Math.max(doc.published, p.version);
  const text = doc.texts.get(p.version);
  if (text === undefined) return;
  const starts = lineStarts(text);
  for (const d of p.diagnostics) {
    if (rangeInside(text, starts, d.range)) continue;
    out.badPublications++;
    fail(`${doc.rel} version ${p.version}: ${d.code} range ${JSON.stringify(d.range)} is outside the document${dump(doc.rel, p.version, text)}`);
  }
}

/** Count error logs and stack traces in `window/logMessage`. */
function watchLogs(server, out, fail) {
  for (const message of server.logs) scanText(message, 'log', out, fail);
  server.conn.onNotification('window/logMessage', (p) => {
    server.logs.push(p.message);
    if (p.type === 1) { out.errorLogs++; fail(`error logged: ${p.message.slice(0, 500)}`); }
    scanText(p.message, 'log', out, fail);
  });
}

/** A stack trace line, or an exception's name. */
const stackLine = /^\s+at \S|\b[A-Z]\w*Error\b/m;

function scanText(text, where, out, fail) {
  if (!stackLine.test(text)) return;
  out.stackTraces++;
  fail(`${where} shows an exception: ${text.slice(0, 800)}`);
}

/** Answers must have the protocol's shape. */
function checkAnswer(kind, result, fail, params) {
  const ok = kind === 'hover' ? result === null || (typeof result === 'object' && 'contents' in result)
    : Array.isArray(result) || result === null;
  if (!ok) fail(`${kind} answered ${JSON.stringify(result).slice(0, 200)} to ${JSON.stringify(params).slice(0, 200)}`);
}
