// Worker-thread entry: parses and walks files sent by the pool and posts back their facts,
// so a large workspace is parsed on every core. Bundled as dist/parseWorker.js.

import { parentPort } from 'node:worker_threads';
import { initParser, parsePython } from '../python/parser';
import { walkPython } from '../python/walker';
import type { FileFacts } from '../events';

/** A file to parse. */
export interface WorkRequest {
  id: number;
  path: string;
  text: string;
}

/** The facts of one file, or why it could not be parsed. */
export interface WorkResult {
  id: number;
  facts?: FileFacts;
  error?: string;
}

const ready = initParser();

parentPort?.on('message', async (req: WorkRequest) => {
  await ready;
  let result: WorkResult;
  try {
    const tree = parsePython(req.text);
    try {
      result = { id: req.id, facts: walkPython(req.path, tree) };
    } finally {
      tree.delete();
    }
  } catch (err) {
    result = { id: req.id, error: (err as Error).message };
  }
  parentPort?.postMessage(result);
});
