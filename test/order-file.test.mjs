// Problems in the order file itself (`lockorder.order`, docs/order-file.md), through the
// engine: `analyze(files, { orderFile })` reports unknown names, duplicates, contradictions
// and unparsable lines as problems on the order file's (0-based) lines, and never throws.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const { analyze } = createRequire(import.meta.url)('../dist/analysis.js');

/** A module `app` with three locks, nested a -> b -> c in one function, and an Account lock. */
const app = {
  path: '/project/app.py',
  text: `import threading

a = threading.Lock()
b = threading.Lock()
c = threading.Lock()


class Account:
    def __init__(self):
        self.lock = threading.Lock()

    def touch(self):
        with self.lock:
            pass


def one():
    with a:
        with b:
            with c:
                pass
`,
};

const orderPath = '/project/lockorder.order';

/** Analyze `app` with an order file of these lines; returns the result. */
async function check(lines) {
  return analyze([app], { orderFile: { path: orderPath, text: lines.join('\n') } });
}

/** The order file's problems as `line: message` strings (0-based lines). */
function problemsOf(result) {
  return result.problems.filter((p) => p.file === orderPath).map((p) => `${p.line}: ${p.message}`);
}

/** The problems on one 0-based line of the order file. */
function onLine(result, line) {
  return result.problems.filter((p) => p.file === orderPath && p.line === line);
}

test('an order file that matches the code has no problems and no LO106', async () => {
  const result = await check([
    '# app: a, then b, then c',
    'app.a',
    '',
    'app.b < app.c',
    'app.Account.lock ascending by id',
  ]);
  assert.deepEqual(result.problems, []);
  assert.deepEqual(result.findings.filter((f) => f.code === 'LO106'), []);
});

test('a name that matches no lock is reported on its line', async () => {
  const result = await check(['app.a', 'app.nope', 'app.b < app.missing', 'app.*.zz', 'app.*']);
  assert.deepEqual(onLine(result, 0), [], 'app.a exists');
  assert.match(onLine(result, 1)[0]?.message ?? '', /app\.nope/);
  assert.match(onLine(result, 2)[0]?.message ?? '', /app\.missing/);
  assert.match(onLine(result, 3)[0]?.message ?? '', /app\.\*\.zz/, 'a wildcard matching nothing is unknown too');
  assert.deepEqual(onLine(result, 4), [], 'app.* matches app.a, app.b, app.c');
  assert.equal(problemsOf(result).length, 3, problemsOf(result).join('\n'));
});

test('a lock declared on two one-lock lines is reported on the second', async () => {
  const result = await check(['app.a', 'app.b', '# again:', 'app.a']);
  const dup = onLine(result, 3);
  assert.ok(dup.some((p) => /app\.a/.test(p.message) && /twice/.test(p.message)),
    `no "declared twice" problem on line 3:\n${problemsOf(result).join('\n')}`);
  assert.ok(!problemsOf(result).some((p) => /twice/.test(p) && !p.startsWith('3:')), problemsOf(result).join('\n'));
});

test('a duplicate is one problem: it does not also make a contradiction nobody wrote', async () => {
  const result = await check(['app.a', 'app.b', '# again:', 'app.a']);
  assert.deepEqual(problemsOf(result).filter((p) => /contradiction/.test(p)), [],
    'app.a < app.b is the only order written; the repeated app.a line should not put app.b before app.a');
  assert.deepEqual(result.findings.filter((f) => f.code === 'LO106'), [], '`with a: with b:` follows the order written');
});

test('a direct contradiction (a < b, then b < a) is reported on the line that closes it', async () => {
  const result = await check(['app.a < app.b', '# later, by mistake:', 'app.b < app.a']);
  const found = onLine(result, 2).filter((p) => /contradiction/.test(p.message));
  assert.equal(found.length, 1, `expected one contradiction on line 2:\n${problemsOf(result).join('\n')}`);
  assert.match(found[0].message, /app\.a/);
  assert.match(found[0].message, /app\.b/);
});

test('a contradiction through other lines is reported on the line that closes it', async () => {
  const result = await check(['app.a < app.b', 'app.b < app.c', 'app.c < app.a']);
  assert.ok(onLine(result, 2).some((p) => /contradiction/.test(p.message)),
    `no contradiction on line 2 (app.c < app.a):\n${problemsOf(result).join('\n')}`);
  const chain = await check(['app.a', 'app.b', '', 'app.b < app.a']);
  assert.ok(onLine(chain, 3).some((p) => /contradiction/.test(p.message)),
    `no contradiction on line 3 (app.b < app.a against the one-lock lines):\n${problemsOf(chain).join('\n')}`);
});

test('an order given twice the same way is no contradiction', async () => {
  const result = await check(['app.a < app.b', 'app.b < app.c', 'app.a < app.c']);
  assert.deepEqual(problemsOf(result), []);
});

test('unparsable lines are reported on their lines; the other lines still count', async () => {
  const lines = [
    'app.b',
    'what is this',
    'app.a < < app.c',
    'app.a = app.b < app.c',
    'app.(a)',
    'ascending by id',
    'app.a',
  ];
  const result = await check(lines);
  for (const line of [1, 2, 3, 4, 5]) {
    assert.equal(onLine(result, line).length, 1, `line ${line} (${lines[line]}): ${problemsOf(result).join('\n')}`);
    assert.ok(onLine(result, line)[0].message.length > 0);
  }
  assert.deepEqual(onLine(result, 0), []);
  assert.deepEqual(onLine(result, 6), []);
  const lo106 = result.findings.filter((f) => f.code === 'LO106');
  assert.equal(lo106.length, 1, 'app.b declared before app.a: `with a: with b:` goes against it');
  assert.equal(lo106[0].location.range.start.line, 18, 'at the inner `with b`');
});

test('comments, blank lines, CRLF line ends and a byte-order mark are allowed', async () => {
  const result = await analyze([app], {
    orderFile: { path: orderPath, text: '\uFEFF# header\r\n\r\napp.a  # the outer lock\r\n   \r\napp.b\r\napp.nope\r\n' },
  });
  assert.equal(problemsOf(result).length, 1, problemsOf(result).join('\n'));
  assert.match(onLine(result, 5)[0]?.message ?? '', /app\.nope/, 'the unknown name is on line 5, counting comment and blank lines');
});

/** Deterministic pseudo-random text of `n` characters drawn from `alphabet`. */
function noise(seed, n, alphabet) {
  let x = seed;
  let out = '';
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    out += alphabet[x % alphabet.length];
  }
  return out;
}

test('garbage order files never throw; every problem names a line of the file', async () => {
  const inputs = [
    '',
    '\n\n\n',
    '\0\0\0',
    '<\n=\n<<<<\n====\n*\n**\n.\n..\n[]\n[',
    'app.a < app.a\napp.a = app.a\napp.a ascending by\napp.a ascending by by id',
    `${'app.a < '.repeat(2000)}app.b`,
    'x'.repeat(100000),
    noise(1, 5000, 'app.abc<=*[] #\n\t\r.'),
    noise(7, 5000, 'ab<=\n'),
    Buffer.from(noise(3, 3000, 'abcdefgh').split('').map((ch) => ch.charCodeAt(0) * 2 % 256)).toString('utf8'),
    '\u{1F600} < \u00e9\napp.\u00e4\n\u2028app.a\u2029app.b',
    '(?:app.a)\n$app.a\n^app\n\\d+\napp.{1,2}',
  ];
  for (const text of inputs) {
    const label = JSON.stringify(text.slice(0, 40));
    const result = await analyze([app], { orderFile: { path: orderPath, text } });
    assert.ok(Array.isArray(result.findings), label);
    const lineCount = text.split(/\r?\n/).length;
    for (const p of result.problems) {
      assert.equal(p.file, orderPath, `${label}: problem on another file: ${p.file}`);
      assert.ok(Number.isInteger(p.line) && p.line >= 0 && p.line < lineCount, `${label}: bad line ${p.line}`);
      assert.equal(typeof p.message, 'string', label);
      assert.ok(p.message.length > 0, label);
    }
  }
});

/** `count` unknown names, one per line, under `app.gen` (they match no lock: one problem each). */
function fillers(count, prefix = 'x') {
  return Array.from({ length: count }, (_, i) => `app.gen.${prefix}${i}`);
}

test('a 20,000-line order file gives the right problems and LO106 (one-lock lines, then a relation)', async () => {
  // c before every filler before b before a: `with a: with b` and `with b: with c` both go against it.
  const lines = ['app.c', ...fillers(19997), 'app.b', 'app.a'];
  const result = await check(lines);
  const problems = problemsOf(result);
  assert.equal(problems.length, 19997, problems.slice(0, 3).join('\n'));
  assert.ok(problems.every((p) => /no lock named app\.gen\.x\d+/.test(p)), problems.find((p) => !/no lock named/.test(p)));
  const lo106 = result.findings.filter((f) => f.code === 'LO106').map((f) => f.location.range.start.line).sort((x, y) => x - y);
  assert.deepEqual(lo106, [18, 19], 'at `with b` (b declared before a) and `with c` (c before b and a)');
});

test('a 20,000-line chain of relations is followed through: c < y0 < ... < y19998 < a', async () => {
  const names = ['app.c', ...fillers(19999, 'y'), 'app.a'];
  const lines = names.slice(1).map((n, i) => `${names[i]} < ${n}`);
  const result = await check(lines);
  assert.equal(problemsOf(result).length, 19999);
  const lo106 = result.findings.filter((f) => f.code === 'LO106');
  assert.equal(lo106.length, 1, lo106.map((f) => f.message).join('\n'));
  assert.equal(lo106[0].location.range.start.line, 19, 'at `with c` under `with a`: c is declared before a');
  assert.match(lo106[0].message, /app\.c is declared before app\.a/);
});

test('a contradiction through 20,000 lines is one problem, on the line that closes it, naming its lines', async () => {
  const lines = ['app.a', ...fillers(19998), 'app.b', '# closes the cycle:', 'app.b < app.a'];
  const result = await check(lines);
  const found = problemsOf(result).filter((p) => /contradiction/.test(p));
  assert.equal(found.length, 1, found.join('\n').slice(0, 2000));
  assert.ok(found[0].startsWith('20001: '), found[0]);
  assert.match(found[0], /app\.a < app\.gen\.x0 < app\.gen\.x1 < \.\.\. 19995 more \.\.\. < app\.gen\.x19997 < app\.b < app\.a/);
  assert.match(found[0], /lines 2, 3, 4, \.\.\. 19995 more \.\.\., 20000 and 20002/);
  assert.ok(found[0].length < 300, `a short message, got ${found[0].length} characters`);
  assert.equal(problemsOf(result).length, 19999, 'the fillers are unknown names, plus the one contradiction');
});

test('one lock declared before 300,000 others, behind another: no stack overflow, every unknown name reported', async () => {
  const lines = ['app.c < app.a', ...fillers(300000, 'z').map((n) => `app.a < ${n}`)];
  const result = await check(lines);
  const problems = problemsOf(result);
  assert.equal(problems.length, 300000, problems.slice(0, 3).join('\n'));
  assert.ok(problems.every((p) => /no lock named app\.gen\.z\d+/.test(p)));
  const lo106 = result.findings.filter((f) => f.code === 'LO106');
  assert.deepEqual(lo106.map((f) => f.location.range.start.line), [19], 'with a: ... with c: goes against app.c < app.a');
});
