// The VS Code side of running JavaScript and TypeScript under the bundled Node runtime: the
// current file (`node --import <runtime>`, through the workspace's tsx for TypeScript) and the
// tests of a Node workspace (`npm test` with the runtime in NODE_OPTIONS), each as a task in a
// terminal. The command lines themselves come from nodeRun.ts.

import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { nodeRunPlan, npmTestPlan, type NodeCommand, type NodeRunSetup } from './nodeRun';
import type { RuntimeSettings } from './runtimeArgs';
import { runTask, type StartedTask } from './taskEnd';

/** The runtime's entry point inside the extension. */
function registerPath(context: vscode.ExtensionContext): string {
  return context.asAbsolutePath(path.join('runtime', 'node', 'register.mjs'));
}

/** Whether `dir/node_modules/.bin` has tsx (on Windows, its .cmd shim). */
async function hasTsx(dir: string): Promise<boolean> {
  const names = process.platform === 'win32' ? ['tsx.cmd', 'tsx'] : ['tsx'];
  for (const name of names) {
    if (await fs.stat(path.join(dir, 'node_modules', '.bin', name)).then(() => true, () => false)) return true;
  }
  return false;
}

/** Start `plan` in `cwd` as a task. */
function start(folder: vscode.WorkspaceFolder | undefined, plan: NodeCommand, cwd: string, title: string): Promise<StartedTask | undefined> {
  return runTask(folder, new vscode.ProcessExecution(plan.command, plan.args, { cwd, env: plan.env }), title, plan.command);
}

/** Run a JavaScript or TypeScript file under the runtime; says what to install when a .ts file has no runner. */
export async function runNodeFile(context: vscode.ExtensionContext, folder: vscode.WorkspaceFolder | undefined, file: string, cwd: string,
  reportDir: string, settings: RuntimeSettings, title: string): Promise<StartedTask | undefined> {
  const setup: NodeRunSetup = { register: registerPath(context), reportDir, settings };
  const plan = nodeRunPlan(file, setup, await hasTsx(cwd));
  if ('problem' in plan) {
    void vscode.window.showWarningMessage(plan.problem);
    return undefined;
  }
  return start(folder, plan, cwd, title);
}

/** Run a folder's `npm test` with the runtime preloaded in every Node process. */
export function runNodeTests(context: vscode.ExtensionContext, folder: vscode.WorkspaceFolder, cwd: string, reportDir: string,
  settings: RuntimeSettings): Promise<StartedTask | undefined> {
  const plan = npmTestPlan({ register: registerPath(context), reportDir, settings }, process.env.NODE_OPTIONS, process.platform);
  return start(folder, plan, cwd, 'Run tests (npm test)');
}
