// Runs the built CLI on hostile --exclude globs and order files: `**` excludes everything,
// 30 repeated `**/` segments against a deep tree give the right answer (the old regex
// backtracked for ever), and --order-file / ./lockorder.order must be regular files under
// the size cap (a FIFO or a link to /dev/zero is refused, not read for ever). Every run has
// a generous kill timeout only so that a hang fails instead of blocking the suite.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, inverted, project, run as runCli } from './cli-run.mjs';

after(cleanup);

/** Run the CLI in `cwd`, killed after two minutes so that a hang fails the test. */
const run = (args, cwd) => runCli(args, cwd, { timeoutMs: 120000 });

test("--exclude '**' excludes every file, as docs/cli.md says", () => {
  const dir = project({ 'app.py': inverted, 'pkg/mod.py': inverted });
  const r = run(['check', '--exclude', '**'], dir);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stderr, /no Python, TypeScript or JavaScript files found/);
  assert.doesNotMatch(r.stdout, /LO101/);
});

test('--exclude with 30 repeated **/ segments gives the right answer on a deep tree', () => {
  const deep = Array.from({ length: 25 }, (_, i) => `level${i}`).join('/');
  const dir = project({ [`${deep}/skip_me.py`]: inverted, [`${deep}/keep.py`]: inverted });
  const r = run(['check', '--format', 'json', '--exclude', `${'**/'.repeat(30)}skip_me.py`], dir);
  assert.equal(r.signal, null, 'the CLI finished');
  assert.equal(r.status, 1, r.stderr);
  const files = JSON.parse(r.stdout).findings.map((f) => f.file);
  assert.ok(files.length > 0 && files.every((f) => f.endsWith('keep.py')), files.join('\n'));
  const miss = run(['check', '--format', 'json', '--exclude', `${'**/'.repeat(30)}level3/**/nothing.py`], dir);
  assert.equal(miss.status, 1, miss.stderr);
  assert.equal(JSON.parse(miss.stdout).summary.files, 2, 'a pattern matching nothing excludes nothing');
});

test('--order-file naming a FIFO is refused with one line, without waiting on it', () => {
  const dir = project({ 'app.py': inverted });
  execFileSync('mkfifo', [join(dir, 'pipe.order')]);
  const r = run(['check', '--order-file', 'pipe.order'], dir);
  assert.equal(r.signal, null, 'the CLI finished');
  assert.equal(r.status, 2);
  assert.equal(r.stderr.split('\n')[0], 'lockorder: cannot read order file pipe.order: not a regular file (a FIFO)');
});

test('a ./lockorder.order linked to /dev/zero is skipped with a message; the check still runs', () => {
  const dir = project({ 'app.py': inverted });
  symlinkSync('/dev/zero', join(dir, 'lockorder.order'));
  const r = run(['check'], dir);
  assert.equal(r.signal, null, 'the CLI finished');
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /^lockorder: skipped lockorder\.order: not a regular file \(a character device\)$/m);
  assert.match(r.stdout, /LO101/);
});

test('an order file over the 10 MB cap is refused with its size, not echoed', () => {
  const dir = project({ 'app.py': inverted, 'big.order': 'a'.repeat(11 * 1024 * 1024) });
  const r = run(['check', '--order-file', 'big.order'], dir);
  assert.equal(r.status, 2);
  assert.equal(r.stderr.split('\n')[0], 'lockorder: cannot read order file big.order: larger than the 10 MB size limit (11 MB)');
  assert.ok(r.stderr.length < 500, 'the file is not echoed');
});

test('a 20,000-line order file: its warnings, the LO106 finding and the exit status', () => {
  const fillers = Array.from({ length: 19998 }, (_, i) => `app.gen.x${i}`);
  const dir = project({ 'app.py': inverted, 'lockorder.order': ['app.b', ...fillers, 'app.a'].join('\n') });
  const r = run(['check', '--format', 'json', '--select', 'LO106'], dir);
  assert.equal(r.signal, null, 'the CLI finished');
  assert.equal(r.status, 1, r.stderr.slice(0, 500));
  assert.equal(r.stderr.split('\n').filter((l) => /lockorder\.order:\d+: no lock named app\.gen\.x\d+/.test(l)).length, 19998);
  const lo106 = JSON.parse(r.stdout).findings;
  assert.deepEqual(lo106.map((f) => [f.code, f.line]), [["LO106", 9]], 'with a: with b, against b before a');
});
