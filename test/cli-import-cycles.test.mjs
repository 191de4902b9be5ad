// Imports inside packages resolve as Python 3 resolves them: `import unittest` in a package that
// has its own `unittest.py` (twisted/trial/) is the standard library's module, not the sibling.
// Before, the sibling was taken, its class derived from itself through the import, and the
// thread-class check recursed until "Maximum call stack size exceeded" (exit 2 on twisted).

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertNoStack, cleanup, project, run } from './cli-run.mjs';

after(cleanup);

test('a package module named like a stdlib module does not capture `import unittest`', () => {
  const dir = project({
    'pkg/__init__.py': '',
    'pkg/unittest.py': 'from pkg.case import TestCase\n',
    'pkg/case.py': 'import unittest\n\n\nclass Assertions(unittest.TestCase):\n    pass\n\n\n'
      + 'class TestCase(Assertions):\n    def run(self, result=None):\n        pass\n',
  });
  const r = run(['check', 'pkg'], dir);
  assertNoStack(r.stderr);
  assert.doesNotMatch(r.stdout + r.stderr, /internal error|Maximum call stack/);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /No problems found in 3 files/);
});
