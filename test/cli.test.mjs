// Runs the built CLI (`node dist/cli.js`) on small projects in temporary directories and
// checks what a user sees: text lines and summary, JSON, SARIF, exit codes, options and
// how unreadable files, missing paths and half-typed code are handled.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'cli.js');
const { ruleRegistry } = createRequire(import.meta.url)('../dist/analysis.js');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const made = [];
after(() => { for (const dir of made) rmSync(dir, { recursive: true, force: true }); });

/** ABBA: the finding is at line 15, column 14 (the `a` of the inner `with a`). */
const inverted = `import threading

a = threading.Lock()
b = threading.Lock()


def one():
    with a:
        with b:
            pass


def two():
    with b:
        with a:
            pass
`;

/** A self-deadlock: LO102 at line 8 (the inner `with lock`). */
const selfDeadlock = `import threading

lock = threading.Lock()


def twice():
    with lock:
        with lock:
            pass
`;

const clean = `import threading

a = threading.Lock()


def one():
    with a:
        pass
`;

/** Write files (name -> text or bytes) into a new temporary directory and return it. */
function project(files) {
  const dir = mkdtempSync(join(tmpdir(), 'lockorder-cli-'));
  made.push(dir);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

/** Run the CLI in `cwd`; returns status, stdout and stderr. */
function run(args, cwd) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Assert a failure message is short and has no stack trace. */
function assertNoStack(stderr) {
  assert.doesNotMatch(stderr, /\n\s+at .*\(/, `stack trace on stderr:\n${stderr}`);
}

test('--help shows usage and exits 0', () => {
  const r = run(['--help'], root);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /Usage: lockorder check \[PATH\.\.\.\]/);
  assert.match(r.stdout, /--format FORMAT/);
  assert.match(r.stdout, /node_modules/);
  assert.equal(run(['check', '--help'], root).status, 0);
});

test('--version prints the package version', () => {
  const r = run(['--version'], root);
  assert.equal(r.status, 0);
  assert.equal(r.stdout.trim(), `lockorder ${pkg.version}`);
});

test('a clean project exits 0 with a summary and nothing on stderr', () => {
  const dir = project({ 'app.py': clean, 'pkg/util.py': clean });
  const r = run(['check'], dir);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'No problems found in 2 files.\n');
  assert.equal(r.stderr, '');
});

test('text output: one line per finding, related sites indented, then the summary', () => {
  const dir = project({ 'pkg/inverted.py': inverted, 'pkg/clean.py': clean });
  const r = run(['check', '.'], dir);
  assert.equal(r.status, 1, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  assert.match(lines[0], /^pkg\/inverted\.py:15:14: LO101 \S.*/);
  const related = lines.slice(1, -1);
  assert.ok(related.length > 0, 'no related sites under the finding');
  for (const line of related) assert.match(line, /^ {4}pkg\/inverted\.py:\d+:\d+: \S/);
  assert.ok(related.some((l) => l.startsWith('    pkg/inverted.py:9:')), 'the a -> b nesting at line 9 is not named');
  assert.equal(lines.at(-1), 'Found 1 problem (LO101: 1) in 2 files.');
});

test('the summary counts findings by code', () => {
  const dir = project({ 'inverted.py': inverted, 'twice.py': selfDeadlock });
  const r = run(['check'], dir);
  assert.equal(r.status, 1, r.stderr);
  assert.equal(r.stdout.trimEnd().split('\n').at(-1), 'Found 2 problems (LO101: 1, LO102: 1) in 2 files.');
  assert.match(r.stdout, /^twice\.py:8:\d+: LO102 /m);
});

test('a file given on the command line is checked alone', () => {
  const dir = project({ 'inverted.py': inverted, 'twice.py': selfDeadlock });
  const r = run(['check', 'twice.py'], dir);
  assert.equal(r.status, 1, r.stderr);
  assert.doesNotMatch(r.stdout, /LO101/);
  assert.match(r.stdout, /in 1 file\.\n$/);
});

test('json output parses, with 1-based positions and relative paths', () => {
  const dir = project({ 'src/inverted.py': inverted, 'src/clean.py': clean });
  const r = run(['check', '--format', 'json'], dir);
  assert.equal(r.status, 1, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.equal(doc.version, 1);
  assert.equal(doc.findings.length, 1);
  const f = doc.findings[0];
  assert.equal(f.code, 'LO101');
  assert.equal(f.rule, 'lock-order-inversion');
  assert.equal(f.file, 'src/inverted.py');
  assert.equal(f.line, 15);
  assert.equal(f.column, 14);
  assert.equal(f.range.start.line, 14);
  assert.ok(f.related.length > 0);
  for (const site of f.related) {
    assert.equal(site.file, 'src/inverted.py');
    assert.ok(site.line >= 1 && site.column >= 1 && typeof site.message === 'string');
  }
  assert.deepEqual(doc.problems, []);
  assert.deepEqual(doc.summary, { files: 2, findings: 1, byCode: { LO101: 1 }, skipped: 0 });
});

test('sarif output has rules metadata, locations, related locations and fingerprints', () => {
  const dir = project({ 'src/inverted.py': inverted });
  const r = run(['check', '--format=sarif'], dir);
  assert.equal(r.status, 1, r.stderr);
  const log = JSON.parse(r.stdout);
  assert.equal(log.version, '2.1.0');
  assert.match(log.$schema, /sarif.*2\.1\.0.*\.json$/);
  const runOne = log.runs[0];
  const driver = runOne.tool.driver;
  assert.equal(driver.name, 'lockorder');
  assert.equal(driver.version, pkg.version);
  assert.match(driver.informationUri, /^https:\/\//);
  assert.deepEqual(driver.rules.map((rule) => rule.id), ruleRegistry.map((rule) => rule.code));
  for (const rule of driver.rules) {
    assert.ok(rule.name && rule.shortDescription.text && rule.fullDescription.text && rule.help.markdown);
    assert.match(rule.helpUri, new RegExp(`docs/rules/${rule.id}\\.md$`));
    assert.ok(['error', 'warning', 'note'].includes(rule.defaultConfiguration.level));
  }
  assert.equal(runOne.results.length, 1);
  const result = runOne.results[0];
  assert.equal(result.ruleId, 'LO101');
  assert.equal(driver.rules[result.ruleIndex].id, 'LO101');
  assert.ok(['error', 'warning', 'note'].includes(result.level));
  assert.ok(result.message.text.length > 0);
  const loc = result.locations[0].physicalLocation;
  assert.deepEqual(loc.artifactLocation, { uri: 'src/inverted.py', uriBaseId: '%SRCROOT%' });
  assert.equal(loc.region.startLine, 15);
  assert.equal(loc.region.startColumn, 14);
  assert.ok(loc.region.endLine >= 15 && loc.region.endColumn > 0);
  assert.ok(result.relatedLocations.length > 0);
  result.relatedLocations.forEach((rel, i) => {
    assert.equal(rel.id, i + 1);
    assert.equal(rel.physicalLocation.artifactLocation.uri, 'src/inverted.py');
    assert.ok(rel.physicalLocation.region.startLine >= 1);
    assert.ok(rel.message.text.length > 0);
  });
  assert.match(Object.values(result.partialFingerprints)[0], /^[0-9a-f]{16,}$/);
});

test('sarif fingerprints survive lines added above the finding', () => {
  const first = JSON.parse(run(['check', '--format', 'sarif'], project({ 'x.py': inverted })).stdout);
  const second = JSON.parse(run(['check', '--format', 'sarif'], project({ 'x.py': `# header\n\n${inverted}` })).stdout);
  assert.equal(second.runs[0].results[0].locations[0].physicalLocation.region.startLine, 17);
  assert.deepEqual(second.runs[0].results[0].partialFingerprints, first.runs[0].results[0].partialFingerprints);
});

test('sarif fingerprints differ between findings whose lines read the same', () => {
  const leak = (name) => `def ${name}(flag):\n    lock.acquire()\n    if flag:\n        return\n    lock.release()\n\n`;
  const text = `import threading\nlock = threading.Lock()\n\n${leak('a')}${leak('b')}${leak('c')}`;
  const sarif = JSON.parse(run(['check', '--format', 'sarif'], project({ 'leaks.py': text })).stdout);
  const results = sarif.runs[0].results.filter((r) => r.ruleId === 'LO104');
  assert.equal(results.length, 3);
  const prints = results.map((r) => r.partialFingerprints['lockorderFinding/v1']);
  assert.equal(new Set(prints).size, 3, `three findings, three fingerprints: ${prints.join(' ')}`);
});

test('json lock ids name their file as `file` does, not by an absolute path', () => {
  const dir = project({ 'x.py': inverted });
  const doc = JSON.parse(run(['check', '--format', 'json'], dir).stdout);
  const locks = doc.findings.flatMap((f) => f.locks);
  assert.ok(locks.length >= 2);
  for (const id of locks) assert.match(id, /^x\.py:\d+:\d+$/, `${id} should be relative like ${doc.findings[0].file}`);
});

test('--select and --ignore filter codes; unknown codes are an error', () => {
  const dir = project({ 'inverted.py': inverted, 'twice.py': selfDeadlock });
  let r = run(['check', '--select', 'LO102'], dir);
  assert.equal(r.status, 1);
  assert.match(r.stdout, /Found 1 problem \(LO102: 1\)/);
  r = run(['check', '--ignore', 'LO101', '--ignore', 'LO102'], dir);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /^No problems found in 2 files\.$/m);
  r = run(['check', '--select', 'LO101,self-deadlock'], dir);
  assert.equal(r.status, 1);
  assert.match(r.stdout, /Found 2 problems/);
  r = run(['check', '--select', 'LO999'], dir);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^lockorder: unknown rule code in --select: LO999/);
  assertNoStack(r.stderr);
});

test('--exclude skips matching files and directories', () => {
  const dir = project({ 'app.py': clean, 'tests/test_x.py': inverted, 'build/gen.py': selfDeadlock, 'a/build/g.py': inverted });
  let r = run(['check', '--exclude', '**/tests/**', '--exclude', 'build/'], dir);
  assert.equal(r.status, 0, r.stdout);
  assert.equal(r.stdout, 'No problems found in 1 file.\n');
  r = run(['check', '--exclude=tests/,build/'], dir);
  assert.equal(r.status, 0, r.stdout);
  r = run(['check', '--exclude', '**/tests/**'], dir);
  assert.equal(r.status, 1);
  assert.doesNotMatch(r.stdout, /tests\//);
  assert.match(r.stdout, /in 3 files\.\n$/);
});

test('directories are walked recursively for .py files, skipping tool directories', () => {
  const dir = project({
    'top.py': clean,
    'deep/er/still/mod.py': clean,
    'notes.txt': inverted,
    'node_modules/x/inverted.py': inverted,
    '.git/hooks/inverted.py': inverted,
    '__pycache__/inverted.py': inverted,
    '.venv/lib/inverted.py': inverted,
  });
  const r = run(['check'], dir);
  assert.equal(r.status, 0, r.stdout);
  assert.equal(r.stdout, 'No problems found in 2 files.\n');
});

test('a missing path is a clear error with exit 2', () => {
  const dir = project({ 'app.py': clean });
  const r = run(['check', 'app.py', 'nope'], dir);
  assert.equal(r.status, 2);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^lockorder: no such file or directory: nope\n\S/);
  assertNoStack(r.stderr);
});

test('usage mistakes exit 2 with one line and a hint', () => {
  for (const args of [['check', '--bogus'], ['check', '--format', 'xml'], ['frobnicate'], [], ['check', '--select']]) {
    const r = run(args, root);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /^lockorder: .+\n.*--help/);
    assertNoStack(r.stderr);
  }
});

test('a file that is not UTF-8 is named and skipped; the run goes on', () => {
  const dir = project({ 'latin1.py': Buffer.from([0x23, 0x20, 0xe9, 0x0a]), 'inverted.py': inverted });
  const r = run(['check'], dir);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^lockorder: skipped latin1\.py: not valid UTF-8$/m);
  assert.match(r.stdout, /^inverted\.py:15:14: LO101 /m);
  assert.match(r.stdout, /in 1 file\.\n$/);
  const json = JSON.parse(run(['check', '--format', 'json'], dir).stdout);
  assert.deepEqual(json.problems, [{ file: 'latin1.py', message: 'not valid UTF-8', skipped: true }]);
  const onlyBad = project({ 'latin1.py': Buffer.from([0xff, 0xfe, 0x00]) });
  assert.equal(run(['check'], onlyBad).status, 0);
});

test('half-typed code: the part that parses is checked and the file gets a warning', () => {
  const dir = project({ 'half.py': `${inverted}\n\ndef broken(x:\n    with a\n` });
  const r = run(['check'], dir);
  assert.equal(r.status, 1);
  assert.match(r.stdout, /^half\.py:15:14: LO101 /m);
  assert.match(r.stderr, /^lockorder: warning: half\.py: .+/m);
  assertNoStack(r.stderr);
});

test('a suppression comment hides the finding on its line', () => {
  const dir = project({ 'x.py': inverted.replace('        with a:\n            pass\n', '        with a:  # lockorder: ignore[LO101]\n            pass\n') });
  const r = run(['check'], dir);
  assert.equal(r.status, 0, r.stdout);
});

test('an empty directory is checked without error', () => {
  const dir = project({ 'README.md': '# nothing\n' });
  const r = run(['check'], dir);
  assert.equal(r.status, 0);
  assert.equal(r.stdout, 'No problems found in 0 files.\n');
  assert.match(r.stderr, /no Python, TypeScript or JavaScript files found/);
});

/** store.py: refresh() takes db_lock while holding cache_lock (LO106 at line 12, col 14, against db-then-cache). */
const store = `import threading

db_lock = threading.Lock()
cache_lock = threading.Lock()
cache = {}
rows = {}


def refresh(key):
    with cache_lock:
        if key not in cache:
            with db_lock:
                cache[key] = rows.get(key)
`;

/** The declared order store.py breaks: the database lock, then the cache lock. */
const storeOrder = '# outermost first\nstore.db_lock\nstore.cache_lock\n';

/** The non-blank lines of an order file that are not comments, without trailing comments. */
function declarations(text) {
  return text.split('\n').map((l) => l.replace(/#.*$/, '').trim()).filter(Boolean);
}

test('--order-file PATH: a nesting against the declared order is LO106, exit 1', () => {
  const dir = project({ 'store.py': store, 'config/locks.order': storeOrder });
  let r = run(['check', '--order-file', 'config/locks.order'], dir);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stdout, /^store\.py:12:18: LO106 \S.*db_lock.*cache_lock/m);
  assert.match(r.stdout, /^ {4}config\/locks\.order:2:1: /m, 'the declaration of store.db_lock is not named');
  assert.equal(r.stdout.trimEnd().split('\n').at(-1), 'Found 1 problem (LO106: 1) in 1 file.');
  assert.equal(r.stderr, '');
  r = run(['check', '--order-file=config/locks.order', '--format', 'json'], dir);
  assert.deepEqual(JSON.parse(r.stdout).summary.byCode, { LO106: 1 });
  r = run(['check'], dir);
  assert.equal(r.status, 0, 'without --order-file (and no ./lockorder.order) there is nothing to violate');
});

test('order-file problems are warnings on stderr with the file and 1-based line', () => {
  const order = 'store.cache_lock\n# comment\nstore.nope\nthis is not a lock name\nstore.db_lock\n';
  const dir = project({ 'store.py': store, 'locks.order': order });
  const r = run(['check', '--order-file', 'locks.order'], dir);
  assert.equal(r.status, 0, `no finding, only warnings:\n${r.stdout}`);
  assert.match(r.stderr, /^lockorder: warning: locks\.order:3: .*store\.nope/m);
  assert.match(r.stderr, /^lockorder: warning: locks\.order:4: \S/m);
  assert.equal(r.stderr.trimEnd().split('\n').length, 2, r.stderr);
  assertNoStack(r.stderr);
  assert.equal(r.stdout, 'No problems found in 1 file.\n');
});

test('./lockorder.order in the current directory is used by default', () => {
  const dir = project({ 'store.py': store, 'lockorder.order': storeOrder });
  const r = run(['check'], dir);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stdout, /^store\.py:12:18: LO106 /m);
  assert.match(r.stdout, /^ {4}lockorder\.order:2:1: /m);
  const other = project({ 'store.py': store, 'nested/lockorder.order': storeOrder });
  assert.equal(run(['check'], other).status, 0, 'only the current directory is searched, not subfolders');
});

test('a named order file that does not exist is an error with exit 2', () => {
  const dir = project({ 'store.py': store });
  const r = run(['check', '--order-file', 'missing.order'], dir);
  assert.equal(r.status, 2);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^lockorder: .*missing\.order/);
  assert.match(r.stderr.split('\n')[0], /no such file|not found|does not exist/i, 'say what is wrong in words, not an errno code');
  assert.match(r.stderr, /\n\S/, 'a hint on the next line');
  assertNoStack(r.stderr);
});

/** Locks nested c -> b -> a, x and y in both orders (a cycle), g1 and g2 each alone. */
const layered = `import threading

a = threading.Lock()
b = threading.Lock()
c = threading.Lock()
x = threading.Lock()
y = threading.Lock()
g1 = threading.Lock()
g2 = threading.Lock()


def one():
    with c:
        with b:
            with a:
                pass


def two():
    with x:
        with y:
            pass


def three():
    with y:
        with x:
            pass


def four():
    with g1:
        pass
    with g2:
        pass
`;

test('--write-order writes the inferred order, lists cycles in comments and keeps relations and groups', () => {
  const previous = '# mine\napp.a\napp.c < app.a  # outer first\napp.g1 = app.g2\n';
  const dir = project({ 'app.py': layered, 'lockorder.order': previous });
  const r = run(['check', '--write-order'], dir);
  assert.equal(r.status, 1, 'the x/y inversion is still reported');
  assert.match(r.stdout, /LO101/);
  assert.match(r.stderr, /^lockorder: wrote .*lockorder\.order/m);
  const written = readFileSync(join(dir, 'lockorder.order'), 'utf8');
  const decl = declarations(written);
  const chain = decl.filter((l) => !/[<=]/.test(l));
  assert.ok(chain.indexOf('app.c') < chain.indexOf('app.b') && chain.indexOf('app.b') < chain.indexOf('app.a'),
    `not in topological order (c, b, a):\n${written}`);
  assert.ok(!chain.includes('app.x') && !chain.includes('app.y'), `locks of a cycle are declared:\n${written}`);
  assert.match(written, /^#.*\bapp\.x, app\.y\b/m, 'the cycle is not listed in a comment');
  assert.ok(decl.includes('app.c < app.a'), `the relation line was not kept:\n${written}`);
  assert.ok(decl.includes('app.g1 = app.g2'), `the group line was not kept:\n${written}`);
  assert.equal(chain.filter((l) => l === 'app.a').length, 1, 'app.a declared twice');
  const again = run(['check'], dir);
  assert.equal(again.stderr, '', 'the written file has problems of its own');
  assert.doesNotMatch(again.stdout, /LO106/);
});

test('--write-order without an order file creates ./lockorder.order, or the --order-file path', () => {
  const dir = project({ 'app.py': layered });
  assert.equal(run(['check', '--write-order'], dir).status, 1);
  const written = readFileSync(join(dir, 'lockorder.order'), 'utf8');
  assert.match(written, /^#/, 'the file opens with a comment');
  assert.ok(declarations(written).includes('app.b'), written);
  const custom = project({ 'app.py': layered, 'cfg/.keep': '' });
  const r = run(['check', '--write-order', '--order-file', 'cfg/locks.order'], custom);
  assert.equal(r.status, 1, r.stderr);
  assert.ok(declarations(readFileSync(join(custom, 'cfg', 'locks.order'), 'utf8')).includes('app.b'));
});

test('--write-order: the run checks against the file it wrote, not the old one', () => {
  const dir = project({ 'store.py': store, 'lockorder.order': 'store.gone_lock\nstore.cache_lock\nstore.db_lock\n' });
  const r = run(['check', '--write-order'], dir);
  assert.equal(r.status, 0, r.stdout);
  assert.doesNotMatch(r.stderr, /gone_lock/, 'warned about a line that is no longer in the file');
  assert.doesNotMatch(readFileSync(join(dir, 'lockorder.order'), 'utf8'), /gone_lock/);
});

test('--write-order keeps an "ascending by" family without declaring it twice', () => {
  const account = `import threading

audit_lock = threading.Lock()


class Account:
    def __init__(self, ident):
        self.id = ident
        self.lock = threading.Lock()

    def audit(self):
        with audit_lock:
            with self.lock:
                pass
`;
  const dir = project({ 'bank.py': account, 'lockorder.order': 'bank.Account.lock ascending by id\n' });
  assert.equal(run(['check', '--write-order'], dir).status, 0);
  const written = readFileSync(join(dir, 'lockorder.order'), 'utf8');
  const decl = declarations(written);
  assert.deepEqual(decl.filter((l) => l.startsWith('bank.Account.lock')), ['bank.Account.lock ascending by id'], written);
  assert.ok(decl.indexOf('bank.audit_lock') < decl.indexOf('bank.Account.lock ascending by id'), written);
  const again = run(['check'], dir);
  assert.equal(again.status, 0);
  assert.equal(again.stderr, '', `the written file has problems:\n${written}`);
});

test('--help describes --order-file and --write-order', () => {
  const r = run(['--help'], root);
  assert.match(r.stdout, /--order-file PATH\s+\S/);
  assert.match(r.stdout, /lockorder\.order/);
  assert.match(r.stdout, /--write-order\s+\S/);
});
