// The commands that run the user's Python under the lockorder runtime (trusted workspaces
// only): run the current file, run the tests with the pytest plugin. Each runs as a task in a
// VS Code terminal, with the bundled runtime (`runtime/python` in the extension) on PYTHONPATH;
// the report files it writes in `<folder>/.lockorder` are watched by the language server, so
// findings appear as they come. Also the shared parts of installRuntime.ts.

import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { pythonInterpreter } from './interpreter';
import { pytestOptions, runOptions, type RuntimeSettings } from './runtimeArgs';
import { startTask, type StartedTask } from './taskEnd';

/** The task type of these runs (declared in package.json `taskDefinitions`). */
const taskType = 'lockorder';

/** A started run, and the interpreter it runs (where the choice came from). */
export type StartedRun = StartedTask & { python: Awaited<ReturnType<typeof pythonInterpreter>> };

/** Why the commands do nothing in an untrusted workspace. */
const untrustedMessage = 'Lock Order: running with lock-order checking runs this workspace\'s code, so it is only available in a trusted workspace. '
  + 'The static analysis keeps working. Trust the workspace (Manage Workspace Trust) to use it.';

/** Whether the workspace is trusted; if not, say why the command is unavailable. */
export function trusted(): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window.showWarningMessage(untrustedMessage, 'Manage Workspace Trust').then((pick) => {
    if (pick) void vscode.commands.executeCommand('workbench.trust.manage');
  });
  return false;
}

/** Called when a run ends, with the folder its reports are in. */
export type RunEnded = (reportDir: string) => void;

/** `lockorder.runWithChecking`: run the active Python file under `python -m lockorder run`. */
export async function runCurrentFile(context: vscode.ExtensionContext, ended: RunEnded): Promise<void> {
  if (!trusted()) return;
  const doc = vscode.window.activeTextEditor?.document;
  if (!doc || doc.languageId !== 'python' || doc.uri.scheme !== 'file') {
    void vscode.window.showInformationMessage('Lock Order: open a saved Python file to run it with lock-order checking.');
    return;
  }
  if (doc.isDirty && !(await doc.save())) return;
  const folder = vscode.workspace.getWorkspaceFolder(doc.uri);
  const cwd = folder?.uri.fsPath ?? path.dirname(doc.uri.fsPath);
  const reportDir = path.join(cwd, '.lockorder');
  const args = ['-m', 'lockorder', 'run', '--report-dir', reportDir, ...runOptions(runtimeSettings(doc.uri)), doc.uri.fsPath];
  await runRecording(context, folder, doc.uri, cwd, args, `Run ${path.basename(doc.uri.fsPath)}`, reportDir, ended);
}

/** `lockorder.runTestsWithChecking`: run pytest with the lockorder plugin in a workspace folder. */
export async function runTests(context: vscode.ExtensionContext, ended: RunEnded): Promise<void> {
  if (!trusted()) return;
  const folder = await pickFolder();
  if (!folder) return;
  const cwd = folder.uri.fsPath;
  const reportDir = path.join(cwd, '.lockorder');
  const args = ['-m', 'pytest', '-p', 'lockorder.pytest_plugin', '--lockorder-report-dir', reportDir,
    ...pytestOptions(runtimeSettings(folder.uri))];
  await runRecording(context, folder, folder.uri, cwd, args, 'Run tests', reportDir, ended);
}

/** The lockorder.runtime.watchdogSeconds and lockorder.runtime.raise settings for a file or folder. */
function runtimeSettings(resource: vscode.Uri): RuntimeSettings {
  const config = vscode.workspace.getConfiguration('lockorder', resource);
  return { watchdogSeconds: config.get('runtime.watchdogSeconds'), raise: config.get('runtime.raise') };
}

/**
 * Run with the report folder made first, so that the file watcher already watches it when the
 * run writes its first record (a folder made and written at once can go unseen); `ended` is
 * called with it when the run ends.
 */
async function runRecording(context: vscode.ExtensionContext, folder: vscode.WorkspaceFolder | undefined, resource: vscode.Uri,
  cwd: string, args: string[], title: string, reportDir: string, ended: RunEnded): Promise<void> {
  try {
    await fs.mkdir(reportDir, { recursive: true });
  } catch { /* the runtime makes it, or says why it cannot */ }
  const run = await runPython(context, folder, resource, cwd, args, title);
  if (run) void run.exitCode.then(() => ended(reportDir));
}

/** Run the interpreter with `args` as a task in a terminal; the started task, or undefined if it could not start. */
export async function runPython(context: vscode.ExtensionContext, folder: vscode.WorkspaceFolder | undefined, resource: vscode.Uri | undefined,
  cwd: string, args: string[], title: string, withRuntimePath = true): Promise<StartedRun | undefined> {
  const python = await pythonInterpreter(resource);
  const env: Record<string, string> = {};
  if (withRuntimePath) {
    const runtime = context.asAbsolutePath(path.join('runtime', 'python'));
    env.PYTHONPATH = process.env.PYTHONPATH ? `${runtime}${path.delimiter}${process.env.PYTHONPATH}` : runtime;
  }
  const execution = new vscode.ProcessExecution(python.path, args, { cwd, env });
  const task = new vscode.Task({ type: taskType, run: title }, folder ?? vscode.TaskScope.Workspace, title, 'Lock Order', execution, []);
  task.presentationOptions = { reveal: vscode.TaskRevealKind.Always, panel: vscode.TaskPanelKind.Dedicated, clear: true };
  try {
    return { ...(await startTask(task)), python };
  } catch (err) {
    void vscode.window.showErrorMessage(`Lock Order: could not start ${python.path} (from ${python.from}): ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  }
}

/** The folder of the active file, the only folder, or one the user picks. */
export async function pickFolder(required = true): Promise<vscode.WorkspaceFolder | undefined> {
  const active = vscode.window.activeTextEditor?.document.uri;
  const fromEditor = active ? vscode.workspace.getWorkspaceFolder(active) : undefined;
  if (fromEditor) return fromEditor;
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length === 1) return folders[0];
  if (folders.length === 0) {
    if (required) void vscode.window.showInformationMessage('Lock Order: open a folder to run its tests with lock-order checking.');
    return undefined;
  }
  return vscode.window.showWorkspaceFolderPick();
}
