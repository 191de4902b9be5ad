// The analysis cache's record of read files (server/src/analysis/cache/statIndex.ts), compiled in
// memory and run over an in-memory folder: a file is vouched for by its record only when every
// stat value matches and its times were not racy when it was read; the record survives a save,
// a damaged one reads as empty, and a record past its bound keeps only the files of the last run.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { buildSync } = require('esbuild');

function load() {
  const out = buildSync({ entryPoints: [join(root, 'server', 'src', 'analysis', 'cache', 'statIndex.ts')], bundle: true,
    platform: 'node', format: 'cjs', write: false, logLevel: 'silent' });
  const module = { exports: {} };
  new Function('module', 'exports', 'require', out.outputFiles[0].text)(module, module.exports, require);
  return module.exports;
}
const { StatIndex, RACY_MS } = load();

/** A cache folder in memory: what DiskCache's get and put do, without the files. */
function memoryDisk() {
  const stored = new Map();
  return { stored, get: (kind, key) => stored.get(`${key}.${kind}`), put: (kind, key, text) => stored.set(`${key}.${kind}`, text) };
}

const now = Date.now();
const old = { size: 120, mtimeMs: now - 3600_000, ctimeMs: now - 3600_000, ino: 77, dev: 2049 };

test('a recorded file is vouched for only while its size, times, inode and device all match', () => {
  const index = new StatIndex(memoryDisk(), 'k');
  index.record('/p/a.py', old, now, 'hash-a');
  assert.equal(index.hashOf('/p/a.py', { ...old }), 'hash-a');
  for (const [field, value] of [['size', 121], ['mtimeMs', old.mtimeMs + 1], ['ctimeMs', old.ctimeMs + 0.5], ['ino', 78], ['dev', 2050]]) {
    assert.equal(index.hashOf('/p/a.py', { ...old, [field]: value }), undefined, field);
  }
  assert.equal(index.hashOf('/p/b.py', old), undefined);
});

test('a file modified or changed within the racy window of its reading is not recorded, and forgets its old record', () => {
  const index = new StatIndex(memoryDisk(), 'k');
  index.record('/p/a.py', old, now, 'hash-a');
  index.record('/p/a.py', { ...old, mtimeMs: now - RACY_MS + 5 }, now, 'hash-new');
  assert.equal(index.hashOf('/p/a.py', { ...old, mtimeMs: now - RACY_MS + 5 }), undefined);
  assert.equal(index.hashOf('/p/a.py', old), undefined, 'the old record is gone too');
  index.record('/p/c.py', { ...old, ctimeMs: now - 10 }, now, 'hash-c');
  assert.equal(index.hashOf('/p/c.py', { ...old, ctimeMs: now - 10 }), undefined, 'a recent ctime is racy too');
  index.record('/p/c.py', { ...old, ctimeMs: now - RACY_MS - 1 }, now, 'hash-c');
  assert.equal(index.hashOf('/p/c.py', { ...old, ctimeMs: now - RACY_MS - 1 }), 'hash-c');
});

test('the record is saved only when changed, read back by the next run, and a damaged one reads as empty', () => {
  const disk = memoryDisk();
  const first = new StatIndex(disk, 'k');
  first.record('/p/a.py', old, now, 'hash-a');
  first.save();
  assert.equal(disk.stored.size, 1);
  assert.equal(new StatIndex(disk, 'k').hashOf('/p/a.py', old), 'hash-a');
  const unchanged = new StatIndex(disk, 'k');
  unchanged.record('/p/a.py', old, now, 'hash-a');
  disk.stored.clear();
  unchanged.save();
  assert.equal(disk.stored.size, 0, 'nothing new, nothing written');
  for (const text of ['', 'not json', '{"a": 1}', '[["/p/a.py", [120, 1, 2, 3]]]', '[["/p/a.py", [120, 1, 2, 3, 4, 5]]]', '[7, null]']) {
    disk.stored.set('k.stats', text);
    assert.equal(new StatIndex(disk, 'k').hashOf('/p/a.py', old), undefined, text);
  }
});

test('past its bound the record keeps only the files this run saw', () => {
  const disk = memoryDisk();
  const many = Array.from({ length: 100_001 }, (_, i) => [`/p/f${i}.py`, [1, 1, 1, i, 1, `h${i}`]]);
  disk.put('stats', 'k', JSON.stringify(many));
  const index = new StatIndex(disk, 'k');
  assert.equal(index.hashOf('/p/f5.py', { size: 1, mtimeMs: 1, ctimeMs: 1, ino: 5, dev: 1 }), 'h5');
  index.record('/p/new.py', old, now, 'hash-new');
  index.save();
  const kept = JSON.parse(disk.get('stats', 'k'));
  assert.deepEqual(kept.map(([p]) => p).sort(), ['/p/f5.py', '/p/new.py']);
});
