// The TS/JS corpus of npm run bench:ts: real sources of published npm packages that use JS
// locks, installed as pinned devDependencies, copied into bench/out/ts-corpus/<package>/ with
// one tsconfig.json over all of them. A package that ships its TypeScript gives its src/; one
// that ships source maps with the sources inside gives those; otherwise its shipped JavaScript,
// copied to lib/ (lockorder skips a folder named dist as build output, and here it is the source).

import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

/** The packages (versions are the ones in package.json's devDependencies). */
export const PACKAGES = [
  { name: 'isomorphic-git', uses: 'async-lock', from: { map: 'index.umd.min.js.map', prefix: 'webpack://git/./src/' }, dest: 'src' },
  { name: '@supabase/auth-js', uses: 'navigator.locks', from: { dir: 'src', ext: /\.ts$/ }, dest: 'src' },
  { name: '@metamask/keyring-controller', uses: 'async-mutex', from: { maps: 'dist', ext: /\.cjs\.map$/ }, dest: '' },
  { name: '@slack/web-api', uses: 'p-queue', from: { dir: 'dist', ext: /(?<!\.d)\.js$/ }, dest: 'lib' },
];

/** The compiler options both tsc and lockorder read (lockorder forces allowJs, noLib and no types). */
const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'ESNext',
    moduleResolution: 'bundler',
    lib: ['ES2022', 'DOM'],
    types: ['node'],
    allowJs: true,
    checkJs: false,
    noEmit: true,
    skipLibCheck: true,
    strict: false,
    esModuleInterop: true,
  },
  include: ['**/*'],
};

/** A package's install folder and version, or an error saying how to install it. */
function installed(root, name) {
  const dir = join(root, 'node_modules', name);
  const pkg = join(dir, 'package.json');
  if (!existsSync(pkg)) throw new Error(`${name} is not installed: run npm install (it is a devDependency)`);
  return { dir, version: JSON.parse(readFileSync(pkg, 'utf8')).version };
}

/** Files under `dir` (recursive) whose names match `ext`, as paths relative to `dir`. */
function filesUnder(dir, ext) {
  return readdirSync(dir, { recursive: true }).map(String).filter((f) => ext.test(f)).sort();
}

/** Source files of one package as [relative path, text] pairs. */
function sourcesOf(dir, from) {
  if (from.dir) return filesUnder(join(dir, from.dir), from.ext).map((f) => [f, readFileSync(join(dir, from.dir, f), 'utf8')]);
  const maps = from.map ? [from.map] : filesUnder(join(dir, from.maps), from.ext).map((f) => join(from.maps, f));
  const out = [];
  for (const m of maps) {
    const map = JSON.parse(readFileSync(join(dir, m), 'utf8'));
    map.sources.forEach((source, i) => {
      const text = map.sourcesContent?.[i];
      if (!text) return;
      if (from.prefix) {
        if (source.startsWith(from.prefix)) out.push([source.slice(from.prefix.length), text]);
      } else {
        const file = normalize(join(dirname(m), source));
        if (!file.startsWith('..') && !file.includes('node_modules')) out.push([file, text]);
      }
    });
  }
  return out;
}

/** Lines of a text, a last line without a newline counted too. */
export function lineCount(text) {
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

/**
 * Copies every package's sources into `out` (emptied first) and writes the tsconfig.json.
 * Returns one row per package: name, version, uses, folder, files, lines.
 */
export function buildCorpus(root, out) {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'tsconfig.json'), JSON.stringify(TSCONFIG, null, 2) + '\n');
  return PACKAGES.map((p) => {
    const { dir, version } = installed(root, p.name);
    const folder = join(out, p.name.replace(/^@/, '').replace('/', '__'));
    let files = 0;
    let lines = 0;
    for (const [file, text] of sourcesOf(dir, p.from)) {
      const dest = join(folder, p.dest, file);
      if (relative(folder, dest).startsWith('..')) continue;
      mkdirSync(dirname(dest), { recursive: true });
      writeFileSync(dest, text);
      files += 1;
      lines += lineCount(text);
    }
    if (files === 0) throw new Error(`no sources found in ${p.name} ${version}: did the package layout change?`);
    return { name: p.name, version, uses: p.uses, folder, files, lines };
  });
}
