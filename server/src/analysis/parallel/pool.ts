// A small pool of parse workers: hands files out (largest first, two queued per worker) and
// collects their facts, reporting progress. Falls back to the caller's thread when workers are unavailable.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { WorkRequest, WorkResult } from './worker';
import type { FileFacts } from '../events';
import type { GuessedReads } from '../frontEnd';
import { decodeFacts } from './factsCodec';
import { keepWorkers, takeWorkers } from './idleWorkers';

/** Facts (or an error) per input index. */
export interface PoolResult {
  facts?: FileFacts;
  /** What the walk saw of the guessed properties, when it was given some. */
  guessed?: GuessedReads;
  error?: string;
}

/** A file to parse and walk in a worker, with the reads it records and the guesses it looks out for. */
export interface PoolFile {
  path: string;
  text: string;
  properties?: string[];
  guesses?: string[];
}

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

/** How many files each worker has queued, so it never waits for the main thread between files. */
const QUEUED_PER_WORKER = 2;

/**
 * Parse and walk every file in worker threads. The largest files go first, so no worker is
 * left with a big file at the end while the others are idle; results keep the input order.
 */
export async function parseInWorkers(
  script: string, files: PoolFile[], onProgress?: (done: number, total: number) => void,
  onEncoded?: (index: number, facts: FileFacts, encoded: string) => void,
): Promise<PoolResult[]> {
  const results: PoolResult[] = new Array(files.length);
  const order = files.map((_, i) => i).sort((a, b) => files[b].text.length - files[a].text.length);
  let next = 0;
  let done = 0;
  const workers = takeWorkers(script, workerCount(files.length));
  const detach: (() => void)[] = [];
  let ok = false;
  try {
    await Promise.all(workers.map((w) => new Promise<void>((resolve, reject) => {
      let queued = 0;
      const send = () => {
        if (next >= order.length) {
          if (queued === 0) resolve();
          return;
        }
        const id = order[next++];
        const { path, text, properties, guesses } = files[id];
        const req: WorkRequest = { id, path, text, properties, guesses };
        queued++;
        w.postMessage(req);
      };
      const onMessage = (res: WorkResult) => {
        queued--;
        send();
        if (res.facts === undefined) results[res.id] = { error: res.error };
        else {
          const facts = decodeFacts(res.facts);
          results[res.id] = { facts, guessed: res.guessed === undefined ? undefined : JSON.parse(res.guessed) as GuessedReads };
          onEncoded?.(res.id, facts, res.facts);
        }
        onProgress?.(++done, files.length);
      };
      const onExit = () => reject(new Error('a parse worker stopped'));
      w.on('message', onMessage).on('error', reject).on('exit', onExit);
      detach.push(() => w.off('message', onMessage).off('error', reject).off('exit', onExit));
      for (let i = 0; i < QUEUED_PER_WORKER; i++) send();
    })));
    ok = true;
  } finally {
    detach.forEach((off) => off());
    // Workers that did their run wait for the next one; after a failure they all end.
    if (ok) keepWorkers(script, workers);
    else await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}
