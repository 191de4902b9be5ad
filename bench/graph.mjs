// Benchmark of the lock-order graph (npm run bench:graph): indexes the Python standard library
// as the server does, then times what opening the graph view costs after indexing: the
// server's `lockorder/graph` answer (Project.graph), its JSON both ways, and the webview's
// folding and dagre layout (client/webview/fold.ts and layout.ts, bundled for Node here, with
// text measured at 7 px per character). Prints the figures against the bound: 2 s.
// Then the same for a generated program of 500 locks (the "500 locks stay usable").

import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { pythonFiles, readUtf8, stdlibDir } from './stdlibFiles.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const boundMs = 2000;

/** The webview's folding and layout, bundled for Node (dagre included). */
async function webviewLayout() {
  const dir = mkdtempSync(join(tmpdir(), 'lockorder-bench-graph-'));
  const outfile = join(dir, 'layout.mjs');
  await build({
    stdin: { contents: "export { fold, isLarge } from './fold';\nexport { layout } from './layout';\n", resolveDir: join(root, 'client', 'webview'), loader: 'ts' },
    bundle: true, platform: 'node', format: 'esm', outfile, logLevel: 'warning',
  });
  const mod = await import(pathToFileURL(outfile).href);
  rmSync(dir, { recursive: true, force: true });
  return mod;
}

/** Milliseconds `work` takes, and its result. */
function timed(work) {
  const start = performance.now();
  const result = work();
  return { ms: performance.now() - start, result };
}

async function main() {
  const { Project } = require(join(root, 'dist', 'analysis.js'));
  const { fold, isLarge, layout } = await webviewLayout();
  const stdlib = stdlibDir();
  const files = readUtf8(pythonFiles(stdlib));
  console.log(`lockorder bench:graph — ${stdlib}: ${files.length} files`);
  const project = await Project.create({ warm: false });
  const indexStart = performance.now();
  await project.addFiles(files);
  const analysis = project.analyze();
  console.log(`  indexing and first analysis (not counted): ${((performance.now() - indexStart) / 1000).toFixed(1)} s`);

  const measure = (text, small) => text.length * (small ? 6 : 7);
  const graph = timed(() => project.graph({}, { findings: analysis.findings }));
  const g = graph.result;
  const json = timed(() => JSON.stringify(g));
  const parsed = timed(() => JSON.parse(json.result));
  const folded = timed(() => (isLarge(g) ? fold(parsed.result, new Set(), new Set()) : parsed.result));
  const laid = timed(() => layout(folded.result, measure, 1.6));
  console.log(`  graph: ${g.nodes.length} locks, ${g.edges.length} edges, ${g.cycles.length} cycles, ${g.clusters.length} acquire() clusters; ${(json.result.length / 1024).toFixed(0)} KB of JSON`);
  console.log(`  shown: ${folded.result.nodes.length} nodes (files folded: ${isLarge(g) ? 'yes' : 'no, a small graph'}), ${folded.result.edges.length} edges`);
  const rows = [
    ['server: Project.graph', graph.ms], ['JSON.stringify (the answer)', json.ms], ['JSON.parse (the webview)', parsed.ms],
    ['fold', folded.ms], ['dagre layout', laid.ms],
  ];
  for (const [name, ms] of rows) console.log(`  ${name.padEnd(30)} ${ms.toFixed(1).padStart(8)} ms`);
  const total = rows.reduce((sum, [, ms]) => sum + ms, 0);
  console.log(`  total after indexing: ${total.toFixed(0)} ms (bound ${boundMs} ms): ${total <= boundMs ? 'within' : 'OVER'} the bound, ratio ${(total / boundMs).toFixed(2)}`);

  // The whole graph unfolded, for comparison (what the view draws once every file is opened).
  const whole = timed(() => layout(parsed.result, measure, 1.6));
  console.log(`  for comparison, dagre layout of all ${g.nodes.length} locks unfolded: ${whole.ms.toFixed(0)} ms`);
  project.dispose();
  await synthetic(fold, layout, measure);
}

/**
 * A generated program of 50 modules with 10 locks each (500 locks): each module nests its locks
 * in a chain and takes the next module's first lock under its last one; every tenth module also
 * takes the previous module's last lock under its first (a cycle across two files).
 */
function generated() {
  const files = [];
  for (let m = 0; m < 50; m++) {
    const lines = ['import threading', m < 49 ? `import mod${m + 1}` : '', m > 0 ? `import mod${m - 1}` : '', ''];
    for (let l = 0; l < 10; l++) lines.push(`lock${l} = threading.Lock()`);
    lines.push('', '', 'def chain():');
    for (let l = 0; l < 10; l++) lines.push(`${'    '.repeat(l + 1)}with lock${l}:`);
    if (m < 49) lines.push(`${'    '.repeat(11)}with mod${m + 1}.lock0:`, `${'    '.repeat(12)}pass`);
    else lines.push(`${'    '.repeat(11)}pass`);
    if (m > 0 && m % 10 === 0) lines.push('', '', 'def back():', '    with lock0:', `        with mod${m - 1}.lock9:`, '            pass');
    files.push({ path: join(tmpdir(), 'lockorder-bench-graph', `mod${m}.py`), text: lines.join('\n') + '\n' });
  }
  return files;
}

async function synthetic(fold, layout, measure) {
  const project = await Project500();
  const graph = timed(() => project.graph());
  const g = graph.result;
  const parsed = JSON.parse(JSON.stringify(g));
  const folded = timed(() => fold(parsed, new Set(), new Set()));
  const laid = timed(() => layout(folded.result, measure, 1.6));
  const whole = timed(() => layout(parsed, measure, 1.6));
  console.log(`generated program: ${g.nodes.length} locks, ${g.edges.length} edges, ${g.cycles.length} cycles`);
  console.log(`  server: Project.graph ${graph.ms.toFixed(0)} ms; folded into ${folded.result.nodes.length} file nodes and ${folded.result.edges.length} edges: fold ${folded.ms.toFixed(1)} ms + layout ${laid.ms.toFixed(0)} ms`);
  console.log(`  every file opened (${g.nodes.length} nodes): layout ${whole.ms.toFixed(0)} ms`);
  const total = graph.ms + folded.ms + laid.ms;
  console.log(`  opening the folded view: ${total.toFixed(0)} ms (bound ${boundMs} ms), ratio ${(total / boundMs).toFixed(2)}`);
  project.dispose();
}

/** A project holding the generated program, analyzed. */
async function Project500() {
  const { Project } = require(join(root, 'dist', 'analysis.js'));
  const project = await Project.create({ warm: false });
  await project.addFiles(generated());
  project.analyze();
  return project;
}

if (process.argv.includes("--generated-only")) { const { fold, isLarge, layout } = await webviewLayout(); await synthetic(fold, layout, (t, s) => t.length * (s ? 6 : 7)); } else await main();
