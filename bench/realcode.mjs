// Benchmark of precision on real code (npm run bench:realcode): fetches pinned releases of
// thread-heavy Python libraries from Debian's archive (cached), runs `lockorder check` on each
// library's own package folders, and prints files, lines, seconds and findings per rule. With
// docs/realcode-findings.json (the review verdicts) it also prints precision on LO101, LO102,
// LO105 and LO107 against the target, and the findings nobody has reviewed yet.
//
// Usage: node bench/realcode.mjs [LIBRARY...]   (default: every pinned library)
// Environment: LOCKORDER_REALCODE_CACHE (download cache), LOCKORDER_REALCODE_VERDICTS (verdict
// file, default docs/realcode-findings.json).

import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CorpusError, LIBRARIES, cacheDir, fetchLibrary } from './realcode/corpus.mjs';
import { PRECISION_RULES, TARGET, compare, findingKey, readVerdicts } from './realcode/review.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'cli.js');
const verdictFile = process.env.LOCKORDER_REALCODE_VERDICTS || join(root, 'docs', 'realcode-findings.json');
const RULES = ['LO101', 'LO102', 'LO103', 'LO104', 'LO105', 'LO106', 'LO107'];
const SKIPPED_DIRS = new Set(['.git', '.hg', '.svn', 'node_modules', '__pycache__', '.venv', 'venv', '.tox', '.nox', 'site-packages']);

function countLines(dir) {
  let lines = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIPPED_DIRS.has(e.name)) lines += countLines(p);
    } else if (e.name.endsWith('.py')) {
      const text = readFileSync(p, 'utf8');
      lines += text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
    }
  }
  return lines;
}

function check(lib, sitePackages) {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [cli, 'check', ...lib.packages, '--format', 'json'], {
    cwd: sitePackages, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024,
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (r.status !== 0 && r.status !== 1) {
    throw new CorpusError(`lockorder check failed on ${lib.name} (exit ${r.status}): ${String(r.stderr).trim().split('\n').pop()}`);
  }
  const doc = JSON.parse(r.stdout);
  const lines = lib.packages.reduce((n, p) => n + countLines(join(sitePackages, p)), 0);
  // findings on one line with one rule are numbered in message order, so keys stay stable
  const ordered = [...doc.findings].sort((a, b) => findingKey(lib.name, a).localeCompare(findingKey(lib.name, b)) || a.message.localeCompare(b.message));
  const seen = new Map();
  const findings = ordered.map((f) => {
    let key = findingKey(lib.name, f);
    const n = (seen.get(key) || 0) + 1;
    seen.set(key, n);
    if (n > 1) key += `#${n}`;
    return { key, code: f.code, message: f.message };
  });
  return { lib, files: doc.summary.files, lines, seconds, findings };
}

function pad(s, n, right = false) {
  s = String(s);
  return right ? s.padStart(n) : s.padEnd(n);
}

function printTable(results) {
  const head = [pad('library', 16), pad('version', 18), pad('files', 6, true), pad('lines', 8, true), pad('seconds', 8, true), ...RULES.map((r) => pad(r, 6, true))];
  console.log(head.join(' '));
  const total = { files: 0, lines: 0, seconds: 0, by: {} };
  for (const r of results) {
    const by = countBy(r.findings);
    console.log([pad(r.lib.name, 16), pad(r.lib.version, 18), pad(r.files, 6, true), pad(r.lines, 8, true), pad(r.seconds.toFixed(2), 8, true), ...RULES.map((c) => pad(by[c] || 0, 6, true))].join(' '));
    total.files += r.files;
    total.lines += r.lines;
    total.seconds += r.seconds;
    for (const c of RULES) total.by[c] = (total.by[c] || 0) + (by[c] || 0);
  }
  console.log([pad('total', 16), pad(`${results.length} libraries`, 18), pad(total.files, 6, true), pad(total.lines, 8, true), pad(total.seconds.toFixed(2), 8, true), ...RULES.map((c) => pad(total.by[c], 6, true))].join(' '));
  const quiet = results.filter((r) => !r.findings.some((f) => PRECISION_RULES.includes(f.code))).length;
  console.log(`\n${quiet} of ${results.length} libraries have no ${PRECISION_RULES.join('/')} finding.`);
}

function countBy(findings) {
  const by = {};
  for (const f of findings) by[f.code] = (by[f.code] || 0) + 1;
  return by;
}

function printReview(results) {
  const verdicts = readVerdicts(verdictFile);
  if (!verdicts) {
    console.log(`\nNo ${verdictFile}: precision not measured (review the findings and write it).`);
    return;
  }
  const all = results.flatMap((r) => r.findings);
  // verdicts of libraries left out of this run are neither counted nor "no longer reported"
  const prefixes = results.map((r) => `${r.lib.name}/`);
  const inRun = new Map([...verdicts].filter(([k]) => prefixes.some((p) => k.startsWith(p))));
  const c = compare(all, inRun);
  const pct = c.precision === null ? 'n/a' : `${(100 * c.precision).toFixed(0)}%`;
  console.log(`\nReview (${PRECISION_RULES.join(', ')}), verdicts from ${verdictFile}:`);
  console.log(`  reviewed real: ${c.real}   reviewed false: ${c.false}   unreviewed: ${c.unreviewed}`);
  console.log(`  precision = real/(real+false) = ${pct} (target >= ${TARGET.precision * 100}%), real findings: ${c.real} (target >= ${TARGET.real})`);
  console.log(`  target ${c.met ? 'MET' : 'NOT MET'}`);
  if (c.unreviewedFindings.length) {
    console.log(`\nUnreviewed findings (${c.unreviewedFindings.length}, all rules):`);
    for (const f of c.unreviewedFindings) console.log(`  ${f.key}  ${f.message}`);
  }
  if (c.gone.length) {
    console.log(`\nReviewed findings this build does not report (${c.gone.length}):`);
    for (const k of c.gone) console.log(`  ${k}  [${inRun.get(k).verdict}]`);
  }
}

function selected(names) {
  if (!names.length) return LIBRARIES;
  const unknown = names.filter((n) => !LIBRARIES.some((l) => l.name === n));
  if (unknown.length) {
    throw new CorpusError(`unknown library ${unknown.join(', ')}; pinned: ${LIBRARIES.map((l) => l.name).join(', ')}`);
  }
  return LIBRARIES.filter((l) => names.includes(l.name));
}

function main() {
  const libs = selected(process.argv.slice(2));
  console.log(`bench:realcode: corpus cache ${cacheDir()}\n`);
  const results = [];
  for (const lib of libs) {
    results.push(check(lib, fetchLibrary(lib)));
  }
  printTable(results);
  printReview(results);
}

try {
  main();
} catch (e) {
  // one line for the user: a missing tool, a failed download, a malformed verdict file
  console.error(`bench:realcode: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(2);
}
