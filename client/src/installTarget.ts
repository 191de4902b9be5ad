// Where "Install the lockorder runtime" would install: asks the interpreter for its prefix and
// whether it is a virtual environment or a conda environment, and has the user confirm in a
// modal dialog that names both. The system interpreter needs an explicit "Install anyway".

import { execFile } from 'node:child_process';
import * as vscode from 'vscode';

/** The environment an interpreter belongs to. */
export interface InstallTarget {
  kind: 'venv' | 'conda' | 'system';
  /** `sys.prefix`: the environment's directory. */
  prefix: string;
}

const probe = 'import json, os, sys; print(json.dumps({"prefix": sys.prefix, "base": getattr(sys, "base_prefix", sys.prefix), '
  + '"conda": bool(os.environ.get("CONDA_PREFIX")) or os.path.isdir(os.path.join(sys.prefix, "conda-meta"))}))';

/** Ask `python` where it lives; a readable error when it cannot be run. */
export function installTarget(python: string): Promise<InstallTarget | { error: string }> {
  return new Promise((resolve) => {
    execFile(python, ['-c', probe], { timeout: 15000, windowsHide: true }, (err, stdout) => {
      if (err) return resolve({ error: err.message.split('\n')[0] });
      try {
        const info = JSON.parse(stdout) as { prefix: string; base: string; conda: boolean };
        const kind = info.prefix !== info.base ? 'venv' : info.conda ? 'conda' : 'system';
        resolve({ kind, prefix: info.prefix });
      } catch {
        resolve({ error: 'it did not say where it lives' });
      }
    });
  });
}

/** The button that confirms an install into a virtual or conda environment. */
export const installButton = 'Install';
/** The button that confirms an install into the system interpreter. */
export const installAnywayButton = 'Install anyway';

/** Ask, in a modal dialog naming the interpreter and its environment; true when the user confirms. */
export async function confirmInstall(python: { path: string; from: string }): Promise<boolean> {
  const target = await installTarget(python.path);
  if ('error' in target) {
    void vscode.window.showErrorMessage(`Lock Order: could not run ${python.path} (from ${python.from}): ${target.error}`);
    return false;
  }
  if (target.kind === 'system') {
    const answer = await vscode.window.showWarningMessage(
      `Install the lockorder runtime into the system interpreter ${python.path}?`,
      { modal: true, detail: `${python.path} (from ${python.from}) is not in a virtual environment or conda environment: `
        + `pip would change the Python that every program on this machine uses (${target.prefix}). `
        + 'Select a virtual environment\'s interpreter instead, or install anyway.' },
      installAnywayButton);
    return answer === installAnywayButton;
  }
  const where = target.kind === 'venv' ? `the virtual environment ${target.prefix}` : `the conda environment ${target.prefix}`;
  const answer = await vscode.window.showInformationMessage(
    `Install the lockorder runtime into ${where}?`,
    { modal: true, detail: `pip installs the runtime bundled with the extension, offline, with ${python.path} (from ${python.from}).` },
    installButton);
  return answer === installButton;
}
