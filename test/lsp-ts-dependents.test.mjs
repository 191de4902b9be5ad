// A TS file's findings depend on what it imports: a wrapper's body, a lock's type. The language
// server walks a file again when a file it used changes, so its diagnostics follow an edit of
// the imported file (user.ts imports locks.ts; both open, only locks.ts is edited).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startServer, uriOf, workspaceFrom } from './lsp-client.mjs';

let ws;
let server;
before(async () => {
  ws = workspaceFrom('typescript-imports');
  server = await startServer({ workspace: ws.dir });
  await server.waitForIndex();
});
after(async () => {
  await server.stop();
  ws.cleanup();
});

const codes = (pub) => pub.diagnostics.map((d) => d.code).sort().join(',');

describe('lsp: a TS file whose import changes', () => {
  it('gets the findings of the imported file as edited: the wrapper taking another lock, the lock becoming a counting semaphore', async () => {
    const userPath = join(ws.dir, 'user.ts');
    const locksPath = join(ws.dir, 'locks.ts');
    const user = server.open(userPath, readFileSync(userPath, 'utf8'), uriOf(userPath), 'typescript');
    assert.equal(codes(await server.waitForDiagnostics(user, (p) => p.version === 1)), 'LO101', 'ledger then journal in post, the other order in close');
    const locksText = readFileSync(locksPath, 'utf8');
    const locks = server.open(locksPath, locksText, uriOf(locksPath), 'typescript');
    await server.waitForDiagnostics(locks, (p) => p.version === 1);

    // The wrapper now takes journal: post takes journal under journal (its own chain waits for itself).
    const journalWrapper = locksText.replace('return ledger.runExclusive(fn);', 'return journal.runExclusive(fn);');
    server.change(locks, [{ text: journalWrapper }]);
    const reentry = await server.waitForDiagnostics(user, (p) => codes(p) === 'LO102', 10000);
    assert.match(reentry.diagnostics[0].message, /journal/);

    // journal becomes a semaphore of two permits: taking it twice need not block, and nothing is left.
    const semaphore = journalWrapper.replace("import { Mutex } from 'async-mutex';", "import { Mutex, Semaphore } from 'async-mutex';")
      .replace('export const journal = new Mutex();', 'export const journal = new Semaphore(2);');
    server.change(locks, [{ text: semaphore }]);
    await server.waitForDiagnostics(user, (p) => codes(p) === '', 10000);

    // Back to the file on disk: the inversion is back.
    server.change(locks, [{ text: locksText }]);
    await server.waitForDiagnostics(user, (p) => codes(p) === 'LO101', 10000);
  });
});
