// Runs the engine on every fixture in test/fixtures/python/ and checks that the findings
// are exactly what each file's docstring promises (`expect: LO101 at 12` / `expect: nothing`).
// A fixture is one file, or a folder whose .py files are analyzed together as one program;
// a folder's `lockorder.order` (docs/order-file.md) is passed to the engine as its order file.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const { analyze, ruleRegistry } = createRequire(import.meta.url)('../dist/analysis.js');
const dir = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'python');
const fixtureName = /^(LO\d{3})_[A-Za-z0-9_]+(\.py)?$/;

/** Every .py file under a folder, sorted. */
function pythonFiles(folder) {
  return readdirSync(folder, { recursive: true }).map(String).filter((f) => f.endsWith('.py'))
    .map((f) => join(folder, f)).sort();
}

/** The `expect:` lines of a file's opening docstring, as `name:line CODE` keys. */
function expectations(file, name) {
  const text = readFileSync(file, 'utf8');
  const doc = /^\s*[rRuU]?("""|''')([\s\S]*?)\1/.exec(text);
  assert.ok(doc, `${name} does not open with a docstring`);
  const keys = [];
  let lines = 0;
  for (const m of doc[2].matchAll(/^\s*expect:\s*(.+?)\s*$/gm)) {
    lines++;
    if (m[1] === 'nothing') continue;
    const parsed = /^(LO\d{3}) at (\d+(?:\s*,\s*\d+)*)$/.exec(m[1]);
    assert.ok(parsed, `${name}: cannot read "expect: ${m[1]}"`);
    for (const line of parsed[2].split(',')) keys.push(`${name}:${Number(line)} ${parsed[1]}`);
  }
  assert.ok(lines > 0, `${name} has no "expect:" line in its docstring`);
  return keys;
}

/** A folder fixture's `lockorder.order`, as the engine's `orderFile` option, if it has one. */
function orderFileOf(folder) {
  const path = join(folder, 'lockorder.order');
  return existsSync(path) ? { path, text: readFileSync(path, 'utf8') } : undefined;
}

/** The fixtures (each .py file or folder): name, code prefix, files (absolute paths), order file. */
function fixtures() {
  const names = readdirSync(dir).sort().filter((n) => n.endsWith('.py') || statSync(join(dir, n)).isDirectory());
  return names.map((name) => {
    const path = join(dir, name);
    const folder = statSync(path).isDirectory();
    const files = folder ? pythonFiles(path) : [path];
    return { name, code: fixtureName.exec(name)?.[1], files, orderFile: folder ? orderFileOf(path) : undefined };
  });
}

/** A short name for a fixture file in messages: `LO101_x.py` or `LO101_x/a.py`. */
function shortName(file) {
  return relative(dir, file).split(sep).join('/');
}

const all = fixtures();
const expected = new Map(all.map((f) => [f.name, f.files.flatMap((file) => expectations(file, shortName(file)))]));

test('fixture names follow <CODE>_<case> with a registered code', () => {
  const codes = new Set(ruleRegistry.map((r) => r.code));
  const bad = all.filter((f) => !f.code || !codes.has(f.code)).map((f) => f.name);
  assert.deepEqual(bad, [], `fixtures with a bad name or unknown code: ${bad.join(', ')}`);
});

test('every registered rule has a positive and a clean fixture', () => {
  for (const rule of ruleRegistry) {
    const own = all.filter((f) => f.code === rule.code);
    const positive = own.filter((f) => expected.get(f.name).some((k) => k.endsWith(` ${rule.code}`)));
    const clean = own.filter((f) => expected.get(f.name).length === 0);
    assert.ok(positive.length > 0, `${rule.code} has no fixture expecting it`);
    assert.ok(clean.length > 0, `${rule.code} has no clean fixture (expect: nothing)`);
  }
});

for (const fixture of all) {
  test(`fixture ${fixture.name}`, async () => {
    const sources = fixture.files.map((path) => ({ path, text: readFileSync(path, 'utf8') }));
    const result = await analyze(sources, fixture.orderFile ? { orderFile: fixture.orderFile } : {});
    const actual = result.findings.map((f) => `${shortName(f.location.file)}:${f.location.range.start.line + 1} ${f.code}`);
    const detail = result.findings.map((f) =>
      `  ${shortName(f.location.file)}:${f.location.range.start.line + 1}:${f.location.range.start.character + 1} ${f.code} ${f.message}`);
    assert.deepEqual([...actual].sort(), [...expected.get(fixture.name)].sort(),
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
