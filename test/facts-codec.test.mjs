// A file's facts travel from a parse worker to the main thread, and into the analysis cache, in
// a compact text (server/src/analysis/parallel/factsCodec.ts). These tests take the facts of the
// Python and TypeScript fixtures, a slice of this machine's standard library and some broken files
// as the parse worker encodes them, and require that decoding them gives the very same facts:
// encoding the decoded facts again gives the same text, down to the order of every object's keys.
// A text that is not such facts (truncated, edited, another format) is refused, never half read.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { filesBelow, readable, stdlibFiles } from './corpus.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { decodeFacts, encodeFacts } = createRequire(import.meta.url)(join(root, 'dist', 'analysis.js'));

/** One standard-library file in `step`. */
const stdlibSlice = (step) => stdlibFiles().filter((_, i) => i % step === 0);

const broken = [
  { path: '/broken/half_typed.py', text: 'import threading\na = threading.Lock()\ndef f(:\n    with a:\n        g(a, b.c, x=None\n' },
  { path: '/broken/half_typed.ts', text: 'import { Mutex } from "async-mutex";\nconst m = new Mutex();\nasync function f( {\n  await m.runExclusive(() => g(\n' },
];

/** The encoded facts of every file, as the parse worker sends them (or undefined when it could not walk one). */
function encodedByWorker(files) {
  const worker = new Worker(join(root, 'dist', 'parseWorker.js'));
  const out = new Array(files.length);
  let done = 0;
  return new Promise((resolve, reject) => {
    worker.on('error', reject);
    worker.on('message', (res) => {
      out[res.id] = res.facts;
      if (++done === files.length) worker.terminate().then(() => resolve(out));
    });
    files.forEach((f, id) => worker.postMessage({ id, path: f.path, text: f.text }));
  });
}

test('decoded facts are the facts the walk made, key order included', async () => {
  const files = [
    ...readable(filesBelow(join(root, 'test', 'fixtures', 'python'), ['.py'])),
    ...readable(filesBelow(join(root, 'test', 'fixtures', 'typescript'), ['.ts', '.js', '.mts', '.cts', '.tsx', '.jsx'])),
    ...readable(stdlibSlice(10)),
    ...broken,
  ];
  const encoded = await encodedByWorker(files);
  const walked = files.filter((_, i) => encoded[i] !== undefined);
  assert.ok(walked.length > files.length * 0.9, `most files walk (${walked.length} of ${files.length})`);
  assert.ok(walked.some((f) => f.path.endsWith('.ts')) && walked.some((f) => f.path.endsWith('.py')), 'both languages');
  const differing = files.filter((_, i) => encoded[i] !== undefined && encodeFacts(decodeFacts(encoded[i])) !== encoded[i]);
  assert.deepEqual(differing.map((f) => f.path), [], 'files whose facts change on the way');
  const sample = decodeFacts(encoded[files.findIndex((f) => f.path.endsWith('threading.py'))] ?? encoded[0]);
  assert.ok(sample.calls.length > 0 && sample.functions.length > 0, 'calls and functions come through');
  assert.equal(typeof sample.calls[0].range.start.line, 'number', 'a range is a range again');
  assert.ok(sample.suppressions instanceof Map && sample.globalsDeclared instanceof Map, 'maps are maps again');
});

test('a ref named by several facts is decoded once and shared', async () => {
  const text = 'import threading\nlock = threading.Lock()\ndef f():\n    with lock:\n        g(lock)\n        h(lock)\n';
  const [encoded] = await encodedByWorker([{ path: '/shared.py', text }]);
  const facts = decodeFacts(encoded);
  const args = facts.calls.filter((c) => c.args.length === 1).map((c) => c.args[0]);
  assert.equal(args.length, 2, 'g(lock) and h(lock)');
  assert.equal(args[0], args[1], 'one object for `lock`');
  assert.deepEqual(args[0], { kind: 'name', name: 'lock' });
});

test('a text that is not encoded facts is refused', async () => {
  const text = 'import threading\nlock = threading.Lock()\nclass A:\n    def f(self):\n        with lock:\n            self.g(1)\n';
  const [encoded] = await encodedByWorker([{ path: '/a.py', text }]);
  const bad = [
    encoded.slice(0, Math.floor(encoded.length / 2)),
    encoded.replace('"shapes":[[', '"shapes":[[1,'),
    encoded.replace(/"calls":\[\[\d+/, '"calls":[[999'),
    encoded.replace(/"strings":\[[^\]]*\]/, '"strings":[]'),
    encoded.replace('"refs":[', '"refs":[[1,5,"x"],'),
    '{"refs":[],"body":{}}',
    '[]',
    'null',
  ];
  for (const text of bad) assert.throws(() => decodeFacts(text), undefined, text.slice(0, 80));
});
