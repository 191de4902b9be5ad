// The fuzzer's workspace: real CPython stdlib modules about threads and locks, copied into a
// temporary folder (the stdlib of the python3 on PATH), of which some are opened and edited.

import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** Modules opened and edited. */
export const openedModules = [
  'threading.py', 'queue.py', 'logging/__init__.py', 'concurrent/futures/thread.py', 'multiprocessing/pool.py', 'asyncio/locks.py',
];

/** Modules in the workspace but never opened (their findings can still change with the others'). */
export const closedModules = ['logging/handlers.py', 'concurrent/futures/_base.py', 'asyncio/queues.py'];

/** The stdlib folder of the python3 on PATH. */
export function stdlibDir() {
  const run = spawnSync('python3', ['-c', 'import sysconfig;print(sysconfig.get_paths()["stdlib"])'], { encoding: 'utf8' });
  if (run.status !== 0 || !run.stdout.trim()) throw new Error('python3 is needed to find the stdlib modules the fuzzer edits');
  return run.stdout.trim();
}

/** Copy the modules into a fresh temporary folder; `files` are { rel, path, text, open }. */
export function makeWorkspace(stdlib = stdlibDir()) {
  const dir = mkdtempSync(join(tmpdir(), 'lockorder-fuzz-'));
  const files = [...openedModules.map((rel) => ({ rel, open: true })), ...closedModules.map((rel) => ({ rel, open: false }))].map((f) => {
    const path = join(dir, f.rel);
    mkdirSync(dirname(path), { recursive: true });
    cpSync(join(stdlib, f.rel), path);
    return { ...f, path, text: readFileSync(path, 'utf8') };
  });
  return { dir, files, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
