// Locks taken through a lock wrapper class (`self.accounts_guard = Guard()`) are named where
// the wrapper is stored (or, for a wrapper handed a module lock, by that lock): the CLI's LO101
// names both locks of the inversion, its `locks` point at the two storing lines, and the Python runtime, run on the same fixture, names and places
// the two locks exactly as the static analysis does (so the editor can merge the findings).

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'cli.js');
const fixtures = join(root, 'test', 'fixtures', 'python');
const { analyze } = createRequire(import.meta.url)('../dist/analysis.js');
const made = [];
after(() => { for (const dir of made) rmSync(dir, { recursive: true, force: true }); });

/** The cases: a fixture, the names its two wrapper stores must get, and how each store's line reads. */
const cases = [
  {
    fixture: 'LO101_wrapper_instances.py',
    names: ['Bank.accounts_guard', 'Bank.audit_guard'],
    stores: [/^\s*self\.accounts_guard = Guard\(\)$/, /^\s*self\.audit_guard = Guard\(\)$/],
  },
  {
    fixture: 'LO101_wrapper_globals.py',
    names: ['ACCOUNTS', 'AUDIT'],
    stores: [/^ACCOUNTS = Guard\(\)$/, /^AUDIT = Guard\(\)$/],
  },
  {
    fixture: 'LO101_wrapper_lock_argument.py',
    names: ['Bank.accounts_guard', 'Bank.audit_guard'],
    stores: [/^\s*self\.accounts_guard = Guard\(threading\.Lock\(\)\)$/, /^\s*self\.audit_guard = Guard\(lock=threading\.Lock\(\)\)$/],
  },
  {
    // Wrappers handed module locks are those locks: named and placed where the locks are made.
    fixture: 'LO101_wrapper_shared_lock_argument.py',
    names: ['ACCOUNTS_LOCK', 'AUDIT_LOCK'],
    stores: [/^ACCOUNTS_LOCK = threading\.Lock\(\)$/, /^AUDIT_LOCK = threading\.Lock\(\)$/],
  },
];

/** 1-based line numbers of the lines matching each pattern (exactly one line each). */
function linesOf(file, patterns) {
  const lines = readFileSync(file, 'utf8').split('\n');
  return patterns.map((p) => {
    const found = lines.flatMap((l, i) => (p.test(l) ? [i + 1] : []));
    assert.equal(found.length, 1, `${p} should match one line of ${file}`);
    return found[0];
  });
}

/** The file and 1-based line of a lock id (`<file>:<line>:<col>`). */
function siteOf(id) {
  const m = /^(.*):(\d+):\d+$/.exec(id);
  return `${m[1]}:${m[2]}`;
}

/** The LO101 records the runtime writes when it runs `file`. */
function runtimeInversions(file) {
  const dir = mkdtempSync(join(tmpdir(), 'lockorder-wrappers-'));
  made.push(dir);
  const reports = join(dir, 'reports');
  const run = spawnSync('python3', ['-m', 'lockorder', 'run', '--report-dir', reports, file], {
    cwd: dir, encoding: 'utf8', env: { ...process.env, PYTHONPATH: join(root, 'runtime', 'python') },
  });
  assert.equal(run.status, 0, run.stderr);
  return readdirSync(reports).flatMap((name) => readFileSync(join(reports, name), 'utf8').split('\n'))
    .filter((line) => line.trim()).map((line) => JSON.parse(line)).filter((r) => r.rule === 'LO101');
}

for (const c of cases) {
  test(`${c.fixture}: the CLI names both wrapper locks by their stores`, () => {
    const file = join(fixtures, c.fixture);
    const run = spawnSync(process.execPath, [cli, 'check', '--format', 'json', file], { encoding: 'utf8' });
    assert.equal(run.status, 1, run.stderr);
    const findings = JSON.parse(run.stdout).findings;
    assert.deepEqual(findings.map((f) => f.code), ['LO101']);
    const [finding] = findings;
    for (const name of c.names) assert.ok(finding.message.includes(`\`${name}\``), `${name} missing from: ${finding.message}`);
    assert.doesNotMatch(finding.message, /family|Guard\._lock/);
    // Lock ids name the file as `file` does (relative to the CLI's working directory).
    const storeSites = linesOf(file, c.stores).map((line) => `${finding.file}:${line}`).sort();
    assert.deepEqual(finding.locks.map(siteOf).sort(), storeSites);
  });

  test(`${c.fixture}: the runtime names and places the locks as the analysis does`, async () => {
    const file = join(fixtures, c.fixture);
    const result = await analyze([{ path: file, text: readFileSync(file, 'utf8') }]);
    const [finding] = result.findings.filter((f) => f.code === 'LO101');
    assert.ok(finding, 'the analysis reports the inversion');
    const byId = new Map(result.locks.map((l) => [l.id, l]));
    const staticNames = finding.locks.map((id) => byId.get(id).name).sort();
    const module = c.fixture.replace(/\.py$/, '');
    assert.deepEqual(staticNames, c.names.map((n) => `${module}.${n}`).sort());

    const records = runtimeInversions(file);
    assert.equal(records.length, 1, 'the runtime reports the inversion once');
    const locks = records[0].locks;
    assert.deepEqual(locks.map((l) => l.qualname).sort(), staticNames);
    assert.deepEqual(locks.map((l) => l.name).sort(), [...c.names].sort());
    assert.deepEqual(locks.map((l) => `${l.created.file}:${l.created.line}`).sort(), finding.locks.map(siteOf).sort());
  });
}
