// The TypeScript front end (ts-morph and the TypeScript compiler) is loaded through V8's code
// cache, kept in the user's cache folder (here LOCKORDER_CODE_CACHE_DIR): the first run writes
// it, later runs use it, and a corrupt, truncated or unwritable cache only costs speed. The
// findings are the same in every case, and LOCKORDER_NO_CODE_CACHE=1 turns it off.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const fixture = join(root, 'test', 'fixtures', 'typescript', 'LO101_runExclusive.ts');
const temp = mkdtempSync(join(tmpdir(), 'lockorder-code-cache-'));
after(() => rmSync(temp, { recursive: true, force: true }));

/** One `lockorder check` of the fixture with the given environment. */
function check(env) {
  const r = spawnSync(process.execPath, [join(root, 'dist', 'cli.js'), 'check', fixture, '--no-cache', '--format', 'json'],
    { encoding: 'utf8', env: { ...process.env, ...env } });
  assert.equal(r.status, 1, r.stderr);
  assert.equal(r.stderr, '');
  return JSON.parse(r.stdout).findings.map((f) => `${f.code} ${f.line}:${f.column} ${f.message}`);
}

describe('V8 code cache of the TypeScript front end', () => {
  it('is written by the first run and used by the next, with the same findings', () => {
    const dir = join(temp, 'fresh');
    const first = check({ LOCKORDER_CODE_CACHE_DIR: dir });
    assert.ok(first.some((f) => f.startsWith('LO101')), first.join('\n'));
    const files = readdirSync(dir);
    assert.equal(files.length, 1);
    assert.match(files[0], /^tsFrontEnd-[0-9a-f]+\.bin$/);
    const written = statSync(join(dir, files[0])).mtimeMs;
    assert.deepEqual(check({ LOCKORDER_CODE_CACHE_DIR: dir }), first);
    assert.equal(statSync(join(dir, files[0])).mtimeMs, written, 'a cache V8 accepted is not written again');
  });

  it('a corrupt or truncated cache gives the same findings and is rewritten', () => {
    const dir = join(temp, 'corrupt');
    const first = check({ LOCKORDER_CODE_CACHE_DIR: dir });
    const [name] = readdirSync(dir);
    const good = readFileSync(join(dir, name));
    for (const bad of [Buffer.from('not V8 code at all'), good.subarray(0, good.length >> 1)]) {
      writeFileSync(join(dir, name), bad);
      assert.deepEqual(check({ LOCKORDER_CODE_CACHE_DIR: dir }), first);
      const now = readFileSync(join(dir, name));
      assert.ok(!now.equals(bad) && now.length > good.length * 0.9, `rewritten whole (${now.length} bytes, was ${good.length})`);
    }
  });

  it('an unwritable cache folder, or LOCKORDER_NO_CODE_CACHE=1, gives the same findings and writes nothing', () => {
    const first = check({ LOCKORDER_CODE_CACHE_DIR: join(temp, 'reference') });
    const blocker = join(temp, 'a-file');
    writeFileSync(blocker, '');
    assert.deepEqual(check({ LOCKORDER_CODE_CACHE_DIR: join(blocker, 'cache') }), first);
    const off = join(temp, 'off');
    assert.deepEqual(check({ LOCKORDER_CODE_CACHE_DIR: off, LOCKORDER_NO_CODE_CACHE: '1' }), first);
    assert.throws(() => readdirSync(off), /ENOENT/);
  });
});
