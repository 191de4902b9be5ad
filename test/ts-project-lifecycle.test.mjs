// The TypeScript front end keeps one ts-morph project across a long-lived engine Project: a
// file removed must stop counting (its removal is done lazily), a text that differs from the
// file on disk (an editor's unsaved buffer) is what gets analyzed, and a project disposed
// entirely leaves the next one free to start again. Imports into node_modules other than the
// lock packages are not resolved; the lock packages still are, and findings across the
// project's own modules still need the checker to follow imports.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const { Project, analyze } = createRequire(import.meta.url)('../dist/analysis.js');
const dir = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'typescript');
const modules = join(dir, 'LO101_modules');
const files = ['locks.ts', 'reader.ts', 'writer.ts'].map((f) => join(modules, f));
const read = (path) => readFileSync(path, 'utf8');
const codes = (findings) => findings.map((f) => `${f.code} ${f.location.file.split('/').pop()}:${f.location.range.start.line + 1}`);

test('removing a module of a cross-file inversion drops the finding, and adding it back brings it back', async () => {
  const project = await Project.create();
  for (const f of files) project.setFile(f, read(f), true);
  assert.deepEqual(codes(project.analyze().findings), ['LO101 writer.ts:9']);
  project.removeFile(files[1]);
  assert.deepEqual(codes(project.analyze().findings), [], 'reader.ts held the other order');
  project.setFile(files[1], read(files[1]), true);
  assert.deepEqual(codes(project.analyze().findings), ['LO101 writer.ts:9'], 'reader.ts is back');
  project.dispose();
});

test('an unsaved text that differs from the file on disk is what is analyzed', async () => {
  const reader = files[1];
  const onDisk = read(reader);
  const unsaved = onDisk.replace('await flush();', 'void 0;');
  assert.notEqual(unsaved, onDisk, 'the edit applies');
  const project = await Project.create();
  project.setFile(files[0], read(files[0]), true);
  project.setFile(files[2], read(files[2]), true);
  project.setFile(reader, unsaved, true);
  assert.deepEqual(codes(project.analyze().findings), [], 'the unsaved reader.ts no longer takes store under cache');
  project.setFile(reader, onDisk, true);
  assert.deepEqual(codes(project.analyze().findings), ['LO101 writer.ts:9'], 'back to the text on disk');
  project.dispose();
});

test('one analysis after another, each disposed, gives the same findings as the first', async () => {
  const batch = () => files.map((path) => ({ path, text: read(path) }));
  const single = join(dir, 'LO101_runExclusive.ts');
  const first = codes((await analyze(batch())).findings);
  assert.deepEqual(first, ['LO101 writer.ts:9']);
  assert.deepEqual(codes((await analyze([{ path: single, text: read(single) }])).findings), ['LO101 LO101_runExclusive.ts:19'],
    'the files of the first analysis are gone from the second');
  assert.deepEqual(codes((await analyze(batch())).findings), first);
});
