// Helpers shared by the cli-*.test.mjs files: temporary projects, running the built CLI
// (`node dist/cli.js`, with an optional time limit so a hang fails instead of blocking), and
// a small program with a lock-order inversion.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
/** The built CLI (run `npm run build` first). */
export const cli = join(root, 'dist', 'cli.js');

/** ABBA: LO101 at line 15, column 14. */
export const inverted = `import threading

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

const made = [];

/** Remove every directory made by `project` (call from `after`). */
export function cleanup() {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Write files (name -> text or bytes) into a new temporary directory and return it. */
export function project(files = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'lockorder-cli-'));
  made.push(dir);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

/**
 * Run the CLI in `cwd`; returns status, signal, stdout and stderr. A run still going after
 * `timeoutMs` is killed (status null, signal SIGKILL), so a hang fails the test.
 */
export function run(args, cwd, { timeoutMs = 60000, nodeArgs = [] } = {}) {
  const r = spawnSync(process.execPath, [...nodeArgs, cli, ...args],
    { cwd, encoding: 'utf8', timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/** Assert a failure message is short and has no stack trace. */
export function assertNoStack(stderr) {
  assert.doesNotMatch(stderr, /\n\s+at .*\(|node:internal|v8::/, `stack trace on stderr:\n${stderr}`);
}
