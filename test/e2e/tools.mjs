// Shared by the editor tests: where the repository, the fixture workspace and the tools installed
// by scripts/editors-setup.sh are, and a fresh copy of the workspace for each run.

import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Screenshots and logs of the editor tests (git-ignored). */
export const artifacts = join(root, 'test', 'e2e', 'artifacts');
/** The packaged extension that `npm run package` builds. */
export const vsixPath = join(root, `lockorder-${JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version}.vsix`);
/** The bundled language server. */
export const serverPath = join(root, 'dist', 'server.js');

/**
 * The tool paths written by scripts/editors-setup.sh ({ node24, codeServer, chromium, nvim }).
 * Throws a message naming the setup script when it has not run or when one of `needed` is missing.
 */
export function tools(...needed) {
  const cache = process.env.LOCKORDER_E2E_CACHE || join(homedir(), '.cache', 'lockorder-e2e');
  const file = join(cache, 'tools.json');
  if (!existsSync(file)) throw new Error(`${file} is missing: run "bash scripts/editors-setup.sh" (npm run test:editors does).`);
  const found = JSON.parse(readFileSync(file, 'utf8'));
  for (const name of needed) {
    const path = found[name];
    if (!path || !existsSync(path)) throw new Error(`${name} (${path}) is missing: run "bash scripts/editors-setup.sh" again.`);
  }
  return found;
}

/** A copy of test/e2e/workspace in a fresh temporary folder; `cleanup()` removes it. */
export function freshWorkspace() {
  const dir = mkdtempSync(join(tmpdir(), 'lockorder-e2e-'));
  const workspace = join(dir, 'workspace');
  cpSync(join(root, 'test', 'e2e', 'workspace'), workspace, { recursive: true });
  return { dir, workspace, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Make sure the artifacts folder exists and return the path of a file in it. */
export function artifact(name) {
  mkdirSync(artifacts, { recursive: true });
  return join(artifacts, name);
}
