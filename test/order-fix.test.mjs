// The LO106 quick fix edits lockorder.order so that it declares the order the code uses:
// applied to the order file, the violation is gone on the next analysis.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = join(fileURLToPath(import.meta.url), '..', '..');
const { analyze } = require(join(root, 'dist', 'analysis.js'));

/** Apply text edits (0-based line/character ranges) to a text. */
function applyEdits(text, edits) {
  const lines = text.split('\n');
  const offset = (p) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  return [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start))
    .reduce((t, e) => t.slice(0, offset(e.range.start)) + e.newText + t.slice(offset(e.range.end)), text);
}

function load(dir) {
  const files = readdirSync(dir).filter((f) => f.endsWith('.py')).map((f) => ({ path: join(dir, f), text: readFileSync(join(dir, f), 'utf8') }));
  return { files, order: { path: join(dir, 'lockorder.order'), text: readFileSync(join(dir, 'lockorder.order'), 'utf8') } };
}

describe('LO106 fix: re-declare the lock where the code takes it', () => {
  for (const name of ['LO106_chain', 'LO106_relation', 'LO106_group']) {
    it(name, async () => {
      const { files, order } = load(join(root, 'test', 'fixtures', 'python', name));
      const before = (await analyze(files, { orderFile: order })).findings.filter((f) => f.code === 'LO106');
      assert.ok(before.length > 0, 'the fixture has a violation');
      const fix = before[0].fixes[0];
      assert.ok(fix, 'the violation offers a fix');
      assert.match(fix.title, /lockorder\.order/);
      assert.equal(fix.safe, false, 'changing the declared design is never applied by fix-all');
      assert.ok(fix.edits.every((e) => e.file === order.path), 'the fix edits only the order file');
      const fixed = { path: order.path, text: applyEdits(order.text, fix.edits) };
      const after = await analyze(files, { orderFile: fixed });
      const same = after.findings.filter((f) => f.code === 'LO106'
        && f.location.range.start.line === before[0].location.range.start.line);
      assert.deepEqual(same, [], `still reported after the fix; order file became:\n${fixed.text}`);
      assert.deepEqual(after.problems.filter((p) => p.file === order.path), [], 'the edited file is still valid');
    });
  }
});
