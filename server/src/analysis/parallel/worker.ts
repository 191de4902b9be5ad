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
  /** Guessed lock-taking properties whose reads the walk looks out for apart (WalkRequest.guesses). */
  guesses?: string[];
}

/** The facts of one file (encoded by `encodeFacts`), or why it could not be parsed. */
export interface WorkResult {
  id: number;
  facts?: string;
  /** What the walk saw of the guesses (GuessedReads), as JSON. */
  guessed?: string;
  error?: string;
}

const ready = defaultFrontEnd().load();

/** Parse and walk one file. */
async function handle(req: WorkRequest): Promise<WorkResult> {
  try {
    await ready;
    const fe = frontEndFor(req.path);
    await fe.load();
    const walked = fe.walk({ path: req.path, text: req.text, reads: req.properties && new Set(req.properties), keep: false, guesses: req.guesses });
    return { id: req.id, facts: encodeFacts(walked.facts), guessed: walked.guessed && JSON.stringify(walked.guessed) };
  } catch (err) {
    return { id: req.id, error: (err as Error).message };
  }
}

/** Let the event loop turn: the native parser's trees are freed there, after a collection found them dropped. */
function turnLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Files are handled one after the other, with a turn of the event loop between them: messages
 * queued by the pool would otherwise be handled back to back, and the trees never freed.
 */
let queue: Promise<void> = Promise.resolve();

parentPort?.on('message', (req: WorkRequest) => {
  queue = queue.then(() => handle(req)).then((result) => parentPort?.postMessage(result)).then(turnLoop);
});
