// `lockorder run [--report-dir DIR] [--raise] script.js [args]`: runs a Node script with the
// Node runtime preloaded (`node --import runtime/node/register.mjs`). The script gets its own
// arguments, stdin, stdout and stderr; its exit code (or the signal that ended it) becomes
// lockorder's. SIGINT and SIGTERM sent to lockorder are passed on to the script.

import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { RunArgs } from './args';
import { CheckError } from './failure';

/** The runtime's entry point, next to the bundle's folder (dist/ -> runtime/node/). */
function registerPath(): string {
  return join(__dirname, '..', 'runtime', 'node', 'register.mjs');
}

/** The environment that makes the runtime record as asked (same variables as the Python runtime). */
function runtimeEnv(args: RunArgs, cwd: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LOCKORDER: '1',
    LOCKORDER_REPORT_DIR: resolve(cwd, args.reportDir ?? '.lockorder'),
    LOCKORDER_RAISE: args.raise ? '1' : '0',
  };
  if (args.orderFile) env.LOCKORDER_ORDER_FILE = resolve(cwd, args.orderFile);
  return env;
}

/** Run the script under the runtime; resolves to the exit code to use (a signal is re-raised). */
export function runScript(args: RunArgs, cwd: string): Promise<number> {
  const script = resolve(cwd, args.script);
  if (!existsSync(script) || !statSync(script).isFile()) throw new CheckError(`no such script: ${args.script}`);
  const register = registerPath();
  if (!existsSync(register)) throw new CheckError(`the Node runtime is missing: ${register}`);
  const child = spawn(process.execPath, ['--import', pathToFileURL(register).href, script, ...args.scriptArgs], {
    cwd, env: runtimeEnv(args, cwd), stdio: 'inherit',
  });
  const forward = (signal: NodeJS.Signals) => () => { child.kill(signal); };
  const onInt = forward('SIGINT');
  const onTerm = forward('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return new Promise((done, fail) => {
    child.on('error', (err) => fail(new CheckError(`cannot start node: ${err.message}`)));
    child.on('exit', (code, signal) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      if (signal) {
        process.kill(process.pid, signal);
        return;
      }
      done(code ?? 1);
    });
  });
}
