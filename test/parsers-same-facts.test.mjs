// The native parser (tree-sitter's N-API binding) and the wasm build read the same grammar, and
// a user must get the same findings whichever one loads. This test walks the Python fixtures,
// a slice of this machine's standard library and some broken files with each parser, in the
// parse worker the CLI uses (dist/parseWorker.js, LOCKORDER_PARSER choosing the parser), and
// requires the facts of every file to be identical.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { filesBelow, readable, stdlibFiles } from './corpus.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const fixtures = join(root, 'test', 'fixtures', 'python');

/** One standard-library file in `step`, and every file whose name says it holds bad syntax. */
function stdlibSlice(step) {
  return stdlibFiles().filter((p, i) => i % step === 0 || /bad|syntax/i.test(p));
}

/** Half-typed code, where both parsers must recover from errors the same way. */
const broken = [
  { path: '/broken/half_typed.py', text: 'import threading\na = threading.Lock()\ndef f(:\n    with a:\n        g(a, b.c, x=None\n' },
  { path: '/broken/unclosed.py', text: 'import threading\nl = threading.Lock()\ns = """\ndef f():\n    with l:\n        pass\n' },
  { path: '/broken/non_ascii.py', text: '# é ✓ 🔒\nimport threading\nverrou_é = threading.Lock()\ndef f():\n    with verrou_é:\n        print("🔒", verrou_é)\n' },
];

/** The facts of every file (encoded as the worker sends them) from a parse worker using `parser`. */
function factsFrom(parser, files) {
  const worker = new Worker(join(root, 'dist', 'parseWorker.js'), { env: { ...process.env, LOCKORDER_PARSER: parser } });
  const out = new Array(files.length);
  let done = 0;
  return new Promise((resolve, reject) => {
    worker.on('error', reject);
    worker.on('message', (res) => {
      out[res.id] = res.facts ?? `error: ${res.error}`;
      if (++done === files.length) worker.terminate().then(() => resolve(out));
    });
    files.forEach((f, id) => worker.postMessage({ id, path: f.path, text: f.text }));
  });
}

test('the native and the wasm parser give identical facts', async () => {
  const files = [...readable(filesBelow(fixtures, ['.py'])), ...readable(stdlibSlice(8)), ...broken];
  assert.ok(files.length > 400, `a corpus of fixtures and stdlib files (${files.length})`);
  const [native, wasm] = await Promise.all([factsFrom('native', files), factsFrom('wasm', files)]);
  const differing = files.filter((_, i) => native[i] !== wasm[i]).map((f) => f.path);
  assert.deepEqual(differing, [], 'files whose facts differ between the parsers');
  const errors = native.filter((f) => f.startsWith('error'));
  assert.ok(errors.length < files.length / 10, `most files walk without error (${errors.length} did not)`);
  const withLocks = native.filter((f) => f.includes('"lockDefs":[{')).length;
  assert.ok(withLocks > 30, `the corpus defines locks in many files (${withLocks})`);
});
