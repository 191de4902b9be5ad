// Starts a VS Code task and tells when its process ends, with the exit code: the install command
// needs it to say how the install went (and to forget what it knew about the interpreter), the run
// commands to tell the server their reports are complete.

import * as vscode from 'vscode';

/** The task type of the runs (declared in package.json `taskDefinitions`). */
const taskType = 'lockorder';

/** A started task and its process's exit code (undefined when the task ends without one). */
export interface StartedTask {
  execution: vscode.TaskExecution;
  exitCode: Promise<number | undefined>;
}

/** Start `task`; the returned `exitCode` settles when its process ends. Throws as executeTask does. */
export async function startTask(task: vscode.Task): Promise<StartedTask> {
  let execution: vscode.TaskExecution | undefined;
  let settle: (code: number | undefined) => void = () => {};
  const exitCode = new Promise<number | undefined>((resolve) => { settle = resolve; });
  // Ends seen before executeTask answers are kept, so that a very short process is not missed.
  const early = new Map<vscode.TaskExecution, number | undefined>();
  const ended = (run: vscode.TaskExecution, code: number | undefined): void => {
    if (!execution) { if (!early.has(run)) early.set(run, code); return; }
    if (run !== execution) return;
    subscriptions.forEach((s) => s.dispose());
    settle(code);
  };
  const subscriptions = [
    vscode.tasks.onDidEndTaskProcess((e) => ended(e.execution, e.exitCode)),
    // A task whose process never started ends without a process end.
    vscode.tasks.onDidEndTask((e) => ended(e.execution, undefined)),
  ];
  try {
    execution = await vscode.tasks.executeTask(task);
  } catch (err) {
    subscriptions.forEach((s) => s.dispose());
    throw err;
  }
  if (early.has(execution)) ended(execution, early.get(execution));
  return { execution, exitCode };
}

/** Run `execution` as a task in a dedicated terminal; the started task, or undefined (said why) if it could not start. */
export async function runTask(folder: vscode.WorkspaceFolder | undefined, execution: vscode.ProcessExecution, title: string,
  program: string): Promise<StartedTask | undefined> {
  const task = new vscode.Task({ type: taskType, run: title }, folder ?? vscode.TaskScope.Workspace, title, 'Lock Order', execution, []);
  task.presentationOptions = { reveal: vscode.TaskRevealKind.Always, panel: vscode.TaskPanelKind.Dedicated, clear: true };
  try {
    return await startTask(task);
  } catch (err) {
    void vscode.window.showErrorMessage(`Lock Order: could not start ${program}: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  }
}
