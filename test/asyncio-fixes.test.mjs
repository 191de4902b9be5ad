// Quick fixes whose target is an asyncio primitive must produce code that runs: asyncio locks
// have no `__enter__`, so `with` must become `async with`, and fixes that only exist for
// threading locks (RLock, lockorder.acquire) must not be offered for them.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { applyEdits, root } from './lsp-client.mjs';

const { analyze } = (await import('node:module')).createRequire(import.meta.url)(join(root, 'dist', 'analysis.js'));
const fixtures = join(root, 'test', 'fixtures', 'python');

/** The findings of one fixture file, analyzed alone. */
async function findingsOf(name, text = readFileSync(join(fixtures, name), 'utf8')) {
  const path = join(fixtures, name);
  return { path, text, findings: (await analyze([{ path, text }], {})).findings };
}

/** Run a Python source as a script in a temporary folder; returns its exit status and output. */
function runPython(text) {
  const dir = mkdtempSync(join(tmpdir(), 'lockorder-asyncio-'));
  try {
    writeFileSync(join(dir, 'script.py'), text);
    const r = spawnSync('python3', [join(dir, 'script.py')], { encoding: 'utf8', timeout: 30_000 });
    return { status: r.status, out: `${r.stdout}${r.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('fixes on asyncio locks', () => {
  it('LO104 on `await lock.acquire()` says `async with`, and its fix gives code that runs', async () => {
    const { text, findings } = await findingsOf('LO104_asyncio_early_return.py');
    const lo104 = findings.filter((f) => f.code === 'LO104');
    assert.equal(lo104.length, 1);
    assert.match(lo104[0].message, /Use `async with self\._lock:` instead/);
    const fix = lo104[0].fixes[0];
    assert.ok(fix, 'LO104 offers the block fix');
    assert.match(fix.title, /^Use `async with self\._lock:`/);
    assert.equal(fix.safe, true, 'no release between the pair: nothing else changes');
    const fixed = applyEdits(text, fix.edits);
    assert.match(fixed, /^ {8}async with self\._lock:$/m);
    const before = runPython(text);
    assert.notEqual(before.status, 0, 'the unfixed script leaks the lock, so its second update times out');
    const after = runPython(fixed);
    assert.equal(after.status, 0, `the fixed script should run:\n${fixed}\n${after.out}`);
    assert.match(after.out, /\[1\]/);
    const again = await findingsOf('LO104_asyncio_early_return.py', fixed);
    assert.deepEqual(again.findings.filter((f) => f.code === 'LO104'), [], 'the fix removes the finding');
  });

  it('LO104 on a threading lock still gets `with`', async () => {
    const { text, findings } = await findingsOf('LO104_early_return.py');
    const fix = findings.find((f) => f.code === 'LO104')?.fixes[0];
    assert.ok(fix);
    assert.match(fix.title, /^Use `with items_lock:` instead of acquire\(\)\/release\(\)$/);
    assert.match(applyEdits(text, fix.edits), /^ {4}with items_lock:$/m);
  });

  it('LO101 between asyncio locks offers no merge into the threading-only acquire()', async () => {
    const { findings } = await findingsOf('LO101_asyncio_nested_direct.py');
    const lo101 = findings.filter((f) => f.code === 'LO101');
    assert.equal(lo101.length, 1);
    const merging = lo101[0].fixes.filter((f) => f.edits.some((e) => /acquire\(/.test(e.newText)));
    assert.deepEqual(merging.map((f) => f.title), []);
  });

  it('LO102 on an asyncio lock offers no RLock (asyncio has none) and speaks of a task', async () => {
    const { findings } = await findingsOf('LO102_asyncio_nested.py');
    const lo102 = findings.filter((f) => f.code === 'LO102');
    assert.equal(lo102.length, 1);
    assert.match(lo102[0].message, /an `asyncio\.Lock` is not reentrant, so the task waits for itself forever/);
    assert.deepEqual(lo102[0].fixes.filter((f) => /RLock/.test(f.title)).map((f) => f.title), []);
  });
});

describe('LO104 fix safety', () => {
  it('is unsafe, naming the line, when the code between the pair also releases the lock', async () => {
    const text = [
      'import threading',
      'lock = threading.Lock()',
      'def f(a, b):',
      '    lock.acquire()',
      '    if a:',
      '        lock.release()',
      '        lock.acquire()',
      '    if b:',
      '        return',
      '    lock.release()',
      '',
    ].join('\n');
    const { findings } = await findingsOf('inline_double_release.py', text);
    const fix = findings.find((f) => f.code === 'LO104')?.fixes[0];
    assert.ok(fix, `LO104 with a fix expected, got ${JSON.stringify(findings.map((f) => f.code))}`);
    assert.equal(fix.safe, false);
    assert.match(fix.title, /unsafe: line 6 also releases it/);
  });
});
