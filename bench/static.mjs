// Benchmark of the static analyzer (npm run bench:static): analyzes the Python standard
// library (site-packages excluded), times CPython's own ast.parse over the same files as the
// reference, times the CLI with its analysis cache (staticCache.mjs), and a small threaded subset
// end to end through the CLI. Prints figures.
// LOCKORDER_PARSER=auto runs it with the native parser (see server/src/analysis/python/parser.ts).

import { execFileSync, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pythonFiles, readUtf8, stdlibDir } from './stdlibFiles.mjs';
import { cacheBench } from './staticCache.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

/** Time ast.parse over the same files, in one python3 process. */
function astParseSeconds(paths) {
  const list = join(tmpdir(), `lockorder-bench-${process.pid}.txt`);
  writeFileSync(list, paths.join('\n'));
  const script = [
    'import ast, sys, time, warnings',
    'warnings.simplefilter("ignore")',
    'paths = open(sys.argv[1]).read().split("\\n")',
    'sources = []',
    'for p in paths:',
    '    try: sources.append(open(p, encoding="utf-8").read())',
    '    except Exception: pass',
    't = time.perf_counter()',
    'for s in sources:',
    '    try: ast.parse(s)',
    '    except Exception: pass',
    'print(time.perf_counter() - t)',
  ].join('\n');
  return Number(execFileSync('python3', ['-c', script, list], { encoding: 'utf8' }).trim());
}

const fmt = (n, d = 2) => n.toFixed(d);

/** How many times the small subset runs through the CLI (its figure is the median). */
const SUBSET_RUNS = 7;

async function main() {
  const stdlib = stdlibDir();
  const paths = pythonFiles(stdlib);
  const files = readUtf8(paths);
  const lines = files.reduce((n, f) => n + f.text.split('\n').length, 0);
  console.log(`lockorder bench:static — ${stdlib}`);
  console.log(`files: ${files.length} (of ${paths.length} .py; the rest are not UTF-8), lines: ${lines}`);

  const started = process.hrtime.bigint();
  const engine = require(join(root, 'dist', 'analysis.js'));
  const result = await engine.analyze(files);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const peakMb = process.resourceUsage().maxRSS / 1024;
  const byRule = {};
  for (const f of result.findings) byRule[f.code] = (byRule[f.code] ?? 0) + 1;

  const astSeconds = astParseSeconds(files.map((f) => f.path));
  console.log('');
  console.log(`whole stdlib, cold (parser load, parse in worker threads, link, rules), parser: ${engine.parserDescription()}:`);
  console.log(`  lockorder:  ${fmt(seconds)} s, ${Math.round(lines / seconds)} lines/s, peak RSS ${Math.round(peakMb)} MB`);
  console.log(`  ast.parse:  ${fmt(astSeconds)} s, ${Math.round(lines / astSeconds)} lines/s (CPython, one core)`);
  console.log(`  ratio:      ${fmt(seconds / astSeconds)}x ast.parse (target <= 1.0x), peak RSS target <= 600 MB`);
  console.log(`  findings:   ${Object.entries(byRule).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}`);

  await cacheBench({ root, base: stdlib, files, astSeconds, fmt });

  const subset = ['threading.py', 'queue.py', 'logging', 'concurrent'].map((p) => join(stdlib, p));
  const subsetFiles = subset.flatMap((p) => (p.endsWith('.py') ? [p] : pythonFiles(p)));
  const subsetLines = readUtf8(subsetFiles).reduce((n, f) => n + f.text.split('\n').length, 0);
  // One run swings by a sixth on a shared 2-core machine: take the median of several.
  const times = [];
  let run;
  for (let i = 0; i < SUBSET_RUNS; i++) {
    const t0 = process.hrtime.bigint();
    run = spawnSync(process.execPath, [join(root, 'dist', 'cli.js'), 'check', ...subset, '--format', 'json'], { encoding: 'utf8' });
    times.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  times.sort((a, b) => a - b);
  const count = run.status === 2 ? 'error' : JSON.parse(run.stdout).findings.length;
  console.log('');
  console.log(`threading.py, queue.py, logging/, concurrent/ (${subsetFiles.length} files, ${subsetLines} lines), CLI end to end, ${SUBSET_RUNS} runs:`);
  console.log(`  median ${fmt(times[SUBSET_RUNS >> 1], 3)} s wall (target <= 0.5 s), fastest ${fmt(times[0], 3)} s, slowest ${fmt(times[SUBSET_RUNS - 1], 3)} s, ${count} findings`);
}

main().catch((err) => {
  console.error(`bench:static failed: ${err.message}`);
  process.exit(1);
});
