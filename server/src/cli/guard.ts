// Runs `lockorder check` (or `graph`) in a worker thread (dist/cliWorker.js). When the analysis runs out
// of JavaScript heap, V8 ends the worker instead of aborting the whole process (which would
// exit 134); the main thread then prints a clear message and exits 2, a documented status.

import * as path from 'node:path';
import { getHeapStatistics } from 'node:v8';
import { Worker } from 'node:worker_threads';
import type { WorkerArgs } from './args';
import type { Output } from './check';
import { describeFailure, exitError } from './failure';

/** What the worker is asked to do. */
export interface WorkerRequest {
  args: WorkerArgs;
  cwd: string;
  errIsTTY: boolean;
}

/** What the worker sends back: output as it is written, then the exit code. */
export type WorkerMessage = { kind: 'out' | 'err'; text: string } | { kind: 'exit'; code: number };

/** Run the check in a worker and return its exit code; never throws. */
export function runInWorker(args: WorkerArgs, cwd: string, output: Output): Promise<number> {
  // A worker gets the same heap limit as this thread (NODE_OPTIONS=--max-old-space-size=MB sets both).
  const heapLimitMb = Math.round(getHeapStatistics().heap_size_limit / 1024 / 1024);
  const request: WorkerRequest = { args, cwd, errIsTTY: output.errIsTTY ?? process.stderr.isTTY === true };
  return new Promise((resolve) => {
    let code: number | undefined;
    const worker = new Worker(path.join(__dirname, 'cliWorker.js'), { workerData: request });
    worker.on('message', (message: WorkerMessage) => {
      if (message.kind === 'exit') code = message.code;
      else output[message.kind](message.text);
    });
    worker.on('error', (err) => {
      output.err(describeFailure(err, heapLimitMb));
      code = exitError;
    });
    worker.on('exit', () => {
      if (code === undefined) output.err(describeFailure(new Error('the check ended without a result')));
      resolve(code ?? exitError);
    });
  });
}
