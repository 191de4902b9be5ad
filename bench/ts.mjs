// Benchmark of the TypeScript/JavaScript front end (npm run bench:ts): copies the sources of
// published npm packages that use JS locks (pinned devDependencies, see bench/ts/corpus.mjs)
// into bench/out/ts-corpus, then times, in alternation and best of N, `tsc --noEmit -p` and a
// cold `lockorder check` over the same corpus, each in a fresh process whose peak RSS is taken.
// Prints files, lines, seconds, RSS, findings per rule and the ratios against the targets
// (cold CLI <= 1.0x tsc, <= 1 GB). The CLI's findings go to bench/out/ts-findings.json.
//
// Usage: node bench/ts.mjs [--runs N]   (default 3; LOCKORDER_BENCH_RUNS works too)

import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildCorpus } from './ts/corpus.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const out = join(root, 'bench', 'out');
const corpus = join(out, 'ts-corpus');
const cli = join(root, 'dist', 'cli.js');
const tsc = require.resolve('typescript/lib/tsc.js');
const rssHook = pathToFileURL(join(root, 'bench', 'ts', 'rss.mjs')).href;
const RULES = ['LO101', 'LO102', 'LO103', 'LO104', 'LO105', 'LO106', 'LO107'];
const TARGET_RATIO = 1.0;
const TARGET_RSS_MB = 1024;

function runsWanted() {
  const i = process.argv.indexOf('--runs');
  const n = Number(i >= 0 ? process.argv[i + 1] : process.env.LOCKORDER_BENCH_RUNS || 3);
  if (!Number.isInteger(n) || n < 1) throw new Error('--runs takes a whole number of at least 1');
  return n;
}

/** Run `node --import rss.mjs ARGS` in `cwd`; its wall and CPU seconds, peak RSS (MB), exit status and output. */
function timed(args, cwd) {
  const rssFile = join(out, `rss-${process.pid}.txt`);
  rmSync(rssFile, { force: true });
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--import', rssHook, ...args], {
    cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: { ...process.env, LOCKORDER_BENCH_RSS_FILE: rssFile },
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const usage = existsSync(rssFile) ? JSON.parse(readFileSync(rssFile, 'utf8')) : { maxRssKb: NaN, cpuSeconds: NaN };
  rmSync(rssFile, { force: true });
  return { seconds, cpu: usage.cpuSeconds, rssMb: usage.maxRssKb / 1024, status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** One `tsc --noEmit -p` over the corpus (type errors are expected: the corpus is not built as its authors do). */
function runTsc() {
  const r = timed([tsc, '--noEmit', '-p', corpus], root);
  if (r.status !== 0 && r.status !== 2) throw new Error(`tsc failed (exit ${r.status}): ${r.stderr || r.stdout}`);
  return { ...r, errors: (r.stdout.match(/error TS\d+/g) || []).length };
}

/**
 * `--no-cache` when this build of the CLI has an analysis cache: a cold run must not read
 * what an earlier run left in .lockorder/cache.
 */
function noCacheOption() {
  const help = spawnSync(process.execPath, [cli, 'check', '--help'], { encoding: 'utf8' });
  return `${help.stdout}${help.stderr}`.includes('--no-cache') ? ['--no-cache'] : [];
}

/** One cold `lockorder check` over the corpus, JSON output. */
function runCli(options) {
  const r = timed([cli, 'check', corpus, '--format', 'json', ...options], root);
  if (r.status !== 0 && r.status !== 1) throw new Error(`lockorder check failed (exit ${r.status}): ${r.stderr.trim().split('\n').pop()}`);
  return { ...r, doc: JSON.parse(r.stdout) };
}

const pad = (s, n) => String(s).padStart(n);
const best = (xs) => Math.min(...xs);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function printCorpus(rows) {
  console.log('corpus (bench/out/ts-corpus):');
  console.log(`  ${'package'.padEnd(30)} ${'version'.padEnd(9)} ${'locks'.padEnd(16)} ${pad('files', 6)} ${pad('lines', 7)}`);
  for (const r of rows) console.log(`  ${r.name.padEnd(30)} ${r.version.padEnd(9)} ${r.uses.padEnd(16)} ${pad(r.files, 6)} ${pad(r.lines, 7)}`);
  const files = rows.reduce((n, r) => n + r.files, 0);
  const lines = rows.reduce((n, r) => n + r.lines, 0);
  console.log(`  ${'total'.padEnd(30)} ${''.padEnd(9)} ${''.padEnd(16)} ${pad(files, 6)} ${pad(lines, 7)}`);
  return { files, lines };
}

function printFindings(doc) {
  const by = Object.fromEntries(RULES.map((c) => [c, 0]));
  for (const f of doc.findings) by[f.code] = (by[f.code] || 0) + 1;
  console.log(`findings: ${doc.findings.length} (${Object.entries(by).map(([c, n]) => `${c} ${n}`).join(', ')})`);
  for (const f of doc.findings) console.log(`  ${f.code} ${relative(corpus, resolve(root, f.file))}:${f.line} ${f.message}`);
}

function main() {
  const runs = runsWanted();
  if (!existsSync(cli)) throw new Error('dist/cli.js is missing: run npm run build (npm run bench:ts does)');
  const load = loadavg();
  const rows = buildCorpus(root, corpus);
  const total = printCorpus(rows);
  console.log(`typescript ${require('typescript/package.json').version}, ${runs} run(s) each, alternating; load average before: ${load.map((x) => x.toFixed(2)).join(' ')}`);
  const options = noCacheOption();
  if (options.length) console.log('lockorder check runs with --no-cache (every run cold)');
  const t = [];
  const c = [];
  for (let i = 0; i < runs; i++) {
    t.push(runTsc());
    c.push(runCli(options));
    console.log(`  run ${i + 1}: tsc ${t[i].seconds.toFixed(2)} s (CPU ${t[i].cpu.toFixed(2)} s) ${t[i].rssMb.toFixed(0)} MB | lockorder check ${c[i].seconds.toFixed(2)} s (CPU ${c[i].cpu.toFixed(2)} s) ${c[i].rssMb.toFixed(0)} MB`);
  }
  const doc = c[c.length - 1].doc;
  writeFileSync(join(out, 'ts-findings.json'), JSON.stringify(doc.findings, null, 2) + '\n');
  const tscBest = best(t.map((r) => r.seconds));
  const cliBest = best(c.map((r) => r.seconds));
  const tscRss = Math.max(...t.map((r) => r.rssMb));
  const cliRss = Math.max(...c.map((r) => r.rssMb));
  const ratio = cliBest / tscBest;
  const cpuRatio = best(c.map((r) => r.cpu)) / best(t.map((r) => r.cpu));
  console.log(`tsc --noEmit -p:      best ${tscBest.toFixed(2)} s, median ${median(t.map((r) => r.seconds)).toFixed(2)} s, best CPU ${best(t.map((r) => r.cpu)).toFixed(2)} s, peak RSS ${tscRss.toFixed(0)} MB (${t[0].errors} type errors)`);
  console.log(`lockorder check cold: best ${cliBest.toFixed(2)} s, median ${median(c.map((r) => r.seconds)).toFixed(2)} s, best CPU ${best(c.map((r) => r.cpu)).toFixed(2)} s, peak RSS ${cliRss.toFixed(0)} MB (${doc.summary.files} files analyzed)`);
  if (doc.summary.files !== total.files) console.log(`  note: the corpus has ${total.files} files, lockorder analyzed ${doc.summary.files}`);
  if (doc.problems.length) console.log(`  ${doc.problems.length} file(s) with problems, e.g. ${doc.problems[0].file}: ${doc.problems[0].message}`);
  console.log(`  ${(total.lines / cliBest).toFixed(0)} lines/s; RSS ratio ${(cliRss / tscRss).toFixed(2)}x tsc`);
  printFindings(doc);
  console.log(`ratio lockorder/tsc: ${ratio.toFixed(2)}x wall, best of each (target <= ${TARGET_RATIO.toFixed(1)}x: ${ratio <= TARGET_RATIO ? 'met' : 'NOT met'}); ${cpuRatio.toFixed(2)}x CPU time (less swayed by other work)`);
  console.log(`peak RSS: ${cliRss.toFixed(0)} MB (target <= ${TARGET_RSS_MB} MB: ${cliRss <= TARGET_RSS_MB ? 'met' : 'NOT met'})`);
  console.log(`load average after: ${loadavg().map((x) => x.toFixed(2)).join(' ')} (2 cores; other work on the machine slows both sides)`);
}

try {
  main();
} catch (err) {
  console.error(`bench:ts: ${err.message}`);
  process.exit(1);
}
