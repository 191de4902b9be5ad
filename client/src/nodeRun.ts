// The command lines that run JavaScript and TypeScript under the Node runtime bundled in the
// extension (`runtime/node/register.mjs`): "Run Current File with Lock-Order Checking" on a
// .js/.mjs/.cjs file (`node --enable-source-maps --import <register> file`), on a .ts file with
// the workspace's tsx (`node --import tsx --import <register> file`), and "Run Tests" in a Node
// workspace (`npm test` with the runtime in NODE_OPTIONS, so every Node process the tests start
// records). Pure functions, no VS Code API, so tests can check (and run) them directly.

import { pathToFileURL } from 'node:url';
import type { RuntimeSettings } from './runtimeArgs';

/** A program to start: what the task runs. */
export interface NodeCommand {
  command: string;
  args: string[];
  /** Added to the editor's environment. */
  env: Record<string, string>;
}

/** A command, or why the file cannot be run (said to the user as is). */
export type NodePlan = NodeCommand | { problem: string };

/** Where the bundled runtime and the run's reports are. */
export interface NodeRunSetup {
  /** Absolute path of `runtime/node/register.mjs` in the extension. */
  register: string;
  /** Absolute folder the reports go to (`<folder>/.lockorder`). */
  reportDir: string;
  settings: RuntimeSettings;
}

const javaScript = /\.[cm]?js$/i;
const typeScript = /\.[cm]?tsx?$/i;

/** Whether "Run Current File" runs this file with Node: a JavaScript or TypeScript file. */
export function isNodeFile(path: string): boolean {
  return javaScript.test(path) || typeScript.test(path);
}

/** What to say when a TypeScript file has no runner in the workspace. */
export const noTypeScriptRunner = 'Lock Order: running a TypeScript file needs a TypeScript runner in the workspace, and none was found '
  + '(node_modules/.bin/tsx). Install tsx (npm install --save-dev tsx), then run the command again; or run the compiled JavaScript.';

/** The environment that makes the runtime record as the settings ask (the variables of `lockorder run`). */
export function runtimeEnv(setup: NodeRunSetup): Record<string, string> {
  return { LOCKORDER: '1', LOCKORDER_REPORT_DIR: setup.reportDir, LOCKORDER_RAISE: setup.settings.raise === true ? '1' : '0' };
}

/** `--import` of the bundled runtime, as a file URL (a path with spaces or a drive letter needs no quoting then). */
function importRegister(register: string): string {
  return `--import=${pathToFileURL(register).href}`;
}

/**
 * The command that runs one file under the runtime: JavaScript with Node directly (source maps on,
 * so compiled code's sites name its sources); TypeScript through tsx when `hasTsx` (the workspace
 * folder's node_modules has it), else a problem saying what to install.
 */
export function nodeRunPlan(file: string, setup: NodeRunSetup, hasTsx: boolean): NodePlan {
  const env = runtimeEnv(setup);
  if (javaScript.test(file)) return { command: 'node', args: ['--enable-source-maps', importRegister(setup.register), file], env };
  if (!typeScript.test(file)) return { problem: `Lock Order: ${file} is not a JavaScript or TypeScript file.` };
  if (!hasTsx) return { problem: noTypeScriptRunner };
  return { command: 'node', args: ['--import=tsx', importRegister(setup.register), file], env };
}

/** NODE_OPTIONS with the runtime added after what it already holds. */
export function withRuntimeImport(existing: string | undefined, register: string): string {
  const kept = (existing ?? '').trim();
  return kept ? `${kept} ${importRegister(register)}` : importRegister(register);
}

/**
 * `npm test` with the runtime preloaded in every Node process it starts (NODE_OPTIONS); only the
 * processes that saw a lock print the one-line summary, so npm's own process and the test runner's
 * do not add empty ones.
 */
export function npmTestPlan(setup: NodeRunSetup, existingNodeOptions: string | undefined, platform: string): NodeCommand {
  return {
    command: platform === 'win32' ? 'npm.cmd' : 'npm',
    args: ['test'],
    env: { ...runtimeEnv(setup), LOCKORDER_SUMMARY: 'locks', NODE_OPTIONS: withRuntimeImport(existingNodeOptions, setup.register) },
  };
}
