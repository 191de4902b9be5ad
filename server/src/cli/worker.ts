// Entry of the worker thread that runs `lockorder check` or `lockorder graph` (bundled to dist/cliWorker.js and
// started by guard.ts): runs the check, sends its output and exit code to the main thread.

import { parentPort, workerData } from 'node:worker_threads';
import { runCheck } from './check';
import { runGraph } from './graph';
import type { Output } from './check';
import { describeFailure, exitError } from './failure';
import type { WorkerMessage, WorkerRequest } from './guard';

/** Send one message to the main thread. */
function send(message: WorkerMessage): void {
  parentPort?.postMessage(message);
}

/** Run the requested check and send the exit code last; failures become one message, exit 2. */
async function run(request: WorkerRequest): Promise<void> {
  const output: Output = {
    out: (text) => send({ kind: 'out', text }),
    err: (text) => send({ kind: 'err', text }),
    errIsTTY: request.errIsTTY,
  };
  let code: number;
  try {
    code = request.args.command === 'graph'
      ? await runGraph(request.args, request.cwd, output)
      : await runCheck(request.args, request.cwd, output);
  } catch (err) {
    output.err(describeFailure(err));
    code = exitError;
  }
  send({ kind: 'exit', code });
}

void run(workerData as WorkerRequest);
