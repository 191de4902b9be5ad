// CLI: suppression hygiene. Unknown codes and suppressions that suppressed nothing are stderr
// warnings (not findings: the exit status is unchanged), only for rules that actually ran; an
// ignore put on the cycle's other line is named in the finding's message.

import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { cleanup, inverted, project, run } from './cli-run.mjs';

after(cleanup);

const clean = `import threading

x = 1  # lockorder: ignore[LO999]
y = 2  # lockorder: ignore
z = 3  # lockorder: ignore[LO104, LO110]
`;

test('unknown codes and unused suppressions are warnings, and a clean file still exits 0', () => {
  const dir = project({ 'app.py': clean });
  const r = run(['check'], dir);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /No problems found/);
  assert.match(r.stderr, /^lockorder: warning: app\.py:3: Unknown rule code LO999 in lockorder suppression/m);
  assert.match(r.stderr, /^lockorder: warning: app\.py:4: Unused lockorder suppression: no finding is reported on this line$/m);
  // LO110 is reported by the runtime only: an ignore of it is never "unused" statically.
  assert.match(r.stderr, /^lockorder: warning: app\.py:5: Unused lockorder suppression: no LO104 finding is reported on this line$/m);
});

test('a suppression of a rule that did not run (--select/--ignore) is not called unused', () => {
  const dir = project({ 'app.py': clean });
  const selected = run(['check', '--select', 'LO101'], dir);
  assert.equal(selected.status, 0, selected.stderr);
  assert.doesNotMatch(selected.stderr, /Unused/, 'LO104 did not run; a bare ignore may still suppress it');
  assert.match(selected.stderr, /Unknown rule code LO999/);
  const ignored = run(['check', '--ignore', 'LO104'], dir);
  assert.doesNotMatch(ignored.stderr, /Unused/);
});

test('a used suppression gets no warning', () => {
  const text = inverted.replace('        with a:\n', '        with a:  # lockorder: ignore[LO101]\n');
  const dir = project({ 'app.py': text });
  const r = run(['check'], dir);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.equal(r.stderr, '');
});

test("an ignore on the cycle's other line is unused, and the finding says where to put it", () => {
  const text = inverted.replace('        with b:\n            pass\n\n\ndef two', '        with b:  # lockorder: ignore[LO101]\n            pass\n\n\ndef two');
  const dir = project({ 'app.py': text });
  const r = run(['check'], dir);
  assert.equal(r.status, 1);
  assert.match(r.stdout, /app\.py:15:14: LO101 .*\(an ignore\[LO101\] on line 9 does not apply here: put it on this line\)/);
  assert.match(r.stderr, /app\.py:9: Unused lockorder suppression: no LO101 finding/);
});
