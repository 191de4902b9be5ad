// The language server's workspace index meets files that are not ordinary sources: a FIFO
// and /dev/zero behind `.py` symbolic links, a self-looping link, an oversized file, and a link
// to a source outside the workspace. Each is logged and skipped without being read, and the
// index still completes and publishes the findings of the other files. (Spawns dist/server.js;
// build first.)

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startServer, uriOf, workspaceFrom } from './lsp-client.mjs';

describe('lsp: special files in the workspace index', () => {
  let ws, server, outside;
  before(async () => {
    ws = workspaceFrom('cross');
    outside = mkdtempSync(join(tmpdir(), 'lockorder-outside-'));
    writeFileSync(join(outside, 'secret.py'), 'import threading\na = threading.Lock()\nb = threading.Lock()\n'
      + 'def f():\n    with a:\n        with b:\n            pass\ndef g():\n    with b:\n        with a:\n            pass\n');
    symlinkSync(join(outside, 'secret.py'), join(ws.dir, 'lib.py'));
    execFileSync('mkfifo', [join(ws.dir, 'pipe')]);
    symlinkSync(join(ws.dir, 'pipe'), join(ws.dir, 'pipe.py'));
    symlinkSync('/dev/zero', join(ws.dir, 'zero.py'));
    symlinkSync('loop.py', join(ws.dir, 'loop.py'));
    writeFileSync(join(ws.dir, 'huge.py'), '#'.repeat(4 * 1024 * 1024 + 1));
    server = await startServer({ workspace: ws.dir });
  });
  after(async () => { await server.stop(); ws.cleanup(); rmSync(outside, { recursive: true, force: true }); });

  it('logs each one as skipped and still indexes and publishes the other files', async () => {
    await server.waitForIndex();
    await server.waitForDiagnostics(uriOf(join(ws.dir, 'locks.py')), (p) => p.diagnostics.some((d) => d.code === 'LO101'));
    const logged = (name, reason) => server.logs.some((l) => l.includes(`${name}: skipped: ${reason}`));
    assert.ok(logged('pipe.py', 'not a regular file (a FIFO)'), server.logs.join('\n'));
    assert.ok(logged('zero.py', 'a symbolic link to a file outside the workspace'), server.logs.join('\n'));
    assert.ok(logged('lib.py', 'a symbolic link to a file outside the workspace'), server.logs.join('\n'));
    assert.equal(server.diagnostics.get(uriOf(join(ws.dir, 'lib.py'))), undefined, 'the outside file is not analyzed');
    assert.ok(logged('loop.py', 'symbolic link loop'), server.logs.join('\n'));
    assert.ok(logged('huge.py', 'larger than the 4 MB size limit'), server.logs.join('\n'));
    assert.ok(server.alive());
  });
});
