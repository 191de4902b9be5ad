// What `lockorder check` does with paths that are not ordinary source files: FIFOs, devices
// (directly or through a symbolic link), oversized files, an order file that is a device or
// FIFO, and self-looping symbolic links. Each is named on stderr and skipped, without hanging,
// and the other files are still checked. Also a package nested hundreds of folders deep.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertNoStack, cleanup, inverted, project, run } from './cli-run.mjs';

after(cleanup);

/** A run that hangs on a FIFO is killed after this long, and fails. */
const hangMs = 30000;

function mkfifo(path) {
  execFileSync('mkfifo', [path]);
}

/** The run found app.py's inversion: the files next to the bad one were checked. */
function assertAppChecked(r) {
  assert.equal(r.signal, null, `killed after ${hangMs} ms: the CLI hung`);
  assert.match(r.stdout, /^app\.py:15:14: LO101 /m, r.stdout + r.stderr);
  assert.equal(r.status, 1, r.stderr);
  assertNoStack(r.stderr);
}

test('a FIFO named x.py is skipped with a message, found by the walk or named; the rest is checked', () => {
  const dir = project({ 'app.py': inverted });
  mkfifo(join(dir, 'fifo.py'));
  for (const args of [['check'], ['check', 'fifo.py', 'app.py']]) {
    const r = run(args, dir, { timeoutMs: hangMs });
    assertAppChecked(r);
    assert.match(r.stderr, /^lockorder: skipped fifo\.py: not a regular file \(a FIFO\)$/m, args.join(' '));
  }
});

test('/dev/zero named directly or through a symlink x.py is skipped without reading it', () => {
  const dir = project({ 'app.py': inverted });
  symlinkSync('/dev/zero', join(dir, 'zero.py'));
  for (const args of [['check'], ['check', '/dev/zero', 'zero.py', 'app.py']]) {
    const r = run(args, dir, { timeoutMs: hangMs });
    assertAppChecked(r);
    assert.match(r.stderr, /^lockorder: skipped zero\.py: not a regular file \(a character device\)$/m, args.join(' '));
  }
  const direct = run(['check', '/dev/zero', 'app.py'], dir, { timeoutMs: hangMs });
  assertAppChecked(direct);
  assert.match(direct.stderr, /^lockorder: skipped \/dev\/zero: not a regular file \(a character device\)$/m);
});

test('a file over the 10 MB default limit is skipped with the limit named; the rest is checked', () => {
  const dir = project({ 'app.py': inverted, 'huge.py': '#'.repeat(10 * 1024 * 1024 + 1) });
  const r = run(['check'], dir, { timeoutMs: hangMs });
  assertAppChecked(r);
  assert.match(r.stderr, /^lockorder: skipped huge\.py: larger than the 10 MB size limit \(10 MB\); raise the limit with --max-file-size$/m);
  const json = JSON.parse(run(['check', '--format', 'json'], dir, { timeoutMs: hangMs }).stdout);
  assert.deepEqual(json.problems.map((p) => [p.file, p.skipped]), [['huge.py', true]]);
});

test('--max-file-size lowers or raises the limit; a bad size is a usage error', () => {
  const dir = project({ 'app.py': inverted });
  const low = run(['check', '--max-file-size', '100', 'app.py'], dir);
  assert.equal(low.status, 0, 'app.py was skipped, so no findings');
  assert.match(low.stderr, /^lockorder: skipped app\.py: larger than the 100 bytes size limit \(\d+ bytes\)/m);
  const high = run(['check', '--max-file-size=1KB', 'app.py'], dir);
  assert.equal(high.status, 1, high.stderr);
  assert.equal(high.stderr, '');
  for (const bad of ['0', 'lots', '-5', '1XB']) {
    const r = run(['check', '--max-file-size', bad], dir);
    assert.equal(r.status, 2, bad);
    assert.match(r.stderr, /^lockorder: bad --max-file-size: /, bad);
  }
});

test('a ./lockorder.order that links to /dev/zero is skipped with a message; the run goes on', () => {
  const dir = project({ 'app.py': inverted });
  symlinkSync('/dev/zero', join(dir, 'lockorder.order'));
  const r = run(['check'], dir, { timeoutMs: hangMs });
  assertAppChecked(r);
  assert.match(r.stderr, /^lockorder: skipped lockorder\.order: not a regular file \(a character device\)$/m);
});

test('an --order-file that is a FIFO stops the run with exit 2 instead of hanging', () => {
  const dir = project({ 'app.py': inverted });
  mkfifo(join(dir, 'order.fifo'));
  const r = run(['check', '--order-file', 'order.fifo'], dir, { timeoutMs: hangMs });
  assert.equal(r.signal, null, 'the CLI hung on the FIFO');
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^lockorder: cannot read order file order\.fifo: not a regular file \(a FIFO\)$/m);
  assertNoStack(r.stderr);
});

test('a self-looping symbolic link is named as a symbolic link loop, named or walked', () => {
  const dir = project({ 'app.py': inverted });
  symlinkSync('loop.py', join(dir, 'loop.py'));
  for (const args of [['check'], ['check', 'loop.py', 'app.py']]) {
    const r = run(args, dir, { timeoutMs: hangMs });
    assertAppChecked(r);
    assert.match(r.stderr, /^lockorder: skipped loop\.py: symbolic link loop$/m, args.join(' '));
  }
});

test('a package nested 300 folders deep: dotted names and relative imports resolve', () => {
  const depth = 300;
  const dir = project();
  let folder = dir;
  const names = [];
  for (let i = 0; i < depth; i++) {
    folder = join(folder, 'p');
    names.push('p');
    mkdirSync(folder);
    writeFileSync(join(folder, '__init__.py'), '');
  }
  writeFileSync(join(folder, 'locks.py'), 'import threading\n\na = threading.Lock()\nb = threading.Lock()\n');
  writeFileSync(join(folder, 'one.py'), 'from .locks import a, b\n\n\ndef one():\n    with a:\n        with b:\n            pass\n');
  writeFileSync(join(dir, 'two.py'), `from ${names.join('.')}.locks import a, b\n\n\ndef two():\n    with b:\n        with a:\n            pass\n`);
  const r = run(['check', '--format', 'json'], dir);
  assert.equal(r.status, 1, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.equal(doc.summary.files, depth + 3);
  assert.deepEqual(doc.findings.map((f) => f.code), ['LO101'], 'the inversion across the deep package is found');
});
