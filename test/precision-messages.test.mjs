// What issue 17's precision fixtures say beyond their lines (fixtures.test.mjs checks those):
// the inherited finalizer names the subclass (FN1), LO107's example region is one where a
// collection can start (S5), LO104's "the function ends here" is a statement that runs last
// (S6), also after a loop taking each element's lock, and no finding names one acquisition as
// two locks' sites (output hygiene).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const { analyze } = createRequire(import.meta.url)('../dist/analysis.js');
const dir = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'python');

/** The findings of one single-file fixture with a code, and the file's lines. */
async function findingsOf(name, code) {
  const path = join(dir, name);
  const text = readFileSync(path, 'utf8');
  const found = (await analyze([{ path, text }])).findings.filter((f) => f.code === code);
  return { found, lines: text.split('\n') };
}

/** The 1-based line of the first code line (after the docstring) containing `snippet`. */
function lineOf(lines, snippet) {
  const docEnd = lines.findIndex((l, i) => i > 0 && l.includes('"""'));
  const i = lines.findIndex((l, j) => j > docEnd && l.includes(snippet));
  assert.ok(i >= 0, `no code line contains ${snippet}`);
  return i + 1;
}

test('FN1: an inherited __del__ reaching an override is reported, naming the subclass', async () => {
  const { found } = await findingsOf('LO107_FN1_inherited_finalizer.py', 'LO107');
  assert.equal(found.length, 1);
  assert.match(found[0].message, /`StdinFile\.__del__` \(inherited from `BufferedFile`; via `Channel\.shutdown_write`\)/);
  assert.match(found[0].message, /`Channel\.lock`/);
});

test('S5: LO107 names only held regions that allocate or call', async () => {
  const { found, lines } = await findingsOf('LO107_S5_collection_region.py', 'LO107');
  assert.equal(found.length, 1);
  const grow = lineOf(lines, 'def grow') + 1;
  const size = lineOf(lines, 'def size') + 1;
  assert.match(found[0].message, new RegExp(`for example on line ${grow}, in \`Pool\\.grow\`\\.$`));
  const heldLines = found[0].related.filter((r) => /held here/.test(r.message)).map((r) => r.location.range.start.line + 1);
  assert.deepEqual(heldLines, [grow], `held regions named: ${heldLines} (size() at ${size} cannot start a collection)`);
});

test('S6: "the function ends" points at the last statement the function runs', async () => {
  const { found, lines } = await findingsOf('LO104_S6_end_is_real_exit.py', 'LO104');
  assert.equal(found.length, 1);
  const exit = lineOf(lines, 'note_empty()');
  assert.match(found[0].message, new RegExp(`\\(line ${exit}\\)`));
  assert.equal(found[0].related[0].location.range.start.line + 1, exit);
});

test('S6: "the function ends" after a `try` is the last statement of the `except:` that keeps the lock', async () => {
  const { found, lines } = await findingsOf('LO104_except_swallows.py', 'LO104');
  assert.equal(found.length, 1);
  const exit = lineOf(lines, 'failures.append(e)');
  assert.match(found[0].message, new RegExp(`the function ends here without releasing it \\(line ${exit}\\)`));
  assert.equal(found[0].related[0].location.range.start.line + 1, exit);
});

test("LO104 on a loop taking each element's lock names the loop, the real exit, and offers no `with` fix", async () => {
  const { found, lines } = await findingsOf('LO104_each_element_loops.py', 'LO104');
  const exits = [lineOf(lines, 'return None'), lineOf(lines, 'if commit:'), lineOf(lines, 'for a in others:')];
  assert.deepEqual(found.map((f) => f.related[0].location.range.start.line + 1), exits);
  for (const f of found) {
    assert.match(f.message, /for each element \(`for a in accounts`\)/);
    assert.match(f.message, /Release them in a loop over the same elements in a `finally:`/);
    assert.doesNotMatch(f.message, /Use `with/);
    assert.equal(f.fixes.length, 0, f.fixes.map((x) => x.title).join());
  }
});

/** Every fixture file and folder, as sources. */
function allFixtures() {
  return readdirSync(dir).sort().map((name) => {
    const path = join(dir, name);
    const files = statSync(path).isDirectory()
      ? readdirSync(path, { recursive: true }).map(String).filter((f) => f.endsWith('.py')).map((f) => join(path, f))
      : name.endsWith('.py') ? [path] : [];
    return { name, sources: files.map((p) => ({ path: p, text: readFileSync(p, 'utf8') })) };
  }).filter((f) => f.sources.length);
}

test('no finding names one acquisition as the site of two locks', async () => {
  const key = (l) => `${l.file}:${l.range.start.line}:${l.range.start.character}`;
  for (const { name, sources } of [...allFixtures(), { name: 'recursion', sources: [recursion()] }]) {
    for (const f of (await analyze(sources)).findings) {
      const sites = f.related.filter((r) => /acquired/.test(r.message)).map((r) => key(r.location));
      assert.equal(new Set(sites).size, sites.length, `${name}: ${f.code} names one site twice: ${f.message}`);
    }
  }
});

/** A tree walked under each node's lock, plus a real inversion elsewhere so the file is not clean. */
function recursion() {
  return {
    path: '/virtual/recursion.py',
    text: [
      'import threading',
      'a = threading.Lock()',
      'b = threading.Lock()',
      'class Node:',
      '    def __init__(self):',
      '        self.lock = threading.Lock()',
      '        self.children = []',
      '    def visit(self):',
      '        with self.lock:',
      '            for child in self.children:',
      '                child.visit()',
      'def one():',
      '    with a:',
      '        with b:',
      '            pass',
      'def two():',
      '    with b:',
      '        with a:',
      '            pass',
      '',
    ].join('\n'),
  };
}
