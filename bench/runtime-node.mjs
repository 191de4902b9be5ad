// bench:runtime-node: what the Node runtime costs, on this Node and on Node 24 when the editor
// tests installed it (~/.cache/lockorder-e2e/tools.json). Each figure is the best of 5 runs of
// bench/runtime-node-work.mjs in a fresh process. Bounds (issue 15):
//   runExclusive on an uncontended Mutex, under the runtime / plain            <= 3x
//   request-like workload (two mutexes, I/O stand-ins, 100k requests)          <= 1.3x
//   acquire([a, b], fn) / two nested runExclusive (both under the runtime)     <= 1.2x
// and, once on this Node, 1,000 concurrent chains x 1,000 acquisitions: the edges recorded (each
// distinct one once: 9) and the peak RSS with and without the runtime (bounded memory).
// Prints every figure and ratio; exits 1 when a bound is missed.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const work = join(root, 'bench', 'runtime-node-work.mjs');
const register = join(root, 'runtime', 'node', 'register.mjs');
const rounds = 5;

/** One fresh process of bench/runtime-node-work.mjs: its JSON line, and its stderr. */
function runOnce(node, scenario, count, instrumented, summary = '0') {
  const args = [...(instrumented ? ['--import', register] : []), work, scenario, String(count)];
  const env = { ...process.env, LOCKORDER_SUMMARY: summary, LOCKORDER_REPORT_DIR: join(root, 'bench', 'out', 'runtime-node') };
  delete env.NODE_OPTIONS;
  const run = spawnSync(node, args, { cwd: root, env, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`${scenario} failed: ${run.stderr}`);
  return { ...JSON.parse(run.stdout.trim().split('\n').pop()), stderr: run.stderr };
}

/** Nanoseconds per iteration: the best of `rounds` fresh processes. */
function measure(node, scenario, count, instrumented) {
  let best = Infinity;
  for (let i = 0; i < rounds; i += 1) best = Math.min(best, runOnce(node, scenario, count, instrumented).ns);
  return best;
}

/** 1,000 chains x 1,000 acquisitions: edges recorded and peak RSS, plain and under the runtime. */
function scale(node) {
  const plain = runOnce(node, 'chains', 1000000, false);
  const traced = runOnce(node, 'chains', 1000000, true, '1');
  const edges = /(\d+) lock-order edges, findings: ([^.]*)\./.exec(traced.stderr);
  console.log(`  1,000 chains x 1,000 acquisitions: ${edges ? `${edges[1]} edges recorded, findings: ${edges[2]}` : 'no summary'}; peak RSS plain ${plain.maxRssMB} MB, runtime ${traced.maxRssMB} MB (${(traced.maxRssMB / plain.maxRssMB).toFixed(2)}x)`);
}

/** The Nodes to measure on: this one, and Node 24 when installed. */
function nodes() {
  const list = [{ name: `node ${process.version}`, path: process.execPath }];
  const tools = join(process.env.LOCKORDER_E2E_CACHE ?? join(homedir(), '.cache', 'lockorder-e2e'), 'tools.json');
  try {
    const node24 = JSON.parse(readFileSync(tools, 'utf8')).node24;
    if (node24 && existsSync(node24) && node24 !== process.execPath) {
      const version = spawnSync(node24, ['--version'], { encoding: 'utf8' }).stdout.trim();
      list.push({ name: `node ${version}`, path: node24 });
    } else console.log('(Node 24 not installed: run `bash scripts/editors-setup.sh` to measure it too)');
  } catch {
    console.log('(Node 24 not installed: run `bash scripts/editors-setup.sh` to measure it too)');
  }
  return list;
}

let missed = 0;
/** Print one comparison against its bound. */
function line(label, base, measured, bound, baseName, name) {
  const ratio = measured / base;
  if (ratio > bound) missed += 1;
  console.log(`  ${label}: ${baseName} ${(base / 1000).toFixed(2)} us, ${name} ${(measured / 1000).toFixed(2)} us, ratio ${ratio.toFixed(2)}x (bound ${bound}x) ${ratio <= bound ? 'ok' : 'MISSED'}`);
}

for (const node of nodes()) {
  console.log(`${node.name}:`);
  line('runExclusive, uncontended (200k)', measure(node.path, 'uncontended', 200000, false), measure(node.path, 'uncontended', 200000, true), 3, 'plain', 'runtime');
  line('request-like workload (100k requests)', measure(node.path, 'requests', 100000, false), measure(node.path, 'requests', 100000, true), 1.3, 'plain', 'runtime');
  line('acquire([a, b], fn) vs nested runExclusive (200k)', measure(node.path, 'nested', 200000, true), measure(node.path, 'ordered', 200000, true), 1.2, 'nested', 'acquire');
  if (node.path === process.execPath) scale(node.path);
}
process.exitCode = missed > 0 ? 1 : 0;
