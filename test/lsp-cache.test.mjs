// The language server's analysis cache: the folder the client names in initializationOptions
// (VS Code passes its workspace storage), else .lockorder/cache in the workspace. A reopened
// workspace shows its last diagnostics at once (without fixes, which may be stale), then the
// index reads the files, takes unchanged files' facts from the cache, and publishes what the
// files say now: the same diagnostics a session without the cache publishes.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root, startServer, uriOf } from './lsp-client.mjs';

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

const clean = 'import threading\n\nlock = threading.Lock()\n\n\ndef f():\n    with lock:\n        pass\n';

/** A fresh temporary folder (removed at the end of the test). */
function tempDir(t, files = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'lockorder-lsp-cache-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** Every URI's diagnostics after the index, as a user sees them (without empty lists). */
async function indexedDiagnostics(server) {
  await server.waitForIndex(60000);
  await new Promise((r) => setTimeout(r, 300));
  const out = {};
  for (const [uri, p] of [...server.diagnostics].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (p.diagnostics.length) out[uri] = p.diagnostics;
  }
  return out;
}

test('a reopened workspace shows its last diagnostics at once, then what the files say now', async (t) => {
  const ws = tempDir(t, { 'app.py': inverted, 'other.py': clean });
  const cacheDir = join(tempDir(t), 'storage');
  const app = uriOf(join(ws, 'app.py'));

  const first = await startServer({ workspace: ws, init: { cacheDir } });
  const shown = await first.waitForDiagnostics(app, (p) => p.diagnostics.some((d) => d.code === 'LO101'), 20000);
  assert.ok(shown.diagnostics.some((d) => d.data), 'a live diagnostic carries its fixes');
  await first.waitForIndex();
  await first.stop();
  assert.ok(readdirSync(cacheDir).some((n) => n.endsWith('.named')), 'the diagnostics were saved');
  assert.ok(readdirSync(cacheDir).some((n) => n.endsWith('.facts')), 'the facts were saved');

  // Fixed while the editor was closed: the last session's finding shows first, then goes.
  writeFileSync(join(ws, 'app.py'), clean);
  const second = await startServer({ workspace: ws, init: { cacheDir } });
  const restored = await second.waitForDiagnostics(app, (p) => p.diagnostics.length > 0, 20000);
  assert.deepEqual(restored.diagnostics.map((d) => d.code), shown.diagnostics.map((d) => d.code));
  assert.ok(restored.diagnostics.every((d) => d.data === undefined), 'no stale fixes');
  await second.waitForDiagnostics(app, (p) => p.diagnostics.length === 0, 20000);
  await second.waitForIndex();
  assert.ok(second.logs.some((l) => /1 of 2 files' facts came from the cache/.test(l)), second.logs.join('\n'));
  await second.stop();
});

test('a session with the cache publishes what a session without it publishes, after an edit on disk', async (t) => {
  const ws = tempDir(t);
  cpSync(join(root, 'test', 'fixtures', 'python'), ws, { recursive: true });
  const cacheDir = join(tempDir(t), 'storage');
  const filling = await startServer({ workspace: ws, init: { cacheDir } });
  await filling.waitForIndex(60000);
  await filling.stop();
  writeFileSync(join(ws, 'LO101_ABBA_with_clean.py'), inverted);

  const cached = await startServer({ workspace: ws, init: { cacheDir } });
  const withCache = await indexedDiagnostics(cached);
  const counts = cached.logs.map((l) => /(\d+) of (\d+) files' facts came from the cache/.exec(l)).find(Boolean);
  assert.ok(counts, cached.logs.join('\n'));
  assert.equal(Number(counts[1]), Number(counts[2]) - 1, 'only the edited file was parsed');
  await cached.stop();
  const cold = await startServer({ workspace: ws, init: { cacheDir: false } });
  const withoutCache = await indexedDiagnostics(cold);
  await cold.stop();
  assert.ok(withoutCache[uriOf(join(ws, 'LO101_ABBA_with_clean.py'))], 'the edit is seen');
  assert.deepEqual(withCache, withoutCache);
});

test('other editors keep the cache in .lockorder/cache; an unwritable folder is one warning', async (t) => {
  const ws = tempDir(t, { 'app.py': inverted });
  const plain = await startServer({ workspace: ws });
  await plain.waitForIndex();
  await plain.stop();
  assert.ok(readdirSync(join(ws, '.lockorder', 'cache')).some((n) => n.endsWith('.facts')));

  const blocked = tempDir(t, { 'app.py': inverted, blocker: 'a file' });
  const server = await startServer({ workspace: blocked, init: { cacheDir: join(blocked, 'blocker', 'cache') } });
  await server.waitForDiagnostics(uriOf(join(blocked, 'app.py')), (p) => p.diagnostics.some((d) => d.code === 'LO101'), 20000);
  await server.waitForIndex();
  await server.stop();
  assert.equal(server.logs.filter((l) => /cannot write the analysis cache/.test(l)).length, 1, server.logs.join('\n'));
  assert.equal(existsSync(join(blocked, '.lockorder')), false);
});
