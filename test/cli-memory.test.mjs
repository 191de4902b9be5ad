// Running out of memory: with a tiny JavaScript heap (node --max-old-space-size=16, the same
// limit a user raises with NODE_OPTIONS), `lockorder check` must end with a clear message and
// exit status 2, never with V8's abort (exit 134, a stack of C++ frames on stderr).

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { assertNoStack, cleanup, project, run } from './cli-run.mjs';

after(cleanup);

/** `count` functions, each nesting two locks of its own (no findings, but lots to analyze). */
function manyLocks(count) {
  const parts = ['import threading\n'];
  for (let i = 0; i < count; i++) {
    parts.push(`\nlock_${i}_a = threading.Lock()\nlock_${i}_b = threading.Lock()\n\n\ndef f_${i}():\n`
      + `    with lock_${i}_a:\n        with lock_${i}_b:\n            pass\n`);
  }
  return parts.join('');
}

const tinyHeap = ['--max-old-space-size=16'];

function assertOutOfMemoryReported(r) {
  assert.equal(r.signal, null, `killed by ${r.signal}`);
  assert.equal(r.status, 2, `exit status ${r.status}; stderr:\n${r.stderr.slice(0, 2000)}`);
  assert.match(r.stderr, /^lockorder: out of memory: the analysis needed more JavaScript heap than allowed \(the limit is about \d+ MB\)$/m);
  assert.match(r.stderr, /NODE_OPTIONS=--max-old-space-size=MB/);
  assert.equal(r.stdout, '');
  assertNoStack(r.stderr);
}

test('a heap too small for one large file: exit 2 with a message, not an abort', () => {
  const dir = project({ 'big.py': manyLocks(3000) });
  assertOutOfMemoryReported(run(['check'], dir, { nodeArgs: tinyHeap }));
});

test('a heap too small for many files parsed in worker threads: exit 2 with a message', () => {
  const files = {};
  for (let k = 0; k < 60; k++) files[`pkg/m${k}.py`] = manyLocks(100);
  const dir = project(files);
  assertOutOfMemoryReported(run(['check'], dir, { nodeArgs: tinyHeap }));
});

test('the same project checks normally with the default heap', () => {
  const dir = project({ 'big.py': manyLocks(3000) });
  const r = run(['check'], dir);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'No problems found in 1 file.\n');
});
