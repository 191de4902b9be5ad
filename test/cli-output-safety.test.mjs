// Text output and messages that a hostile file name or source text cannot break: control
// characters are escaped (no terminal escape sequence gets through, a newline cannot split
// `path:line:col`), JSON keeps the real names; and `--` ends the options, so a file named
// `--help` is checked rather than taken for an option.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertNoStack, cleanup, inverted, project, run } from './cli-run.mjs';

after(cleanup);

/** Control characters (other than the newline ending each line) that must never be printed raw. */
const rawControl = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

const red = '\x1b[31mred.py';
const split = 'two\nlines.py';

test('file names with an escape sequence or a newline are escaped in text output', () => {
  const dir = project({ [red]: inverted, [split]: inverted });
  const r = run(['check'], dir);
  assert.equal(r.status, 1, r.stderr);
  assert.doesNotMatch(r.stdout, rawControl, 'a raw control character reached the terminal');
  const lines = r.stdout.trimEnd().split('\n');
  assert.ok(lines.some((l) => l.startsWith('\\x1b[31mred.py:15:14: LO101 ')), r.stdout);
  assert.ok(lines.some((l) => l.startsWith('two\\nlines.py:15:14: LO101 ')), r.stdout);
  for (const line of lines.slice(0, -1)) {
    assert.match(line, /^(?: {4})?(?:\\x1b\[31mred|two\\nlines)\.py:\d+:\d+: /, `every finding line is whole: ${JSON.stringify(line)}`);
  }
  assert.equal(lines.at(-1), 'Found 2 problems (LO101: 2) in 2 files.');
});

test('JSON keeps the real file names (JSON escapes them itself)', () => {
  const dir = project({ [red]: inverted, [split]: inverted });
  const doc = JSON.parse(run(['check', '--format', 'json'], dir).stdout);
  assert.deepEqual(doc.findings.map((f) => f.file).sort(), [red, split].sort());
});

test('messages quoting source text are escaped', () => {
  const source = `import threading

locks = {"\x1b[31ma": threading.Lock(), "b": threading.Lock()}


def one():
    with locks["\x1b[31ma"]:
        with locks["b"]:
            pass


def two():
    with locks["b"]:
        with locks["\x1b[31ma"]:
            pass
`;
  const dir = project({ 'app.py': source });
  const r = run(['check'], dir);
  assert.equal(r.status, 1, r.stderr);
  assert.doesNotMatch(r.stdout, rawControl);
  assert.match(r.stdout, /locks\["\\x1b\[31ma"\]/, 'the lock name is shown with its escape written out');
});

test('stderr escapes file names in skip messages, missing paths and usage errors', () => {
  const dir = project({ 'app.py': inverted });
  writeFileSync(join(dir, 'bad\x1b]0;owned\x07.py'), Buffer.from([0x66, 0xff, 0x0a]));
  const skipped = run(['check'], dir);
  assert.equal(skipped.status, 1);
  assert.doesNotMatch(skipped.stderr, rawControl);
  assert.match(skipped.stderr, /^lockorder: skipped bad\\x1b\]0;owned\\x07\.py: not valid UTF-8$/m);
  const missing = run(['check', 'gone\x1b[2J.py'], dir);
  assert.equal(missing.status, 2);
  assert.doesNotMatch(missing.stderr, rawControl);
  assert.match(missing.stderr, /^lockorder: no such file or directory: gone\\x1b\[2J\.py$/m);
  const usage = run(['check', '--\x1b[2J'], dir);
  assert.equal(usage.status, 2);
  assert.doesNotMatch(usage.stderr, rawControl);
  assert.match(usage.stderr, /^lockorder: unknown option: --\\x1b\[2J$/m);
  assertNoStack(usage.stderr);
});

test('after --, every argument is a path: a file named --help or -V is checked', () => {
  const dir = project({ '--help': inverted, '-V': inverted });
  const r = run(['check', '--', '--help'], dir);
  assert.equal(r.status, 1, r.stdout);
  assert.match(r.stdout, /^--help:15:14: LO101 /m);
  assert.doesNotMatch(r.stdout, /Usage:/);
  const both = run(['check', '--format', 'json', '--', '-V', '--help'], dir);
  assert.equal(both.status, 1, both.stdout);
  assert.deepEqual(JSON.parse(both.stdout).findings.map((f) => f.file), ['--help', '-V']);
  assert.equal(run(['check', '--help', '--', 'x.py'], dir).status, 0, '--help before -- is still help');
});
