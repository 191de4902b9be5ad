// `lockorder check --verbose` names the Python parser that ran: the wasm build by default, the
// native binding with LOCKORDER_PARSER=auto or =native. The findings are the same either way,
// also when the files are parsed in worker threads (40 files or more).

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup, inverted, project, run } from './cli-run.mjs';

after(cleanup);

/** A project of `count` files, one of them with a lock-order inversion. */
function manyFiles(count) {
  const files = { 'inverted.py': inverted };
  for (let i = 0; i < count - 1; i++) {
    files[`pkg/m${i}.py`] = `import threading\nlock${i} = threading.Lock()\n\ndef f${i}(x):\n    with lock${i}:\n        return x + ${i}\n`;
  }
  return project(files);
}

/** Run the CLI with LOCKORDER_PARSER set to `parser` (unset when undefined). */
function runWith(parser, args, cwd) {
  const saved = process.env.LOCKORDER_PARSER;
  if (parser === undefined) delete process.env.LOCKORDER_PARSER;
  else process.env.LOCKORDER_PARSER = parser;
  try {
    return run(args, cwd);
  } finally {
    if (saved === undefined) delete process.env.LOCKORDER_PARSER;
    else process.env.LOCKORDER_PARSER = saved;
  }
}

test('--verbose names the parser, and both parsers report the same findings', () => {
  const dir = manyFiles(45);
  const plain = runWith(undefined, ['check', '--format', 'json'], dir);
  assert.equal(plain.status, 1, plain.stderr);
  assert.doesNotMatch(plain.stderr, /parser/, 'without --verbose nothing is said about the parser');

  const wasm = runWith(undefined, ['check', '--verbose', '--no-cache', '--format', 'json'], dir);
  assert.match(wasm.stderr, /^lockorder: parser: wasm \(web-tree-sitter\)$/m);
  const native = runWith('native', ['check', '--verbose', '--no-cache', '--format', 'json'], dir);
  assert.match(native.stderr, /^lockorder: parser: native \(tree-sitter 0\.25\.\d+, N-API: .*tree.sitter.*\.node.*\)$/m);
  const auto = runWith('auto', ['check', '--verbose', '--no-cache', '--format', 'json'], dir);
  assert.match(auto.stderr, /^lockorder: parser: native /m, 'auto picks the native parser where it loads');

  const findings = (r) => JSON.parse(r.stdout).findings;
  assert.equal(findings(wasm).length, 1);
  assert.deepEqual(findings(native), findings(wasm));
  assert.deepEqual(findings(plain), findings(wasm));
});
