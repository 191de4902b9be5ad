// Which Python runs the user's code: `lockorder.python.interpreter`, else the interpreter
// selected in the Python extension (through its published environments API, guarded: the
// extension may be absent, inactive or older), else `python3`.

import * as vscode from 'vscode';

/** The parts of the Python extension's API used here (`ms-python.python` exports). */
interface PythonExtensionApi {
  environments?: {
    getActiveEnvironmentPath(resource?: vscode.Uri): { path: string } | undefined;
    resolveEnvironment(env: { path: string }): Promise<{ executable?: { uri?: vscode.Uri } } | undefined>;
  };
}

/** The interpreter for a file or folder, and where the choice came from. */
export async function pythonInterpreter(resource: vscode.Uri | undefined): Promise<{ path: string; from: string }> {
  const configured = vscode.workspace.getConfiguration('lockorder', resource).get<string>('python.interpreter', '').trim();
  if (configured) return { path: configured, from: 'the lockorder.python.interpreter setting' };
  const selected = await pythonExtensionInterpreter(resource);
  if (selected) return { path: selected, from: 'the Python extension' };
  return { path: process.platform === 'win32' ? 'python' : 'python3', from: 'the default' };
}

/** The Python extension's active interpreter, or undefined if it cannot tell. */
async function pythonExtensionInterpreter(resource: vscode.Uri | undefined): Promise<string | undefined> {
  try {
    const extension = vscode.extensions.getExtension<PythonExtensionApi>('ms-python.python');
    if (!extension) return undefined;
    const api = extension.isActive ? extension.exports : await extension.activate();
    const environments = api?.environments;
    if (typeof environments?.getActiveEnvironmentPath !== 'function') return undefined;
    const active = environments.getActiveEnvironmentPath(resource);
    if (!active) return undefined;
    const resolved = typeof environments.resolveEnvironment === 'function' ? await environments.resolveEnvironment(active) : undefined;
    return resolved?.executable?.uri?.fsPath ?? active.path;
  } catch {
    return undefined;
  }
}
