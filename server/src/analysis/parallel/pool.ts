// A small pool of parse workers: hands files out one at a time to each worker and collects
// their facts, reporting progress. Falls back to the caller's thread when workers are unavailable.

import { Worker } from 'node:worker_threads';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { WorkRequest, WorkResult } from './worker';

/** Facts (or an error) per input index. */
export type PoolResult = WorkResult;

/** Where the bundled worker script is, if it exists. */
export function workerScript(): string | undefined {
  const file = path.join(__dirname, 'parseWorker.js');
  return fs.existsSync(file) ? file : undefined;
}

/** How many workers to start for `files` files. */
export function workerCount(files: number): number {
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.min(cores, 8, Math.ceil(files / 20)));
}

/** Parse and walk every file in worker threads. */
export async function parseInWorkers(
  script: string, files: { path: string; text: string }[], onProgress?: (done: number, total: number) => void,
): Promise<PoolResult[]> {
  const results: PoolResult[] = new Array(files.length);
  let next = 0;
  let done = 0;
  const workers = Array.from({ length: workerCount(files.length) }, () => new Worker(script));
  try {
    await Promise.all(workers.map((w) => new Promise<void>((resolve, reject) => {
      const send = () => {
        if (next >= files.length) return resolve();
        const id = next++;
        const req: WorkRequest = { id, path: files[id].path, text: files[id].text };
        w.postMessage(req);
      };
      w.on('message', (res: WorkResult) => {
        results[res.id] = res;
        onProgress?.(++done, files.length);
        send();
      });
      w.on('error', reject);
      send();
    })));
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}
