// Runs the engine on every fixture in test/fixtures/python/ and test/fixtures/typescript/ and
// checks that the findings are exactly what each file's opening docstring (Python) or comment
// (TS/JS) promises (`expect: LO101 at 12` / `expect: nothing`). A fixture is one file, or a
// folder whose source files are analyzed together as one program; a folder's `lockorder.order`
// (docs/order-file.md) is passed to the engine as its order file.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const { analyze, ruleRegistry } = createRequire(import.meta.url)('../dist/analysis.js');
const fixturesDir = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

/**
 * The fixture languages: where their fixtures live, which files are sources, and the opening
 * comment that holds the `expect:` lines. `rules`: the rules its front end reports so far
 * (each needs a positive and a clean fixture); undefined means every registered rule.
 */
const LANGUAGES = [
  { dir: join(fixturesDir, 'python'), source: /\.py$/, opening: /^\s*[rRuU]?("""|''')([\s\S]*?)\1/, rules: undefined },
  { dir: join(fixturesDir, 'typescript'), source: /\.(?:[mc]?[jt]s|[jt]sx)$/, opening: /^()((?:[ \t]*\/\/.*\n)+)/, rules: ['LO101', 'LO102', 'LO103', 'LO104', 'LO105', 'LO106'] },
];
const fixtureName = /^(LO\d{3})_[A-Za-z0-9_]+(\.[a-z]+)?$/;

/** Every source file under a folder, sorted. */
function sourceFiles(folder, lang) {
  return readdirSync(folder, { recursive: true }).map(String).filter((f) => lang.source.test(f))
    .map((f) => join(folder, f)).sort();
}

/** The `expect:` lines of a file's opening docstring or comment, as `name:line CODE` keys. */
function expectations(file, name, lang) {
  const text = readFileSync(file, 'utf8');
  const doc = lang.opening.exec(text);
  assert.ok(doc, `${name} does not open with a docstring or comment`);
  const keys = [];
  let lines = 0;
  for (const m of doc[2].replace(/^[ \t]*\/\/ ?/gm, '').matchAll(/^\s*expect:\s*(.+?)\s*$/gm)) {
    lines++;
    if (m[1] === 'nothing') continue;
    const parsed = /^(LO\d{3}) at (\d+(?:\s*,\s*\d+)*)$/.exec(m[1]);
    assert.ok(parsed, `${name}: cannot read "expect: ${m[1]}"`);
    for (const line of parsed[2].split(',')) keys.push(`${name}:${Number(line)} ${parsed[1]}`);
  }
  assert.ok(lines > 0, `${name} has no "expect:" line in its opening docstring or comment`);
  return keys;
}

/** A folder fixture's `lockorder.order`, as the engine's `orderFile` option, if it has one. */
function orderFileOf(folder) {
  const path = join(folder, 'lockorder.order');
  return existsSync(path) ? { path, text: readFileSync(path, 'utf8') } : undefined;
}

/** The fixtures of a language (each source file or folder): name, code prefix, files (absolute paths), order file. */
function fixtures(lang) {
  const names = readdirSync(lang.dir).sort().filter((n) => lang.source.test(n) || statSync(join(lang.dir, n)).isDirectory());
  return names.map((name) => {
    const path = join(lang.dir, name);
    const folder = statSync(path).isDirectory();
    const files = folder ? sourceFiles(path, lang) : [path];
    return { name, lang, code: fixtureName.exec(name)?.[1], files, orderFile: folder ? orderFileOf(path) : undefined };
  });
}

/** A short name for a fixture file in messages: `LO101_x.py` or `LO101_x/a.py`. */
function shortName(file) {
  return relative(fixturesDir, file).split(sep).slice(1).join('/');
}

const all = LANGUAGES.flatMap(fixtures);
const expected = new Map(all.map((f) => [f.files[0], f.files.flatMap((file) => expectations(file, shortName(file), f.lang))]));

test('fixture names follow <CODE>_<case> with a registered code', () => {
  const codes = new Set(ruleRegistry.map((r) => r.code));
  const bad = all.filter((f) => !f.code || !codes.has(f.code)).map((f) => f.name);
  assert.deepEqual(bad, [], `fixtures with a bad name or unknown code: ${bad.join(', ')}`);
});

test('every registered rule (every rule a front end reports so far) has a positive and a clean fixture', () => {
  for (const lang of LANGUAGES) {
    for (const code of lang.rules ?? ruleRegistry.map((r) => r.code)) {
      const own = all.filter((f) => f.lang === lang && f.code === code);
      const positive = own.filter((f) => expected.get(f.files[0]).some((k) => k.endsWith(` ${code}`)));
      const clean = own.filter((f) => expected.get(f.files[0]).length === 0);
      assert.ok(positive.length > 0, `${code} has no fixture expecting it in ${lang.dir}`);
      assert.ok(clean.length > 0, `${code} has no clean fixture (expect: nothing) in ${lang.dir}`);
    }
  }
});

for (const fixture of all) {
  test(`fixture ${shortName(fixture.files[0]).split('/')[0]}`, async () => {
    const sources = fixture.files.map((path) => ({ path, text: readFileSync(path, 'utf8') }));
    const result = await analyze(sources, fixture.orderFile ? { orderFile: fixture.orderFile } : {});
    const actual = result.findings.map((f) => `${shortName(f.location.file)}:${f.location.range.start.line + 1} ${f.code}`);
    const detail = result.findings.map((f) =>
      `  ${shortName(f.location.file)}:${f.location.range.start.line + 1}:${f.location.range.start.character + 1} ${f.code} ${f.message}`);
    assert.deepEqual([...actual].sort(), [...expected.get(fixture.files[0])].sort(),
      `${fixture.name}: findings differ from the docstring's expect: lines. Actual findings:\n${detail.join('\n') || '  (none)'}`);
    const partial = fixture.name.includes('syntax_error');
    if (partial) {
      assert.ok(result.problems.some((p) => fixture.files.includes(p.file)),
        `${fixture.name}: the syntax error should be reported as a file problem`);
    } else {
      assert.deepEqual(result.problems, [], `${fixture.name}: a file that parses (and its order file) should have no problems`);
    }
  });
}
