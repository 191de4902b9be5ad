// Finds and loads the native (N-API) binaries of `tree-sitter` and `tree-sitter-python`. The
// build bundles both packages' JavaScript and points their binary lookup here (scripts/build.mjs),
// so the bundles look first in dist/native/<platform>-<arch>/ (the packages' prebuilt binaries,
// copied there by the build and shipped), then in the packages' own folders in node_modules
// (a binary npm compiled at install time, then their prebuilds).

import * as fs from 'node:fs';
import * as path from 'node:path';

/** The packages with a native binary, by the file name of their prebuilt binary. */
const PREBUILT: Record<string, string> = { 'tree-sitter': 'tree-sitter.node', 'tree-sitter-python': 'tree-sitter-python.node' };

/** The binaries loaded so far, by package (one per package per thread). */
const loaded = new Map<string, { exports: unknown; file: string }>();

/** The platform folder name the prebuilt binaries sit in: `linux-x64`, `darwin-arm64`, ... */
export function platformFolder(): string {
  return `${process.platform}-${process.arch}`;
}

/** Where a package's binary may be, most preferred first. */
function candidates(pkg: string): string[] {
  const file = PREBUILT[pkg];
  const out = [path.join(__dirname, 'native', platformFolder(), file)];
  let dir: string | undefined;
  try {
    dir = path.dirname(require.resolve(`${pkg}/package.json`));
  } catch {
    return out;
  }
  const release = path.join(dir, 'build', 'Release');
  if (fs.existsSync(release)) {
    for (const f of fs.readdirSync(release)) if (f.endsWith('.node')) out.push(path.join(release, f));
  }
  out.push(path.join(dir, 'prebuilds', platformFolder(), file));
  return out;
}

/** Load a package's native binary; throws, saying what was tried, when none loads here. */
export function loadBinding(pkg: string): unknown {
  const done = loaded.get(pkg);
  if (done) return done.exports;
  if (!PREBUILT[pkg]) throw new Error(`no native binary is known for ${pkg}`);
  const failures: string[] = [];
  for (const file of candidates(pkg)) {
    if (!fs.existsSync(file)) continue;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const exports = require(file) as unknown;
      loaded.set(pkg, { exports, file });
      return exports;
    } catch (err) {
      failures.push(`${file}: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  throw new Error(failures.length ? failures.join('; ') : `no ${PREBUILT[pkg]} for ${platformFolder()}`);
}

/** The file each loaded binary came from. */
export function loadedBinaries(): string[] {
  return [...loaded.values()].map((l) => l.file);
}
