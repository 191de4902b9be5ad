// A one-shot run over many TS/JS files walks them in shares on several threads, each shown the
// whole program (server/src/analysis/parallel/share.ts). What a user sees must not depend on it:
// the facts of every file and the findings are the same as a walk in one thread.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { Project } = require('../dist/analysis.js');
const dir = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'typescript');

/** Every TS/JS fixture, folders included. */
function sources(folder) {
  return readdirSync(folder).sort().flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(ts|tsx|js|mjs|cjs)$/.test(name) && !name.endsWith('.d.ts') ? [{ path, text: readFileSync(path, 'utf8') }] : [];
  });
}

/** Facts per file and findings of a one-shot project, walked in shares from `min` files on. */
async function run(files, min) {
  process.env.LOCKORDER_SHARED_WALK_MIN = String(min);
  const project = await Project.create({ warm: false });
  try {
    await project.addFiles(files);
    const facts = Object.fromEntries(files.map((f) => [f.path, JSON.stringify(project.factsOf(f.path), (_, v) =>
      (v instanceof Map || v instanceof Set ? [...v] : v))]));
    const result = project.analyze();
    return { facts, findings: result.findings, problems: result.problems };
  } finally {
    project.dispose();
    delete process.env.LOCKORDER_SHARED_WALK_MIN;
  }
}

test('TS/JS files walked in shares on several threads give the same facts and findings as one thread', { skip: availableParallelism() < 2 && 'one core: nothing is shared' }, async () => {
  const files = sources(dir);
  assert.ok(files.length > 100, `fixtures found: ${files.length}`);
  const one = await run(files, 1e9);
  const shared = await run(files, 2);
  for (const f of files) assert.equal(shared.facts[f.path], one.facts[f.path], `facts of ${f.path}`);
  assert.ok(one.findings.length > 50, `findings: ${one.findings.length}`);
  assert.deepEqual(shared.findings, one.findings);
  assert.deepEqual(shared.problems, one.problems);
});
