// Edits of one file of a multi-file TS/JS project: the language server keeps one type-checked
// project and walks again only the files an edit may have changed (dependents.ts), reusing the
// rest. After each edit, every file's facts and the findings must be those of a cold analysis
// of the same texts, done in a child process (test/ts-cold-folder.mjs) so nothing is shared.
// The edits: a seeded series of one-character edits over every folder fixture, and edits known
// to have left stale facts (a re-exporting file whose `export *` stops resolving).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { Project } = require('../dist/analysis.js');
const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, 'fixtures', 'typescript');
const replacer = (_, v) => (v instanceof Map ? [...v] : v instanceof Set ? [...v] : v);

/** The TS/JS files of a folder fixture and their texts. */
function folder(name) {
  const dir = join(root, name);
  const files = readdirSync(dir).filter((f) => /\.(ts|js|mts|mjs|cjs)$/.test(f)).map((f) => join(dir, f));
  return { files, texts: Object.fromEntries(files.map((f) => [f, readFileSync(f, 'utf8')])) };
}

/** Every file's facts and the findings, as JSON. */
function snapshot(project, files) {
  return JSON.stringify({ facts: files.map((f) => project.factsOf(f)), findings: project.analyze().findings }, replacer);
}

/** The same texts analyzed cold, in a child process. */
function cold(files, texts) {
  return execFileSync(process.execPath, [join(here, 'ts-cold-folder.mjs')], { input: JSON.stringify({ files, texts }), encoding: 'utf8', maxBuffer: 1 << 28 });
}

/** The files whose facts differ between two snapshots (or `findings`). */
function differing(a, b, files) {
  const A = JSON.parse(a);
  const B = JSON.parse(b);
  const out = files.filter((_, i) => JSON.stringify(A.facts[i]) !== JSON.stringify(B.facts[i])).map((f) => f.split('/').pop());
  return JSON.stringify(A.findings) === JSON.stringify(B.findings) ? out : [...out, 'findings'];
}

/** Open every file of a folder as an edited document, apply the edits one by one, and compare each state with a cold analysis. */
async function editFolder(name, edits) {
  const { files, texts } = folder(name);
  const project = await Project.create();
  try {
    for (const f of files) project.setFile(f, texts[f], true);
    project.analyze();
    for (const edit of edits) {
      const path = join(root, name, edit.file);
      texts[path] = edit.apply(texts[path]);
      project.setFile(path, texts[path], true);
      const stale = differing(snapshot(project, files), cold(files, texts), files);
      assert.deepEqual(stale, [], `${name}: after ${edit.what} in ${edit.file}, these differ from a cold analysis`);
    }
  } finally {
    project.dispose();
  }
}

/** Insert or remove one character (or `await `) at a seeded place. */
function seededEdits(name, count, next) {
  const { files, texts } = folder(name);
  const ops = ['{', '(', '`', '"', '\n', 'await ', '', '}', 'x'];
  const edits = [];
  for (let k = 0; k < count; k++) {
    const path = files[next(files.length)];
    const at = next(texts[path].length);
    const op = ops[next(ops.length)];
    const apply = (t) => (op === '' ? t.slice(0, at) + t.slice(at + 1) : t.slice(0, at) + op + t.slice(at));
    texts[path] = apply(texts[path]);
    edits.push({ file: path.split('/').pop(), what: op === '' ? `deleting at ${at}` : `inserting ${JSON.stringify(op)} at ${at}`, apply });
  }
  return edits;
}

test('a re-exporting file whose `export *` stops resolving: the locks made through it, and their users, change as a cold analysis says', async () => {
  const breakIt = { file: 'everything.ts', what: "changing 'async-mutex' to 'async-m\"utex'", apply: (t) => t.replace("'async-mutex'", "'async-m\"utex'") };
  const mendIt = { file: 'everything.ts', what: 'putting it back', apply: (t) => t.replace("'async-m\"utex'", "'async-mutex'") };
  await editFolder('LO101_reexported', [breakIt, mendIt]);
});

test('seeded one-character edits of every folder fixture give what a cold analysis gives', async () => {
  let seed = 99;
  const next = (n) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
  const names = readdirSync(root).filter((d) => statSync(join(root, d)).isDirectory());
  assert.ok(names.length >= 10, 'the folder fixtures are found');
  for (const name of names) await editFolder(name, seededEdits(name, 2, next));
});
