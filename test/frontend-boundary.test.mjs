// Checks that language front ends are plug-ins: no source file outside
// server/src/analysis/python/ and server/src/analysis/typescript/ imports from either folder,
// except the front-end registry (server/src/analysis/frontEnds.ts). The rest of the engine
// reaches a front end only through the registry and the interface in frontEnd.ts.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const analysis = join(root, 'server', 'src', 'analysis');
const FRONT_ENDS = ['python', 'typescript'].map((d) => join(analysis, d));
const REGISTRY = join(analysis, 'frontEnds.ts');

/** Every .ts file under a folder. */
function sources(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...sources(p));
    else if (/\.tsx?$/.test(e.name)) out.push(p);
  }
  return out;
}

/** The module specifiers a file imports: static imports and re-exports, `import()` and `require()`. */
function specifiers(text) {
  const out = [];
  const patterns = [/\b(?:import|export)\b[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g, /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g, /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g];
  for (const re of patterns) for (const m of text.matchAll(re)) out.push(m[1]);
  return out;
}

/** The front-end folder a specifier imported from `file` lands in, if any. */
function frontEndFolderOf(file, spec) {
  if (!spec.startsWith('.')) return undefined;
  const target = resolve(dirname(file), spec);
  return FRONT_ENDS.find((d) => target === d || target.startsWith(d + sep));
}

/** Every import that crosses into a front end from outside, as `file: specifier`. */
function crossings() {
  const files = [...sources(join(root, 'server', 'src')), ...(existsSync(join(root, 'client', 'src')) ? sources(join(root, 'client', 'src')) : [])];
  const bad = [];
  for (const file of files) {
    if (file === REGISTRY || FRONT_ENDS.some((d) => file.startsWith(d + sep))) continue;
    for (const spec of specifiers(readFileSync(file, 'utf8'))) {
      if (frontEndFolderOf(file, spec)) bad.push(`${relative(root, file)}: ${spec}`);
    }
  }
  return bad;
}

test('only the front-end registry imports from analysis/python/ or analysis/typescript/', () => {
  assert.ok(statSync(join(analysis, 'python')).isDirectory(), 'the Python front end folder is missing');
  assert.deepEqual(crossings(), [], 'these imports bypass the front-end registry (server/src/analysis/frontEnds.ts)');
});

test('the registry itself does import the front ends (the check above would be empty otherwise)', () => {
  const imported = specifiers(readFileSync(REGISTRY, 'utf8')).filter((s) => frontEndFolderOf(REGISTRY, s));
  assert.ok(imported.some((s) => s.startsWith('./python/')), `the registry imports no Python front end: ${imported.join(', ')}`);
});
