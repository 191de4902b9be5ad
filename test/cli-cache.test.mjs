// The CLI's analysis cache (.lockorder/cache, --cache-dir, --no-cache, --cache-size, --verbose),
// run through real `lockorder check` processes on a copy of the Python fixtures (enough files
// to be parsed in worker threads). A cached run must print exactly what a cold run prints,
// after an edit too; damaged, foreign-version and concurrently written entries never change a
// finding; the folder stays within its bound; an unwritable folder is one warning, not a failure.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
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

/** Rewrite an entry file with another payload and a header that checks out (as a bug, not damage, would leave it); whether it changed. */
function rewriteEntry(file, change) {
  const bytes = readFileSync(file);
  const eol = bytes.indexOf(10);
  const [magic, version, kind, key] = bytes.subarray(0, eol).toString('latin1').split(' ');
  const text = inflateRawSync(bytes.subarray(eol + 1)).toString('utf8');
  const changed = change(text);
  const payload = deflateRawSync(Buffer.from(changed, 'utf8'));
  const sum = createHash('sha1').update(payload).digest('hex');
  writeFileSync(file, Buffer.concat([Buffer.from(`${magic} ${version} ${kind} ${key} ${payload.length} ${sum}\n`, 'latin1'), payload]));
  return changed !== text;
}

test('facts entries whose references do not decode are ignored and rewritten', () => {
  const { dir, cache } = corpus();
  const cold = check(dir, ['--cache-dir', cache]);
  const changed = entries(cache).filter((name, i) => rewriteEntry(join(cache, name), (text) => (i % 2
    ? text.replace('"refs":[', '"refs":[[1,7,"later"],') // a reference built on one after it
    : text.replace(/\{"\$":\d+\}/, '{"$":999999}')))); // a reference the table does not have (a file without any stays as it was)
  assert.ok(changed.length > 200, `${changed.length} entries changed`);
  for (const name of entries(cache, 'result')) rmSync(join(cache, name));
  const damaged = check(dir, ['--cache-dir', cache, '--verbose']);
  assert.equal(damaged.stdout, cold.stdout);
  const { fromCache, files } = cacheCounts(damaged.stderr);
  assert.ok(fromCache <= entries(cache).length - changed.length, `${fromCache} of ${files} from the cache`);
  const again = check(dir, ['--cache-dir', cache, '--verbose']);
  assert.equal(again.stdout, cold.stdout);
  assert.equal(cacheCounts(again.stderr).parsed, 0, 'the entries were rewritten');
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
  await aged(); // so both write the record of read files too
  const args = ['check', 'src', '--format', 'json', '--cache-dir', cache];
  const [a, b] = await Promise.all([runAsync(args, dir), runAsync(args, dir)]);
  const cold = check(dir, ['--no-cache']);
  assert.equal(a.stdout, cold.stdout);
  assert.equal(b.stdout, cold.stdout);
  assert.deepEqual(readdirSync(cache).filter((n) => n.endsWith('.tmp')), []);
  const warm = check(dir, ['--cache-dir', cache, '--verbose']);
  assert.equal(warm.stdout, cold.stdout);
  assert.equal(cacheCounts(warm.stderr).parsed, 0, 'every entry the two wrote is whole');
  assert.equal(unreadCount(warm.stderr), cacheCounts(warm.stderr).files, 'the record of read files is whole');
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

/** Wait until files written now are older than the cache's racy window (2 s), as files of a checkout usually are. */
const aged = () => new Promise((resolve) => setTimeout(resolve, 2100));

/** The count of files the run did not read (their size and times were those recorded), 0 when none. */
function unreadCount(stderr) {
  return Number(/; (\d+) not even read/.exec(stderr)?.[1] ?? 0);
}

/** The same inversion-free file with the second function's order swapped: the same size, one LO101 more. */
const swapped = readFileSync(join(fixtures, 'LO101_ABBA_with_clean.py'), 'utf8')
  .replace(/(def two\(\):\n    with )a(:\n        with )b/, '$1b$2a');

test('an unchanged tree is not even read; an added, removed or edited file, or other settings, are a cold run\'s findings', async () => {
  const { dir, cache } = corpus();
  await aged();
  const opts = ['--cache-dir', cache, '--verbose'];
  const cold = check(dir, opts);
  const files = cacheCounts(cold.stderr).files;
  assert.equal(unreadCount(cold.stderr), 0);
  const warm = check(dir, opts);
  assert.equal(warm.stdout, cold.stdout);
  assert.match(warm.stderr, /the whole result too/);
  assert.equal(unreadCount(warm.stderr), files, warm.stderr);
  // SARIF shows source lines: the files not read are read for it.
  assert.equal(check(dir, [...opts, '--format', 'sarif']).stdout, check(dir, ['--no-cache', '--format', 'sarif']).stdout);

  const same = (label) => {
    const cached = check(dir, opts);
    const coldNow = check(dir, ['--no-cache']);
    assert.equal(cached.stdout, coldNow.stdout, label);
    assert.equal(cached.stderr.replace(/^lockorder: (parser|\d+ of).*\n/gm, ''), coldNow.stderr, label);
    return cached;
  };
  writeFileSync(join(dir, edited), inverted);
  const afterEdit = same('a file edited');
  assert.notEqual(afterEdit.stdout, cold.stdout);
  assert.deepEqual(cacheCounts(afterEdit.stderr), { fromCache: files - 1, files, parsed: 1 });
  assert.equal(unreadCount(afterEdit.stderr), files - 1, 'only the edited file is read');
  writeFileSync(join(dir, edited), readFileSync(join(fixtures, 'LO101_ABBA_with_clean.py')));
  assert.equal(same('the edit undone').stdout, cold.stdout);
  writeFileSync(join(dir, 'src', 'added.py'), inverted);
  const added = same('a file added');
  assert.notEqual(added.stdout, cold.stdout);
  assert.equal(cacheCounts(added.stderr).parsed, 1);
  rmSync(join(dir, 'src', 'added.py'));
  assert.equal(same('the file removed again').stdout, cold.stdout);
  writeFileSync(join(dir, 'lockorder.order'), 'a < b\n');
  same('an order file added');
  writeFileSync(join(dir, 'lockorder.order'), 'b < a\n');
  same('the order file changed');
  rmSync(join(dir, 'lockorder.order'));
  const ignoring = check(dir, [...opts, '--select', 'LO101']);
  assert.equal(ignoring.stdout, check(dir, ['--no-cache', '--select', 'LO101']).stdout);
  assert.doesNotMatch(ignoring.stderr, /whole result/);
});

test('a file rewritten with the same size and its old modification time is read again', async () => {
  const { dir, cache } = corpus();
  const file = join(dir, 'src', 'LO101_ABBA_with_clean.py');
  assert.equal(swapped.length, readFileSync(file, 'utf8').length);
  const hourAgo = Math.floor(Date.now() / 1000) - 3600; // whole seconds: set again exactly below
  utimesSync(file, hourAgo, hourAgo);
  await aged();
  const opts = ['--cache-dir', cache, '--verbose'];
  const before = check(dir, opts);
  writeFileSync(file, swapped); // as `cp -p` or `rsync -t` would: same size, same mtime, only ctime tells
  utimesSync(file, hourAgo, hourAgo);
  assert.equal(statSync(file).mtimeMs, hourAgo * 1000);
  const after = check(dir, opts);
  assert.notEqual(after.stdout, before.stdout, 'the swap adds an inversion');
  assert.equal(after.stdout, check(dir, ['--no-cache']).stdout);
  assert.equal(cacheCounts(after.stderr).parsed, 1);
  // Just written: within the racy window the file is read every run, never vouched for by its times.
  writeFileSync(file, readFileSync(join(fixtures, 'LO101_ABBA_with_clean.py')));
  const racy = check(dir, opts);
  assert.equal(racy.stdout, before.stdout);
  assert.equal(unreadCount(racy.stderr), cacheCounts(racy.stderr).files - 1);
});

test('a damaged record of read files is ignored and written again', async () => {
  const { dir, cache } = corpus();
  await aged();
  const opts = ['--cache-dir', cache, '--verbose'];
  const cold = check(dir, opts);
  const [name] = entries(cache, 'stats');
  assert.ok(name, 'the record is an entry of its own');
  const entry = readFileSync(join(cache, name));
  const version = entry.toString('latin1').split(' ')[1];
  // Damaged four ways: truncated, a bit flipped, well formed but not a record, a record of another shape.
  const payloads = [entry.subarray(0, entry.length >> 1), Buffer.from(entry).fill(0x41, entry.length - 2),
    writtenEntry(version, name, '{"not": "a record"}'), writtenEntry(version, name, '[["/x", [1, 2]], 7]')];
  for (const bytes of payloads) {
    writeFileSync(join(cache, name), bytes);
    const r = check(dir, opts);
    assert.equal(r.stdout, cold.stdout);
    assert.equal(unreadCount(r.stderr), 0);
    assert.equal(unreadCount(check(dir, opts).stderr), cacheCounts(r.stderr).files, 'written again');
  }
});

/** An entry file as the cache writes it (header line, deflated payload). */
function writtenEntry(version, name, text) {
  const payload = deflateRawSync(Buffer.from(text));
  const [key, kind] = name.split('.');
  const sum = createHash('sha1').update(payload).digest('hex');
  return Buffer.concat([Buffer.from(`lockorder-cache ${version} ${kind} ${key} ${payload.length} ${sum}\n`, 'latin1'), payload]);
}
