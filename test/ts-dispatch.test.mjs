// A call of an interface method (or of a method subclasses override) reaches the classes that
// implement it, wherever they are: the caller's facts list them. When the file of an
// implementing class is edited (it stops implementing the interface, or starts again), the
// caller's file is walked again, and its facts and findings are those of a cold analysis.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const { Project } = createRequire(import.meta.url)('../dist/analysis.js');
const dir = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'typescript', 'LO101_interface_dispatch_files');
const names = ['locks.ts', 'store.ts', 'auditStore.ts', 'bank.ts'];
const paths = Object.fromEntries(names.map((n) => [n, join(dir, n)]));
const original = Object.fromEntries(names.map((n) => [n, readFileSync(paths[n], 'utf8')]));
const codes = (project) => project.analyze().findings.map((f) => `${f.code} ${f.location.file.split('/').pop()}:${f.location.range.start.line + 1}`);
const replacer = (_, v) => (v instanceof Map ? [...v] : v instanceof Set ? [...v] : v);
const factsOf = (project, name) => JSON.parse(JSON.stringify(project.factsOf(paths[name]), replacer));

/** Findings and the caller's facts now, and after every file is removed and added again (a cold analysis, in the same project). */
function andCold(project, texts) {
  const now = { codes: codes(project), bank: factsOf(project, 'bank.ts') };
  for (const n of names) project.removeFile(paths[n]);
  for (const n of names) project.setFile(paths[n], texts[n], true);
  return { now, cold: { codes: codes(project), bank: factsOf(project, 'bank.ts') } };
}

test('editing the file of the implementing class walks the caller again: the dispatch follows the edit', async () => {
  const project = await Project.create();
  for (const n of names) project.setFile(paths[n], original[n], true);
  assert.deepEqual(codes(project), ['LO101 bank.ts:13'], 'transfer holds accounts and reaches AuditStore.record, which takes audit');
  const steps = [
    ['no longer implementing Store', original['auditStore.ts'].replace(' implements Store', ''), []],
    ['implementing Store again', original['auditStore.ts'], ['LO101 bank.ts:13']],
    ['record taking no lock', original['auditStore.ts'].replace('await audit.runExclusive(async () => console.log(entry));', 'console.log(entry);'), []],
  ];
  for (const [what, text, expected] of steps) {
    project.setFile(paths['auditStore.ts'], text, true);
    const { now, cold } = andCold(project, { ...original, 'auditStore.ts': text });
    assert.deepEqual(now.codes, expected, `after ${what}`);
    assert.deepEqual(now.codes, cold.codes, `after ${what}: the findings of a cold analysis`);
    assert.deepEqual(now.bank, cold.bank, `after ${what}: bank.ts's facts are those of a cold walk`);
  }
  project.dispose();
});
