// Cycles longer than the bounded search goes (10 locks), and dense components where that search
// would take minutes: `lockorder check` still reports one LO101 per cycle-closing component,
// the shortest cycle through it, and finishes (a 60 s time limit turns a hang into a failure).

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertNoStack, cleanup, project, run } from './cli-run.mjs';

after(cleanup);

/**
 * `files` modules in a ring: each has `locks` locks, nests every pair of them in ascending
 * order (one function per pair), and takes the next module's first lock under its last.
 */
function ring(files, locks) {
  const out = {};
  for (let i = 0; i < files; i++) {
    const lines = ['import threading', `import m${(i + 1) % files}`, ''];
    for (let k = 0; k < locks; k++) lines.push(`lock${k} = threading.Lock()`);
    for (let a = 0; a < locks; a++) {
      for (let b = a + 1; b < locks; b++) lines.push('', `def step${a}_${b}():`, `    with lock${a}:`, `        with lock${b}:`, '            pass');
    }
    lines.push('', 'def hop():', `    with lock${locks - 1}:`, `        with m${(i + 1) % files}.lock0:`, '            pass', '');
    out[`m${i}.py`] = lines.join('\n');
  }
  return out;
}

test('a ring of 12 locks over 6 modules is one LO101 naming all twelve locks, by module', () => {
  const dir = project(ring(6, 2));
  const r = run(['check', '.', '--format', 'json'], dir);
  assertNoStack(r.stderr);
  assert.equal(r.status, 1, r.stdout + r.stderr);
  const { findings } = JSON.parse(r.stdout);
  assert.deepEqual(findings.map((f) => f.code), ['LO101']);
  // Every lock of the ring is named, in full since the modules reuse the short names.
  const named = findings[0].message.split(':')[0].match(/`m\d\.lock\d`/g);
  assert.equal(new Set(named).size, 12, findings[0].message);
});

test('a dense ring (6 modules of 20 locks nested in every pair) finishes and is one LO101', () => {
  const dir = project(ring(6, 20));
  const r = run(['check', '.', '--format', 'json'], dir, { timeoutMs: 60000 });
  assertNoStack(r.stderr);
  assert.equal(r.signal, null, 'finished within the time limit');
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.deepEqual(JSON.parse(r.stdout).findings.map((f) => f.code), ['LO101']);
});

test('a cycle of 10 locks or fewer is still found by the bounded search', () => {
  const dir = project(ring(5, 2));
  const r = run(['check', '.', '--format', 'json'], dir);
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.deepEqual(JSON.parse(r.stdout).findings.map((f) => f.code), ['LO101']);
});
