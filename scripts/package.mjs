// Packages the VS Code extension as a .vsix with @vscode/vsce (after `npm run build`), with the
// users' README (docs/marketplace/README.md) as the extension's README; checks that the bundles,
// wasm files, rule pages, icon and walkthrough pages are in it, and prints its size; fails above 10 MB.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const out = join(root, `${pkg.name}-${pkg.version}.vsix`);
const limit = 10 * 1024 * 1024;

/** Stop with a one-line reason. */
function fail(message) {
  console.error(`package: ${message}`);
  process.exit(1);
}

for (const file of ['dist/client.js', 'dist/server.js', 'dist/parseWorker.js', 'dist/tsFrontEnd.js', 'dist/web-tree-sitter.wasm', 'dist/tree-sitter-python.wasm']) {
  if (!existsSync(join(root, file))) fail(`${file} is missing; run \`npm run build\` first`);
}
/** The README shipped in the .vsix and shown on the marketplace: the users' one. */
const readme = 'docs/marketplace/README.md';
for (const file of [readme, 'LICENSE', pkg.icon]) {
  if (!existsSync(join(root, file))) fail(`${file} is missing; vsce needs it`);
}

const vsce = join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'vsce.cmd' : 'vsce');
if (!existsSync(vsce)) fail('@vscode/vsce is not installed; run `npm install`');
// Everything the extension needs is bundled, so vsce must not collect node_modules. Relative
// links in the README resolve against its folder in the repository package.json declares.
const base = pkg.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');
const readmeDir = readme.slice(0, readme.lastIndexOf('/') + 1);
const run = spawnSync(vsce, [
  'package', '--no-dependencies', '--out', out, '--readme-path', readme,
  '--baseContentUrl', `${base}/blob/main/${readmeDir}`, '--baseImagesUrl', `${base}/raw/main/${readmeDir}`,
], {
  cwd: root, encoding: 'utf8',
});
if (run.status !== 0) fail(`vsce failed:\n${(run.stderr || run.stdout).trim()}`);

const listing = spawnSync(vsce, ['ls', '--no-dependencies', '--readme-path', readme], { cwd: root, encoding: 'utf8' });
if (listing.status !== 0) fail(`vsce ls failed:\n${(listing.stderr || listing.stdout).trim()}`);
const files = listing.stdout.split('\n').map((l) => l.trim()).filter(Boolean);
const rulePages = readdirSync(join(root, 'docs', 'rules')).filter((f) => f.endsWith('.md')).map((f) => `docs/rules/${f}`);
const walkthrough = (pkg.contributes.walkthroughs ?? []).flatMap((w) => w.steps).flatMap((s) => Object.values(s.media ?? {}))
  .filter((v) => typeof v === 'string' && /\.(md|png|svg|jpe?g|gif)$/.test(v));
for (const needed of ['dist/server.js', 'dist/client.js', 'dist/parseWorker.js', 'dist/graphView.js', 'dist/tree-sitter-python.wasm', 'dist/web-tree-sitter.wasm', 'runtime/python/lockorder/__init__.py', 'runtime/node/register.mjs', readme, pkg.icon, ...rulePages, ...walkthrough]) {
  if (!files.includes(needed)) fail(`${needed} is not in the package (check .vscodeignore)`);
}
for (const file of files) {
  if (/^(server|client)\/src\/|^test\/|^node_modules\/|^README\.md$/.test(file)) fail(`${file} should not be in the package (check .vscodeignore)`);
}

const size = statSync(out).size;
const mb = (size / 1024 / 1024).toFixed(2);
console.log(`package: ${out.slice(root.length + 1)}: ${files.length} files, ${mb} MB (limit 10 MB)`);
if (size > limit) fail(`the .vsix is ${mb} MB, over the 10 MB limit`);
