// The analysis cache's part of bench:static: the same files copied to a temporary folder and
// checked by the CLI three times with its cache (filling it, warm with nothing changed, warm
// after one file changed), each timed end to end with its peak RSS and its ratio to the
// ast.parse time of the same run. The copies first age past the cache's 2 s racy window, as a
// checkout's files have, so the warm run may know them by their size and times without reading
// them. Then the one-changed case again in this process, split into
// loading facts (cache reads and the one parse), linking and rules.

import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';

const require = createRequire(import.meta.url);

/** How many times the warm runs are timed (one-changed: each after another edit of the same file). */
const WARM_RUNS = 5;
const EDIT_RUNS = 3;

/** One CLI run over `paths` in `cwd` with the cache; wall seconds, peak RSS in MB, the --verbose cache line. */
function cliRun(root, cwd, paths) {
  const rssFile = join(cwd, '.rss');
  const t0 = process.hrtime.bigint();
  const run = spawnSync(process.execPath, ['--require', join(root, 'bench', 'rssProbe.cjs'), join(root, 'dist', 'cli.js'), 'check',
    '--format', 'json', '--verbose', '--', ...paths], { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, LOCKORDER_RSS_OUT: rssFile } });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (run.status === 2) throw new Error(`lockorder check failed: ${run.stderr.slice(-500)}`);
  const note = /\d+ of \d+ files came from the cache.*/.exec(run.stderr)?.[0] ?? 'no cache line';
  return { seconds, rssMb: Number(readFileSync(rssFile, 'utf8')) / 1024, note, findings: JSON.parse(run.stdout).findings.length };
}

/** An edit that changes what the file's facts say: one more function taking a lock. */
function edit(file, n) {
  appendFileSync(file, `\n\ndef _lockorder_bench_edit_${n}():\n    with _lockorder_bench_lock:\n        pass\n\n_lockorder_bench_lock = None\n`);
}

/** Run the cache benchmark over `files` (below `base`) and print its lines. */
export async function cacheBench({ root, base, files, astSeconds, fmt }) {
  const dir = mkdtempSync(join(tmpdir(), 'lockorder-bench-cache-'));
  try {
    const paths = files.map((f) => relative(base, f.path));
    for (const [i, f] of files.entries()) {
      mkdirSync(dirname(join(dir, paths[i])), { recursive: true });
      writeFileSync(join(dir, paths[i]), f.text);
    }
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const changed = join(dir, paths.includes('threading.py') ? 'threading.py' : paths[0]);
    const ratio = (s) => `${fmt(s / astSeconds)}x ast.parse`;
    /** Run the CLI `n` times (calling `before(i)` first) and print the median and the fastest run. */
    const line = (label, n, target, before) => {
      const runs = [];
      for (let i = 0; i < n; i++) {
        before?.(i);
        runs.push(cliRun(root, dir, paths));
      }
      const last = runs[n - 1];
      runs.sort((a, b) => a.seconds - b.seconds);
      const mid = runs[n >> 1];
      const best = n > 1 ? `, fastest ${fmt(runs[0].seconds)} s (${ratio(runs[0].seconds)}) of ${n}` : '';
      console.log(`  ${label} ${fmt(mid.seconds)} s, ${ratio(mid.seconds)}${target ? ` (target <= ${target}x)` : ''}${best},`
        + ` peak RSS ${Math.round(mid.rssMb)} MB, ${last.findings} findings; ${last.note}`);
    };
    console.log('');
    console.log(`whole stdlib through the CLI with its cache (.lockorder/cache in a copy of the same ${files.length} files;`
      + ' median of several runs):');
    line('filling the cache (cold):', 1);
    line('warm, nothing changed:   ', WARM_RUNS, 0.10);
    line('warm, one file changed:  ', EDIT_RUNS, 0.15, (i) => edit(changed, i + 1));

    // The same one-changed case in this process, to see where its time goes.
    edit(changed, EDIT_RUNS + 1);
    const engine = require(join(root, 'dist', 'analysis.js'));
    const sources = paths.map((p) => ({ path: join(dir, p), text: readFileSync(join(dir, p), 'utf8') }));
    const t0 = process.hrtime.bigint();
    const cache = new engine.AnalysisCache({ dir: join(dir, '.lockorder', 'cache') });
    const project = await engine.Project.create({ warm: false, cache });
    await project.addFiles(sources);
    const t1 = process.hrtime.bigint();
    project.lockAt(sources[0].path, { line: 0, character: 0 }); // any query links the program
    const t2 = process.hrtime.bigint();
    project.analyze({});
    const t3 = process.hrtime.bigint();
    const stats = cache.stats();
    const s = (a, b) => Number(b - a) / 1e9;
    console.log(`  one file changed, in process: ${fmt(s(t0, t1))} s loading facts (${stats.fromCache} from the cache, ${stats.parsed} parsed),`
      + ` ${fmt(s(t1, t2))} s linking, ${fmt(s(t2, t3))} s rules (${ratio(s(t1, t3))} for linking and rules alone)`);
    project.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
