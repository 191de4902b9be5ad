// The commands that run the user's code under the lockorder runtime (trusted workspaces only):
// run the current file, run the tests. Python runs with the bundled runtime (`runtime/python` in
// the extension) on PYTHONPATH, tests with the pytest plugin; JavaScript and TypeScript run with
// the bundled Node runtime (nodeCommands.ts). Each runs as a task in a VS Code terminal; the
// report files it writes in `<folder>/.lockorder` are watched by the language server, so
// findings appear as they come. Also the shared parts of installRuntime.ts.

import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { pythonInterpreter } from './interpreter';
import { pytestOptions, runOptions, type RuntimeSettings } from './runtimeArgs';
import { isNodeFile } from './nodeRun';
import { runNodeFile, runNodeTests } from './nodeCommands';
import { runTask, type StartedTask } from './taskEnd';
import { npmTestScript, pythonMarkers, testRunnerFor, type TestRunner } from './testRunner';

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

/**
 * `lockorder.runWithChecking`: run the active file under the runtime: Python under
 * `python -m lockorder run`, JavaScript and TypeScript under the Node runtime.
 */
export async function runCurrentFile(context: vscode.ExtensionContext, ended: RunEnded): Promise<void> {
  if (!trusted()) return;
  const doc = vscode.window.activeTextEditor?.document;
  const python = doc?.languageId === 'python';
  if (!doc || doc.uri.scheme !== 'file' || !(python || isNodeFile(doc.uri.fsPath))) {
    void vscode.window.showInformationMessage('Lock Order: open a saved Python, JavaScript or TypeScript file to run it with lock-order checking.');
    return;
  }
  if (doc.isDirty && !(await doc.save())) return;
  const folder = vscode.workspace.getWorkspaceFolder(doc.uri);
  const cwd = folder?.uri.fsPath ?? path.dirname(doc.uri.fsPath);
  const reportDir = path.join(cwd, '.lockorder');
  const title = `Run ${path.basename(doc.uri.fsPath)}`;
  if (!python) {
    await runRecording(reportDir, ended, () => runNodeFile(context, folder, doc.uri.fsPath, cwd, reportDir, runtimeSettings(doc.uri), title));
    return;
  }
  const args = ['-m', 'lockorder', 'run', '--report-dir', reportDir, ...runOptions(runtimeSettings(doc.uri)), doc.uri.fsPath];
  await runRecording(reportDir, ended, () => runPython(context, folder, doc.uri, cwd, args, title));
}

/**
 * `lockorder.runTestsWithChecking`: run a workspace folder's tests under the runtime: pytest with
 * the lockorder plugin, or `npm test` with the Node runtime in NODE_OPTIONS (testRunner.ts says which).
 */
export async function runTests(context: vscode.ExtensionContext, ended: RunEnded): Promise<void> {
  if (!trusted()) return;
  const folder = await pickFolder();
  if (!folder) return;
  const runner = await chooseTestRunner(folder);
  if (!runner) return;
  const cwd = folder.uri.fsPath;
  const reportDir = path.join(cwd, '.lockorder');
  if (runner === 'npm') {
    await runRecording(reportDir, ended, () => runNodeTests(context, folder, cwd, reportDir, runtimeSettings(folder.uri)));
    return;
  }
  const args = ['-m', 'pytest', '-p', 'lockorder.pytest_plugin', '--lockorder-report-dir', reportDir,
    ...pytestOptions(runtimeSettings(folder.uri))];
  await runRecording(reportDir, ended, () => runPython(context, folder, folder.uri, cwd, args, 'Run tests'));
}

/** npm or pytest for a folder; asked when it has both and the active editor does not tell. */
async function chooseTestRunner(folder: vscode.WorkspaceFolder): Promise<TestRunner | undefined> {
  const root = folder.uri.fsPath;
  const packageJson = await fs.readFile(path.join(root, 'package.json'), 'utf8').catch(() => undefined);
  const markers = await Promise.all(pythonMarkers.map((name) => fs.stat(path.join(root, name)).then(() => true, () => false)));
  const facts = { npmTest: npmTestScript(packageJson), python: markers.some(Boolean) };
  const choice = testRunnerFor(facts, vscode.window.activeTextEditor?.document.languageId);
  if (choice !== 'ask') return choice;
  const picked = await vscode.window.showQuickPick([
    { label: 'npm test', description: facts.npmTest, runner: 'npm' as const },
    { label: 'pytest', description: 'the Python tests', runner: 'pytest' as const },
  ], { placeHolder: `${folder.name} has Node and Python tests: which to run with lock-order checking?` });
  return picked?.runner;
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
async function runRecording(reportDir: string, ended: RunEnded, start: () => Promise<StartedTask | undefined>): Promise<void> {
  try {
    await fs.mkdir(reportDir, { recursive: true });
  } catch { /* the runtime makes it, or says why it cannot */ }
  const run = await start();
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
  const run = await runTask(folder, new vscode.ProcessExecution(python.path, args, { cwd, env }), title, `${python.path} (from ${python.from})`);
  return run && { ...run, python };
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
