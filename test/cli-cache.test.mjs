// The CLI's analysis cache (.lockorder/cache, --cache-dir, --no-cache, --cache-size, --verbose),
// run through real `lockorder check` processes on a copy of the Python fixtures (enough files
// to be parsed in worker threads). A cached run must print exactly what a cold run prints,
// after an edit too; damaged, foreign-version and concurrently written entries never change a
// finding; the folder stays within its bound; an unwritable folder is one warning, not a failure.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, cli, inverted, project, root, run } from './cli-run.mjs';

after(cleanup);

const fixtures = join(root, 'test', 'fixtures', 'python');

/** A temporary project holding every Python fixture, and a cache folder of its own. */
function corpus() {
  const dir = project({});
  cpSync(fixtures, join(dir, 'src'), { recursive: true });
  return { dir, cache: join(dir, 'cache') };
}

/** `check --format json` in `dir`, with extra options; returns status, stdout and stderr. */
function check(dir, extra = [], options = {}) {
  return run(['check', 'src', '--format', 'json', ...extra], dir, options);
}

/** The counts of the --verbose line: files from the cache, files in all, files parsed. */
function cacheCounts(stderr) {
  const m = /(\d+) of (\d+) files came from the cache in .* \((\d+) parsed\)/.exec(stderr);
  assert.ok(m, `no cache line in:\n${stderr}`);
  return { fromCache: Number(m[1]), files: Number(m[2]), parsed: Number(m[3]) };
}

/** The cache's entry files. */
function entries(cache, kind = 'facts') {
  return readdirSync(cache).filter((n) => n.endsWith(`.${kind}`));
}

/** A file that gains an inversion it did not have: the edit changes what the run reports. */
const edited = join('src', 'LO101_ABBA_with_clean.py');

test('a cached run prints exactly what a cold run prints, and after an edit parses only the edited file', () => {
  const { dir, cache } = corpus();
  const cold = check(dir, ['--cache-dir', cache, '--verbose']);
  assert.equal(cold.status, 1, cold.stderr);
  const first = cacheCounts(cold.stderr);
  assert.equal(first.fromCache, 0);
  assert.ok(first.files > 200, `${first.files} files`);

  const warm = check(dir, ['--cache-dir', cache, '--verbose']);
  assert.equal(warm.stdout, cold.stdout);
  assert.deepEqual(cacheCounts(warm.stderr), { fromCache: first.files, files: first.files, parsed: 0 });
  assert.match(warm.stderr, /the whole result too/);

  writeFileSync(join(dir, edited), inverted);
  const afterEdit = check(dir, ['--cache-dir', cache, '--verbose']);
  const coldAfterEdit = check(dir, ['--no-cache']);
  assert.notEqual(coldAfterEdit.stdout, cold.stdout, 'the edit changes the findings');
  assert.equal(afterEdit.stdout, coldAfterEdit.stdout);
  // --verbose adds its notes (the cache's counts, the parser); the rest is what a cold run says.
  assert.equal(afterEdit.stderr.replace(/.*came from the cache.*\n/, '').replace(/^lockorder: parser: .*\n/m, ''), coldAfterEdit.stderr);
  assert.deepEqual(cacheCounts(afterEdit.stderr), { fromCache: first.files - 1, files: first.files, parsed: 1 });

  // Other options: the result is not reused, every file's facts are.
  const ignoring = check(dir, ['--cache-dir', cache, '--verbose', '--ignore', 'LO105']);
  assert.equal(ignoring.stdout, check(dir, ['--no-cache', '--ignore', 'LO105']).stdout);
  assert.doesNotMatch(ignoring.stderr, /whole result/);
  assert.equal(cacheCounts(ignoring.stderr).parsed, 0);
});

test('corrupt, truncated and foreign-version entries are ignored and rewritten', () => {
  const { dir, cache } = corpus();
  const cold = check(dir, ['--cache-dir', cache]);
  const names = entries(cache);
  names.forEach((name, i) => {
    const file = join(cache, name);
    const bytes = readFileSync(file);
    if (i % 4 === 0) writeFileSync(file, bytes.subarray(0, Math.floor(bytes.length / 2))); // truncated
    else if (i % 4 === 1) { bytes[bytes.length - 3] ^= 0x01; writeFileSync(file, bytes); } // one bit flipped
    else if (i % 4 === 2) writeFileSync(file, bytes.toString('latin1').replace(/^(lockorder-cache )\S+/, '$19:engine-0000:grammar') , 'latin1');
    else writeFileSync(file, '{"path": "not an entry"}');
  });
  for (const name of entries(cache, 'result')) writeFileSync(join(cache, name), '');
  const damaged = check(dir, ['--cache-dir', cache, '--verbose']);
  assert.equal(damaged.status, 1, damaged.stderr);
  assert.equal(damaged.stdout, cold.stdout);
  assert.equal(cacheCounts(damaged.stderr).fromCache, 0);
  const again = check(dir, ['--cache-dir', cache, '--verbose']);
  assert.equal(again.stdout, cold.stdout);
  assert.equal(cacheCounts(again.stderr).parsed, 0, 'the damaged entries were rewritten');
});

/** Run the CLI without waiting, resolving to its status and output. */
function runAsync(args, cwd) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

test('two processes filling the same cache at once leave only whole entries', async () => {
  const { dir, cache } = corpus();
  const args = ['check', 'src', '--format', 'json', '--cache-dir', cache];
  const [a, b] = await Promise.all([runAsync(args, dir), runAsync(args, dir)]);
  const cold = check(dir, ['--no-cache']);
  assert.equal(a.stdout, cold.stdout);
  assert.equal(b.stdout, cold.stdout);
  assert.deepEqual(readdirSync(cache).filter((n) => n.endsWith('.tmp')), []);
  const warm = check(dir, ['--cache-dir', cache, '--verbose']);
  assert.equal(warm.stdout, cold.stdout);
  assert.equal(cacheCounts(warm.stderr).parsed, 0, 'every entry the two wrote is whole');
});

test('--cache-size bounds the folder: the least recently used entries are dropped', () => {
  const { dir, cache } = corpus();
  const size = (folder) => readdirSync(folder).filter((n) => /^[0-9a-f]{64}\./.test(n))
    .reduce((n, name) => n + statSync(join(folder, name)).size, 0);
  check(dir, ['--cache-dir', join(dir, 'unbounded')]);
  const limit = size(join(dir, 'unbounded')) / 2 / 1024 / 1024; // MB: half of what the fixtures' entries take
  const small = check(dir, ['--cache-dir', cache, '--cache-size', limit.toFixed(6)]);
  assert.equal(entries(cache, 'result').length, 1, 'the newest entry, the result, is kept');
  assert.ok(entries(cache).length > 10 && entries(cache).length < 200, `${entries(cache).length} facts entries kept`);
  assert.ok(size(cache) <= limit * 1024 * 1024, `${size(cache)} bytes kept`);
  assert.equal(check(dir, ['--cache-dir', cache, '--cache-size', limit.toFixed(6)]).stdout, small.stdout);
  assert.equal(small.stdout, check(dir, ['--no-cache']).stdout);
});

test('another engine version reads none of the entries', () => {
  const { dir, cache } = corpus();
  check(dir, ['--cache-dir', cache]);
  // A copy of the build whose engine identity differs, as after an upgrade.
  const other = join(project({}), 'dist');
  cpSync(join(root, 'dist'), other, { recursive: true });
  const file = join(other, 'cliWorker.js');
  const text = readFileSync(file, 'utf8');
  assert.match(text, /engine-[0-9a-f]{16}/);
  writeFileSync(file, text.replace(/engine-[0-9a-f]{16}/g, 'engine-0123456789abcdef'));
  const r = spawnSync(process.execPath, [join(other, 'cli.js'), 'check', 'src', '--format', 'json', '--cache-dir', cache, '--verbose'],
    { cwd: dir, encoding: 'utf8' });
  const counts = cacheCounts(r.stderr);
  assert.equal(counts.fromCache, 0);
  assert.equal(r.stdout, check(dir, ['--no-cache']).stdout);
});

test('an unwritable cache folder is one warning and the run goes on', () => {
  const dir = project({ 'app.py': inverted, blocker: 'a file where the cache folder would be' });
  const r = run(['check', 'app.py', '--cache-dir', join('blocker', 'cache')], dir);
  assert.equal(r.status, 1, r.stderr);
  const warnings = r.stderr.split('\n').filter((l) => l.includes('cache'));
  assert.equal(warnings.length, 1, r.stderr);
  assert.match(warnings[0], /^lockorder: warning: cannot write the analysis cache in .*blocker.*; going on without it$/);
  assert.equal(r.stdout, run(['check', 'app.py', '--no-cache'], dir).stdout);
});

test('the cache lives in .lockorder/cache by default, and --no-cache writes nothing', () => {
  const dir = project({ 'app.py': inverted });
  run(['check', 'app.py', '--no-cache'], dir);
  assert.equal(existsSync(join(dir, '.lockorder')), false);
  const r = run(['check', 'app.py', '--verbose'], dir);
  assert.match(r.stderr, /0 of 1 files came from the cache in \.lockorder\/cache \(1 parsed\)/);
  assert.equal(entries(join(dir, '.lockorder', 'cache')).length, 1);
  assert.match(readFileSync(join(dir, '.lockorder', 'cache', '.gitignore'), 'utf8'), /^\*$/m);
  const bad = run(['check', 'app.py', '--cache-size', 'lots'], dir);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /bad --cache-size: lots/);
});

test('a run with TypeScript files reuses the Python files\' facts but never a whole result', () => {
  const dir = project({ 'app.py': inverted, 'lib.ts': 'export const answer: number = 42;\n' });
  const first = run(['check', '.', '--format', 'json', '--verbose'], dir);
  const second = run(['check', '.', '--format', 'json', '--verbose'], dir);
  assert.equal(second.stdout, first.stdout);
  assert.match(second.stderr, /1 of 2 files came from the cache in \.lockorder\/cache \(1 parsed\)\n/);
  assert.doesNotMatch(second.stderr, /whole result/);
});
