// Build script: bundles the CLI, the language server, the engine (for tests) and the
// VS Code client (and its graph webview's script) with esbuild, and copies the tree-sitter wasm files
// and the native parser's prebuilt binaries (scripts/nativeParser.mjs) next to the bundles.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, chmodSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { engineIds } from './engineId.mjs';
import { copyNativeBinaries, nativeParserPlugin } from './nativeParser.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const dist = join(root, 'dist');
mkdirSync(dist, { recursive: true });

/** web-tree-sitter's ESM entry breaks inside a cjs bundle, so point at its .cjs build. */
const treeSitterCjs = require.resolve('web-tree-sitter');

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  alias: { 'web-tree-sitter': treeSitterCjs },
  // The analysis cache's version: entries written by another build are never read.
  define: Object.fromEntries(Object.entries(engineIds(root)).map(([k, v]) => [`LOCKORDER_${k.toUpperCase()}_ID`, JSON.stringify(v)])),
};

/**
 * The TypeScript front end is a bundle of its own, loaded only when a TS/JS file is present:
 * every other bundle requires it from next to itself instead of inlining it.
 */
const tsFrontEndApart = {
  name: 'ts-front-end-apart',
  setup(b) {
    b.onResolve({ filter: /^\.\/typescript\/index$/ }, (args) => (args.importer.endsWith(join('analysis', 'frontEnds.ts'))
      ? { path: './tsFrontEnd.js', external: true } : undefined));
  },
};

const entries = [
  { in: 'server/src/cli/main.ts', out: 'cli.js', banner: '#!/usr/bin/env node' },
  { in: 'server/src/cli/worker.ts', out: 'cliWorker.js' },
  { in: 'server/src/lsp/server.ts', out: 'server.js' },
  { in: 'server/src/analysis/index.ts', out: 'analysis.js' },
  { in: 'server/src/analysis/parallel/worker.ts', out: 'parseWorker.js' },
  { in: 'client/src/extension.ts', out: 'client.js', external: ['vscode'] },
  // LOCKORDER_NO_MINIFY=1 keeps TypeScript's own function names readable in a --cpu-prof profile.
  { in: 'server/src/analysis/typescript/index.ts', out: 'tsFrontEnd.js', minify: !process.env.LOCKORDER_NO_MINIFY },
  // The graph view's script runs in the webview (a browser): one file, no imports at run time.
  { in: 'client/webview/main.ts', out: 'graphView.js', platform: 'browser', format: 'iife', target: 'es2022', sourcemap: false },
];

const started = Date.now();
await Promise.all(entries.map((e) => build({
  ...common,
  ...(e.platform ? { platform: e.platform, format: e.format, target: e.target, sourcemap: e.sourcemap } : {}),
  entryPoints: [join(root, e.in)],
  outfile: join(dist, e.out),
  external: e.external ?? [],
  banner: e.banner ? { js: e.banner } : undefined,
  minify: e.minify ?? false,
  sourcemap: !e.minify,
  plugins: [tsFrontEndApart, nativeParserPlugin(join(root, 'server', 'src', 'analysis', 'python', 'nativeBinding.ts'))],
})));
chmodSync(join(dist, 'cli.js'), 0o755);

copyFileSync(join(dirname(treeSitterCjs), 'web-tree-sitter.wasm'), join(dist, 'web-tree-sitter.wasm'));
copyFileSync(join(dirname(require.resolve('tree-sitter-python/package.json')), 'tree-sitter-python.wasm'),
  join(dist, 'tree-sitter-python.wasm'));
const platforms = copyNativeBinaries(dist);
console.log(`built dist/ (cli.js, cliWorker.js, server.js, analysis.js, parseWorker.js, client.js, tsFrontEnd.js, graphView.js, 2 wasm files, native parser for ${platforms.length} platforms) in ${Date.now() - started} ms`);
