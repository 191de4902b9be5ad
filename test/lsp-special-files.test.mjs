// The language server's workspace index meets files that are not ordinary sources: a FIFO
// and /dev/zero behind `.py` symbolic links, a self-looping link and an oversized file. Each
// is logged and skipped without being read, and the index still completes and publishes the
// findings of the other files. (Spawns dist/server.js; build first.)

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startServer, uriOf, workspaceFrom } from './lsp-client.mjs';

describe('lsp: special files in the workspace index', () => {
  let ws, server;
  before(async () => {
    ws = workspaceFrom('cross');
    execFileSync('mkfifo', [join(ws.dir, 'pipe')]);
    symlinkSync(join(ws.dir, 'pipe'), join(ws.dir, 'pipe.py'));
    symlinkSync('/dev/zero', join(ws.dir, 'zero.py'));
    symlinkSync('loop.py', join(ws.dir, 'loop.py'));
    writeFileSync(join(ws.dir, 'huge.py'), '#'.repeat(4 * 1024 * 1024 + 1));
    server = await startServer({ workspace: ws.dir });
  });
  after(async () => { await server.stop(); ws.cleanup(); });

  it('logs each one as skipped and still indexes and publishes the other files', async () => {
    await server.waitForIndex();
    await server.waitForDiagnostics(uriOf(join(ws.dir, 'locks.py')), (p) => p.diagnostics.some((d) => d.code === 'LO101'));
    const logged = (name, reason) => server.logs.some((l) => l.includes(`${name}: skipped: ${reason}`));
    assert.ok(logged('pipe.py', 'not a regular file (a FIFO)'), server.logs.join('\n'));
    assert.ok(logged('zero.py', 'not a regular file (a character device)'), server.logs.join('\n'));
    assert.ok(logged('loop.py', 'symbolic link loop'), server.logs.join('\n'));
    assert.ok(logged('huge.py', 'larger than the 4 MB size limit'), server.logs.join('\n'));
    assert.ok(server.alive());
  });
});
