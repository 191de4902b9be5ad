// One batch of Python and TS/JS files, as `lockorder check` and the workspace index give it. A
// Python property that takes a lock makes the files that read it be walked again (their reads
// count as calls); that is a Python matter: the TS/JS walk does not read them, and a TS/JS file
// walked again on its own (in a worker thread, without the rest of the program) could not follow
// its imports. The TS/JS findings of a mixed batch must be those of the TS/JS files alone.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const { analyze } = createRequire(import.meta.url)('../dist/analysis.js');
const root = '/lockorder-test-never-written/mixed'; // the texts live only in the batch

/** TS modules: two locks in one module, nine users importing them, one in the other order; each reads `.state`. */
function typescriptFiles() {
  const files = [{ path: `${root}/web/locks.ts`, text: "import { Mutex } from 'async-mutex';\nexport const a = new Mutex();\nexport const b = new Mutex();\n" }];
  for (let i = 0; i < 9; i++) {
    const [outer, inner] = i === 0 ? ['b', 'a'] : ['a', 'b'];
    files.push({ path: `${root}/web/user${i}.ts`, text: `import { a, b } from './locks';\n\nexport async function step${i}(s: { state: number }): Promise<number> {\n  return ${outer}.runExclusive(() => ${inner}.runExclusive(async () => s.state));\n}\n` });
  }
  return files;
}

/** Forty Python modules, one with a property that takes a lock, the others reading `.state`. */
function pythonFiles() {
  const files = [{ path: `${root}/py/store.py`, text: 'import threading\n\n\nclass Store:\n    def __init__(self):\n        self._lock = threading.Lock()\n\n    @property\n    def state(self):\n        with self._lock:\n            return 1\n' }];
  for (let i = 0; i < 40; i++) files.push({ path: `${root}/py/m${i}.py`, text: `def read${i}(store):\n    return store.state\n` });
  return files;
}

const summary = (findings) => findings.map((f) => `${f.code} ${f.location.file.split('/').pop()}:${f.location.range.start.line + 1}`).sort();

test('the TS/JS findings of a big mixed batch are those of its TS/JS files alone', async () => {
  const alone = summary((await analyze(typescriptFiles())).findings);
  assert.ok(alone.some((f) => f.startsWith('LO101 ')), `user0.ts takes b then a against a then b elsewhere: ${alone.join('; ')}`);
  const mixed = summary((await analyze([...pythonFiles(), ...typescriptFiles()])).findings).filter((f) => /\.ts:/.test(f));
  assert.deepEqual(mixed, alone);
});
