// Test helper for the runtime-report protocol tests: a threaded program, fresh temporary
// workspaces, records in the runtime's schema (version 1), and waiting on the server.

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lineOf, uriOf } from './lsp-client.mjs';

/** A program whose inversion the static analysis cannot see: the locks are passed in. */
export const shop = `"""Shop: the stock and orders locks are made in main() and passed to the workers."""

import threading


def restock(stock, orders):
    """Take stock, then orders."""
    with stock:
        with orders:
            pass


def checkout(stock, orders):
    """Take orders, then stock: the opposite order."""
    with orders:
        with stock:
            pass


def main():
    """Run both workers one after the other, so it never hangs."""
    stock = threading.Lock()
    orders = threading.Lock()
    for job in (restock, checkout):
        worker = threading.Thread(target=job, args=(stock, orders), name=job.__name__)
        worker.start()
        worker.join()


if __name__ == "__main__":
    main()
`;

/** A fresh temporary folder holding `files` (name → text) and an empty `.lockorder/` unless `reports` is false. */
export function workspace(files, { reports = true, parent } = {}) {
  const dir = parent ? join(parent, 'ws') : mkdtempSync(join(tmpdir(), 'lockorder-rt-'));
  if (parent) mkdirSync(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  if (reports) mkdirSync(join(dir, '.lockorder'));
  return { dir, cleanup: () => rmSync(parent ?? dir, { recursive: true, force: true }) };
}

/** A fresh temporary folder for things outside the workspace (removed by `cleanup`). */
export function scratch(prefix = 'lockorder-outside-') {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A frame of `file` at the 1-based line holding `needle`, with that line's code, as the runtime writes it. */
export function frame(file, needle, fn, after = '') {
  const text = readFileSync(file, 'utf8');
  const line = lineOf(text, needle, after) + 1;
  return { file, line, function: fn, code: text.split('\n')[line - 1].trim() };
}

/** The shop's inversion as the runtime reports it (LO101, threads restock and checkout). */
export function shopRecord(file, { argv = ['shop.py'], test } = {}) {
  return {
    version: 1, rule: 'LO101', name: 'lock-order-inversion', message: 'Lock-order inversion', time: new Date().toISOString(),
    pid: 1, thread: 'checkout', argv, ...(test ? { test } : {}),
    locks: [
      { id: 1, name: 'stock', kind: 'Lock', created: frame(file, 'stock = threading.Lock()', 'main') },
      { id: 2, name: 'orders', kind: 'Lock', created: frame(file, 'orders = threading.Lock()', 'main') },
    ],
    edges: [
      { from: 1, to: 2, thread: 'restock', stack: [frame(file, 'with orders:', 'restock')] },
      { from: 2, to: 1, thread: 'checkout', stack: [frame(file, 'with stock:', 'checkout', 'def checkout')] },
    ],
  };
}

/** An LO102 record: `thread` takes lock `name` again at `site` (a frame) while holding it. */
export function selfDeadlock(file, site, { name = 'stock', thread = 'worker' } = {}) {
  return {
    version: 1, rule: 'LO102', name: 'self-deadlock', message: 'Self-deadlock', time: new Date().toISOString(), pid: 1,
    thread, argv: ['shop.py'],
    locks: [{ id: 1, name, kind: 'Lock', created: frame(file, 'stock = threading.Lock()', 'main') }],
    edges: [{ from: 1, to: 1, thread, role: 'acquire', stack: [site] }],
  };
}

/** One JSON line. */
export const line = (record) => `${JSON.stringify(record)}\n`;

/** The runtime-only diagnostics of a publication. */
export const runtimeOnly = (p) => (p?.diagnostics ?? []).filter((d) => d.source === 'lockorder' && /observed at run time/.test(d.message));

/** Tell the server that files changed on disk (1 created, 2 changed, 3 deleted). */
export function watched(server, paths, type = 2) {
  void server.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: paths.map((p) => ({ uri: uriOf(p), type })) });
}

/** Wait until `check()` holds (for log lines), or fail. */
export async function until(check, what, timeoutMs = 5000) {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
