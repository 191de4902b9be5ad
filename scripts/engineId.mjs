// The engine's identity for the analysis cache, computed at build time (scripts/build.mjs passes
// it to esbuild as a define): a hash of every engine source file and of the package versions,
// and the grammar's version. A cache entry written by another build is never read.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);

/** Every file below `dir`, sorted, so the hash does not depend on directory order. */
function filesBelow(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((e) => (e.isDirectory() ? filesBelow(join(dir, e.name)) : [join(dir, e.name)]));
}

/** The version of an installed package, or `none`. */
function packageVersion(name) {
  try {
    return require(`${name}/package.json`).version;
  } catch {
    return 'none';
  }
}

/** `{ engine, grammar }`: `engine-<16 hex>` and `tree-sitter-python@<version>`. */
export function engineIds(root) {
  const hash = createHash('sha256');
  for (const file of filesBelow(join(root, 'server', 'src', 'analysis'))) {
    hash.update(file.slice(root.length)).update('\0').update(readFileSync(file)).update('\0');
  }
  const grammar = `tree-sitter-python@${packageVersion('tree-sitter-python')}`;
  hash.update(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version).update(grammar)
    .update(`web-tree-sitter@${packageVersion('web-tree-sitter')}`).update(`typescript@${packageVersion('typescript')}`);
  return { engine: `engine-${hash.digest('hex').slice(0, 16)}`, grammar };
}
