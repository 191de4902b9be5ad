// The ordered acquire from lockorder/runtime: opposite argument orders never deadlock and give
// no LO101; a nested acquire at or below a held lock's rank is LO103 and rejects with
// LockOrderViolation; ranks follow lockorder.order when it declares the locks.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { lineOf, ofRule, runUnderRuntime } from './runtime-node-helpers.mjs';

test('acquire([a, b], fn) in both argument orders never deadlocks; LO103 for a nested acquire below a held rank', () => {
  const run = runUnderRuntime('ordered.mjs');
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout, 'both orders done\nlocked: true true\nreleased: false false\ndisposed: false false\nnested: true\n');
  assert.equal(ofRule(run.records, 'LO101').length, 0);
  const records = ofRule(run.records, 'LO103');
  assert.equal(records.length, 1, JSON.stringify(run.records));
  assert.equal(run.records.length, 1);
  const roles = Object.fromEntries(records[0].edges.map((e) => [e.role, e.stack[0].line]));
  assert.deepEqual(roles, { held: lineOf('ordered.mjs', 'holds audit'), acquire: lineOf('ordered.mjs', 'nested acquire of accounts') });
  assert.match(records[0].message, /accounts is requested .* while audit, ranked after it, is held/);
});

test('ranks follow lockorder.order: with audit declared first, the same nesting is in order', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lo-order-'));
  const order = join(dir, 'lockorder.order');
  writeFileSync(order, '# audit first\nordered.audit\nordered.accounts\n');
  const run = runUnderRuntime('ordered.mjs', { env: { LOCKORDER_ORDER_FILE: order } });
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /\nnested fine\n$/);
  assert.deepEqual(run.records, []);
});
