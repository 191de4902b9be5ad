// `lockorder.installRuntime`: installs the runtime bundled in the extension into the chosen
// interpreter with pip, offline, in a terminal (trusted workspaces only), after a modal
// confirmation that names the interpreter and its environment, and says how it went.

import * as path from 'node:path';
import * as vscode from 'vscode';
import { confirmInstall } from './installTarget';
import { pythonInterpreter } from './interpreter';
import { pickFolder, runPython, trusted, type StartedRun } from './runCommands';

/**
 * `lockorder.installRuntime`: `pip install` the bundled runtime, offline, into the chosen interpreter,
 * once the user confirms the interpreter and environment the dialog names.
 * When pip ends, `ended` is called and a notification says whether `import lockorder` now works there.
 */
export async function installRuntime(context: vscode.ExtensionContext, ended: () => void): Promise<void> {
  if (!trusted()) return;
  const folder = await pickFolder(false);
  if (!(await confirmInstall(await pythonInterpreter(folder?.uri)))) return;
  const runtime = context.asAbsolutePath(path.join('runtime', 'python'));
  const args = ['-m', 'pip', 'install', '--no-build-isolation', '--no-index', runtime];
  const run = await runPython(context, folder, folder?.uri, folder?.uri.fsPath ?? runtime, args, 'Install the runtime', false);
  if (run) void reportInstall(run, ended);
}

/** Once the install ends: call `ended`, and say how it went. */
async function reportInstall(run: StartedRun, ended: () => void): Promise<void> {
  const code = await run.exitCode;
  ended();
  if (code === 0) {
    void vscode.window.showInformationMessage(`Lock Order: the runtime is installed in ${run.python.path}; \`import lockorder\` works there now.`);
  } else {
    const status = code === undefined ? 'did not finish' : `failed (exit code ${code})`;
    void vscode.window.showErrorMessage(`Lock Order: installing the runtime into ${run.python.path} (from ${run.python.from}) ${status}; the terminal says why.`);
  }
}
