// One finding reads the same everywhere: the CLI's JSON and the editor's diagnostic give the same
// message and related messages, whatever order the files are analyzed in; messages never nest
// parentheses, every call on a chain says what it calls, and a test's threads do not label
// library code. Also: an LO104's "line N" is a real exit, and a release in a `with` body counts.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { root, startServer, uriOf } from './lsp-client.mjs';

const { analyze } = createRequire(import.meta.url)(join(root, 'dist', 'analysis.js'));
const fixtures = join(root, 'test', 'fixtures', 'python');
const folder = join(fixtures, 'LO107_same_everywhere');
const names = ['pool.py', 'stream.py', 'workers.py', join('tests', 'test_pool.py')];

/** A finding as a reader sees it: its message and its related messages. */
const reading = (message, related) => ({ message, related: related.map((r) => r.message) });

/** The deepest nesting of parentheses in a text. */
function parenDepth(text) {
  let depth = 0;
  let max = 0;
  for (const c of text) {
    if (c === '(') max = Math.max(max, ++depth);
    if (c === ')') depth--;
  }
  return max;
}

async function engineReading(order) {
  const files = order.map((n) => ({ path: join(folder, n), text: readFileSync(join(folder, n), 'utf8') }));
  return (await analyze(files, {})).findings.map((f) => reading(f.message, f.related));
}

describe('one LO107 reads the same everywhere', () => {
  let dir;
  let server;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'lockorder-same-'));
    cpSync(folder, dir, { recursive: true });
  });
  after(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('names the same example holder whatever order the files are analyzed in', async () => {
    const forward = await engineReading(names);
    const backward = await engineReading([...names].reverse());
    assert.equal(forward.length, 1);
    assert.deepEqual(backward, forward);
    assert.match(forward[0].message, /: for example on line 19, in `Pool\.grow` \(thread `grower`\)\.$/);
  });

  it('never nests parentheses, says what each call on the way calls, and lists no test as a thread', async () => {
    const [f] = await engineReading(names);
    for (const text of [f.message, ...f.related]) {
      assert.ok(parenDepth(text) <= 1, `nested parentheses in: ${text}`);
      assert.doesNotMatch(text, /\(\(|\)\)/);
      assert.doesNotMatch(text, /test_grow_races|Event\.wait/, `a test's thread named as a thread: ${text}`);
    }
    assert.ok(!f.related.includes('called on the way'), JSON.stringify(f.related));
    assert.deepEqual(f.related.filter((m) => /called here/.test(m)), [
      '`Pool.release` called here, on the way to `Pool._lock`',
      '`Pool._give_back` called here, on the way to `Pool._lock`',
    ]);
  });

  it("the CLI's JSON and the editor's diagnostic give the same message and related messages", async () => {
    const cli = spawnSync(process.execPath, [join(root, 'dist', 'cli.js'), 'check', dir, '--format', 'json'], { encoding: 'utf8' });
    assert.equal(cli.status, 1, cli.stderr);
    const fromCli = JSON.parse(cli.stdout).findings.filter((f) => f.code === 'LO107').map((f) => reading(f.message, f.related));
    assert.equal(fromCli.length, 1);
    server = await startServer({ workspace: dir });
    // Opened first, the holder's file is the first one the editor analyzes.
    server.open(join(dir, 'workers.py'));
    await server.waitForIndex();
    const pub = await server.waitForDiagnostics(uriOf(join(dir, 'pool.py')), (p) => p.diagnostics.some((d) => d.code === 'LO107'));
    const fromEditor = pub.diagnostics.filter((d) => d.code === 'LO107').map((d) => reading(d.message, d.relatedInformation ?? []));
    assert.deepEqual(fromEditor, fromCli);
    // An edit re-analyzes pool.py alone: the example must not change with it.
    const uri = server.open(join(dir, 'pool.py'));
    const version = server.change(uri, [{ text: `${readFileSync(join(dir, 'pool.py'), 'utf8')}# edited\n` }]);
    const edited = await server.waitForDiagnostics(uri, (p) => p.version === version);
    const afterEdit = edited.diagnostics.filter((d) => d.code === 'LO107').map((d) => reading(d.message, d.relatedInformation ?? []));
    assert.deepEqual(afterEdit, fromCli);
  });
});

describe('LO104 names a real exit', () => {
  it('a release under an `if` in a `with` body: the exit is the `if` (no else), not the release', async () => {
    const name = 'LO104_release_in_with_one_branch.py';
    const text = readFileSync(join(fixtures, name), 'utf8');
    const [f] = (await analyze([{ path: join(fixtures, name), text }], {})).findings.filter((x) => x.code === 'LO104');
    assert.ok(f, 'LO104 reported');
    const ifLine = text.split('\n').findIndex((l) => l.trim() === 'if items:') + 1;
    assert.match(f.message, new RegExp(`with it held \\(line ${ifLine}\\)`));
    assert.equal(f.related[0].location.range.start.line + 1, ifLine);
  });

  it('a release in an `async with` body is a release on every path', async () => {
    const name = 'LO104_release_in_async_with_clean.py';
    const text = readFileSync(join(fixtures, name), 'utf8');
    const found = (await analyze([{ path: join(fixtures, name), text }], {})).findings;
    assert.deepEqual(found.map((f) => `${f.code} ${f.message}`), []);
  });
});
