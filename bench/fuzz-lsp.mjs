// `npm run fuzz:lsp [-- --seed N --edits N --debounce MS --rss-bound MB --dump DIR]`: random incremental
// edits of real stdlib modules through the language server's protocol (see bench/fuzz-lsp/run.mjs),
// then a summary: seed, edits, requests by kind, errors, time, RSS start/peak/end, verdict.
// Exits 1 when a check failed; replay a failure with the printed seed.

import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { serverPath } from '../test/lsp-client.mjs';
import { fuzz } from './fuzz-lsp/run.mjs';

const usage = 'usage: npm run fuzz:lsp -- [--seed N] [--edits N (default 10000)] [--debounce MS (default 10)] [--rss-bound MB (default 1536)] [--dump DIR (texts of failures)]';

/** The options, or a usage message and exit 2. */
function options() {
  try {
    const { values } = parseArgs({ options: { seed: { type: 'string' }, edits: { type: 'string' }, debounce: { type: 'string' }, 'rss-bound': { type: 'string' }, dump: { type: 'string' } } });
    const num = (v, fallback) => {
      if (v === undefined) return fallback;
      if (!/^\d+$/.test(v)) throw new Error(`not a non-negative integer: ${v}`);
      return Number(v);
    };
    return {
      seed: num(values.seed, Math.floor(Math.random() * 2 ** 32)) >>> 0,
      edits: num(values.edits, 10000),
      debounceMs: num(values.debounce, 10),
      rssBoundMb: num(values['rss-bound'], 1536),
      dumpDir: values.dump,
    };
  } catch (err) {
    console.error(`fuzz:lsp: ${err.message}\n${usage}`);
    process.exit(2);
  }
}

const mb = (n) => `${n.toFixed(0)} MB`;

/** The summary lines of a run. */
function summary(r) {
  const kinds = Object.entries(r.kinds).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ');
  const requests = Object.entries(r.requests).map(([k, n]) => `${k} ${n}`).join(', ');
  return [
    `fuzz:lsp seed ${r.seed}: ${r.edits} edits in ${r.didChange} didChange (${r.bursts} bursts) on ${r.openFiles} open of ${r.workspaceFiles} workspace files`,
    `  edit kinds: ${kinds}`,
    `  requests: ${requests} (slowest ${r.slowestRequestMs.toFixed(0)} ms)`,
    `  errors: ${r.exits} server exits, ${r.stackTraces} stack traces, ${r.errorLogs} error logs, ${r.failedRequests} failed requests, ${r.badPublications} bad publications`,
    `  final diagnostics: ${r.final.diagnostics} on ${r.final.files} files, ${r.final.differences.length === 0 ? 'equal to' : `${r.final.differences.length} files differ from`} a fresh analysis (${r.checkpoints} comparisons in all, of ${r.compared} diagnostics)`,
    `  published: ${r.published.diagnostics} diagnostics in all (${Object.entries(r.published.codes).map(([k, n]) => `${k} ${n}`).join(', ') || 'none'})`,
    `  RSS: start ${mb(r.rss.start)}, peak ${mb(r.rss.peak)}, end ${mb(r.rss.end)} (bound ${r.rssBoundMb} MB: ${r.rss.peak <= r.rssBoundMb ? 'OK' : 'OVER'})`,
    `  time: ${(r.ms / 1000).toFixed(1)} s`,
    `  verdict: ${r.failures.length === 0 ? 'PASS' : `FAIL (${r.failures.length} failures; replay with --seed ${r.seed} --edits ${r.edits})`}`,
  ];
}

if (!existsSync(serverPath)) {
  console.error('fuzz:lsp: dist/server.js is missing; run `npm run build` first');
  process.exit(2);
}
const opts = options();
console.log(`fuzz:lsp: seed ${opts.seed}, ${opts.edits} edits, debounce ${opts.debounceMs} ms`);
const result = await fuzz(opts);
for (const f of result.failures) console.log(`  FAILURE: ${f}`);
for (const line of summary(result)) console.log(line);
process.exit(result.failures.length === 0 ? 0 : 1);
