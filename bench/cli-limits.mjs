// Benchmark of the CLI's bounds on its input (npm run bench:cli-limits). Prints figures and
// ratios against the stated bounds:
//  - folder depth: package chains 250, 500 and 1000 folders deep, and plain folder chains
//    with one file at the bottom; time must grow at most like the paths' total length
//    (depth squared), not like depth cubed as it did;
//  - file size: a lock-dense source file just under the 10 MB --max-file-size default against
//    a 1 MB one (time and peak memory per MB), and a 50 MB file, which is skipped;
//  - the out-of-memory guard: what running the check in a worker thread costs, on
//    `lockorder check examples` and as the bare start of a worker.
// `node bench/cli-limits.mjs --cli OTHER/dist/cli.js` measures another build for comparison.

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cliFlag = process.argv.indexOf('--cli');
const cli = cliFlag > 0 ? process.argv[cliFlag + 1] : join(root, 'dist', 'cli.js');
const work = mkdtempSync(join(tmpdir(), 'lockorder-bench-limits-'));
const fmt = (n, d = 2) => n.toFixed(d);
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/** Run the CLI under python3's rusage: wall and CPU seconds (with its threads), peak RSS in MB. */
function measure(args, cwd) {
  const script = [
    'import resource, subprocess, sys, time',
    't = time.perf_counter()',
    'r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)',
    'u = resource.getrusage(resource.RUSAGE_CHILDREN)',
    'print(time.perf_counter() - t, u.ru_utime + u.ru_stime, u.ru_maxrss / 1024, r.returncode)',
  ].join('\n');
  const out = execFileSync('python3', ['-c', script, process.execPath, cli, ...args], { cwd, encoding: 'utf8' });
  const [wall, cpu, rssMb, status] = out.trim().split(' ').map(Number);
  if (status !== 0 && status !== 1) throw new Error(`lockorder ${args.join(' ')} exited ${status}`);
  return { wall, cpu, rssMb };
}

/** The median of `runs` measurements (by CPU time). */
function measureMedian(args, cwd, runs) {
  const all = Array.from({ length: runs }, () => measure(args, cwd)).sort((a, b) => a.cpu - b.cpu);
  return all[runs >> 1];
}

/** A chain of `depth` folders. `packages`: each holds __init__.py and a module; else one file at the bottom. */
function chain(depth, packages) {
  const top = join(work, `${packages ? 'pkg' : 'dir'}-${depth}`);
  let folder = top;
  for (let i = 0; i < depth; i++) {
    folder = join(folder, 'd');
    mkdirSync(folder, { recursive: true });
    if (packages) {
      writeFileSync(join(folder, '__init__.py'), '');
      writeFileSync(join(folder, 'm.py'), 'import threading\nfrom .. import m as parent\n\nlock = threading.Lock()\n');
    }
  }
  if (!packages) writeFileSync(join(folder, 'm.py'), 'import threading\n\nlock = threading.Lock()\n');
  return top;
}

function depthSection() {
  const depths = [250, 500, 1000];
  for (const packages of [true, false]) {
    console.log(packages
      ? 'package chain (__init__.py and m.py in every folder, relative imports), CLI end to end, median of 3:'
      : 'plain folder chain (one .py file at the bottom), CLI end to end, median of 3:');
    const rows = depths.map((depth) => {
      const dir = chain(depth, packages);
      const m = measureMedian(['check', '.'], dir, 3);
      console.log(`  depth ${String(depth).padStart(4)}: ${fmt(m.cpu)} s CPU, ${fmt(m.wall)} s wall, peak RSS ${Math.round(m.rssMb)} MB`);
      return { depth, ...m };
    });
    const growth = Math.log(rows[2].cpu / rows[1].cpu) / Math.log(rows[2].depth / rows[1].depth);
    console.log(`  growth 500 -> 1000: CPU time ~ depth^${fmt(growth)} (bound: <= depth^2.2, the paths' total length; cubic was depth^3)`);
  }
}

/** Lock-dense Python source of about `bytes` bytes. */
function lockDenseSource(bytes) {
  const parts = ['import threading\n'];
  let size = parts[0].length;
  for (let i = 0; size < bytes - 400; i++) {
    const chunk = `\nlock_${i}_a = threading.Lock()\nlock_${i}_b = threading.Lock()\n\n\ndef f_${i}():\n`
      + `    with lock_${i}_a:\n        with lock_${i}_b:\n            x = ${i} + 1\n            return x\n\n\n`
      + `def g_${i}():\n    with lock_${i}_b:\n        pass\n`;
    parts.push(chunk);
    size += chunk.length;
  }
  return parts.join('');
}

function sizeSection() {
  const MB = 1024 * 1024;
  console.log('');
  console.log('one lock-dense source file, CLI end to end:');
  const rows = [[1 * MB, 'one.py'], [10 * MB - 10 * 1024, 'under-cap.py']].map(([bytes, name]) => {
    const text = lockDenseSource(bytes);
    writeFileSync(join(work, name), text);
    const m = measure(['check', name], work);
    const mb = text.length / MB;
    console.log(`  ${fmt(mb)} MB: ${fmt(m.cpu)} s CPU (${fmt(m.cpu / mb)} s/MB), ${fmt(m.wall)} s wall, peak RSS ${Math.round(m.rssMb)} MB (${Math.round(m.rssMb / mb)} MB/MB)`);
    return { mb, ...m };
  });
  const [small, big] = rows;
  const timeRatio = (big.cpu / big.mb) / (small.cpu / small.mb);
  const rssRatio = big.rssMb / small.rssMb;
  console.log(`  per-MB CPU time, 10 MB vs 1 MB: ${fmt(timeRatio)}x (bound: <= 1.5x, i.e. linear); `
    + `peak RSS ${fmt(rssRatio)}x for ${fmt(big.mb / small.mb, 1)}x the source (bound: <= ${fmt(1.5 * big.mb / small.mb, 1)}x) and <= 2048 MB`);
  writeFileSync(join(work, 'huge.py'), '#'.repeat(50 * MB));
  const skip = measure(['check', 'huge.py'], work);
  console.log(`  a 50 MB file is skipped (over the 10 MB default): ${fmt(skip.wall)} s wall, peak RSS ${Math.round(skip.rssMb)} MB (bound: <= 1 s, <= 150 MB; it was 64 s and 3.2 GB)`);
}

/** Start an empty worker thread and wait for it to end: CPU (all threads) and wall milliseconds. */
function workerStart() {
  const cpu = process.cpuUsage();
  const t = process.hrtime.bigint();
  return new Promise((resolve) => {
    new Worker('0', { eval: true }).on('exit', () => {
      const used = process.cpuUsage(cpu);
      resolve({ cpu: (used.user + used.system) / 1000, wall: Number(process.hrtime.bigint() - t) / 1e6 });
    });
  });
}

async function guardSection() {
  const runs = 15;
  const checks = Array.from({ length: runs }, () => measure(['check', 'examples'], root));
  const starts = [];
  for (let i = 0; i < runs; i++) starts.push(await workerStart());
  const checkCpu = median(checks.map((c) => c.cpu)) * 1000;
  const startCpu = median(starts.map((s) => s.cpu));
  console.log('');
  console.log(`the out-of-memory guard (the check runs in a worker thread), ${runs} runs each:`);
  console.log(`  lockorder check examples: median ${fmt(checkCpu, 0)} ms CPU, ${fmt(median(checks.map((c) => c.wall)) * 1000, 0)} ms wall`);
  console.log(`  starting and ending an empty worker thread (the guard's cost): median ${fmt(startCpu, 1)} ms CPU, `
    + `${fmt(median(starts.map((s) => s.wall)), 1)} ms wall; ${fmt((100 * startCpu) / checkCpu, 1)}% of the check's CPU (bound: <= 30 ms and <= 15%)`);
}

async function main() {
  console.log(`lockorder bench:cli-limits — ${cli}`);
  console.log('');
  try {
    depthSection();
    sizeSection();
    await guardSection();
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(`bench:cli-limits failed: ${err.message}`);
  process.exit(1);
});
