// The throwaway Python of the editor tests: a venv in the run's temporary folder, made by
// `python3 -m venv` (with pip, offline through ensurepip). It sees python3's own packages (pytest)
// with --system-site-packages, but whatever is installed goes into the venv, never into python3.

import { execFile, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The interpreter of the venv at `dir` (it need not exist yet). */
export function venvPython(dir) {
  return join(dir, 'bin', 'python');
}

/** Create a venv at `dir`; resolves to its interpreter, rejects with python3's message. */
export function makeVenv(dir) {
  return new Promise((resolve, reject) => {
    execFile('python3', ['-m', 'venv', '--system-site-packages', dir], { timeout: 120_000 }, (error, _stdout, stderr) => {
      if (error) reject(new Error(`python3 -m venv --system-site-packages ${dir} failed: ${stderr || error.message}`));
      else resolve(venvPython(dir));
    });
  });
}

/**
 * Whether `python -I -c "import <module>"` succeeds: isolated (no PYTHONPATH, no user site, and
 * not the current folder, where a stray `ast.py` in the temporary folder would shadow the stdlib).
 */
export function canImport(python, module) {
  return spawnSync(python, ['-I', '-c', `import ${module}`], { cwd: tmpdir(), timeout: 30_000 }).status === 0;
}

/** Run `python -m pip <args>` (in the venv: offline, e.g. to uninstall); throws with pip's output when it fails. */
export function pip(python, ...args) {
  const run = spawnSync(python, ['-I', '-m', 'pip', ...args], { cwd: tmpdir(), encoding: 'utf8', timeout: 60_000 });
  if (run.status !== 0) throw new Error(`pip ${args.join(' ')} failed:\n${run.stdout}${run.stderr}`);
}
