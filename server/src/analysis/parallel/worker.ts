// Worker-thread entry: parses and walks files sent by the pool and posts back their facts,
// so a large workspace is parsed on every core. Bundled as dist/parseWorker.js.

import { parentPort } from 'node:worker_threads';
import { defaultFrontEnd, frontEndFor } from '../frontEnds';
import { encodeFacts } from './factsCodec';

/** A file to parse. */
export interface WorkRequest {
  id: number;
  path: string;
  text: string;
  /** Lock-taking properties of other files whose reads the walk records. */
  properties?: string[];
}

/** The facts of one file (encoded by `encodeFacts`), or why it could not be parsed. */
export interface WorkResult {
  id: number;
  facts?: string;
  error?: string;
}

const ready = defaultFrontEnd().load();

parentPort?.on('message', async (req: WorkRequest) => {
  await ready;
  let result: WorkResult;
  try {
    const fe = frontEndFor(req.path);
    await fe.load();
    const walked = fe.walk({ path: req.path, text: req.text, reads: req.properties && new Set(req.properties), keep: false });
    result = { id: req.id, facts: encodeFacts(walked.facts) };
  } catch (err) {
    result = { id: req.id, error: (err as Error).message };
  }
  parentPort?.postMessage(result);
});
