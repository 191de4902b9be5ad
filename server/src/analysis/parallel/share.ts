// Walking a batch whose front end resolves across files (a type checker) on more than one core:
// every thread is shown the whole batch, so each sees the same program, and walks only its
// share of the files. Used by one-shot runs (the CLI) over many such files; the language server
// keeps one program in memory for incremental edits instead.

import { Worker } from 'node:worker_threads';
import * as os from 'node:os';
import type { ShareRequest, ShareResult } from './worker';
import type { PoolResult } from './pool';
import { decodeFacts } from './factsCodec';
import type { SourceFile } from '../types';

/** A batch of files too small for this is walked in one thread (LOCKORDER_SHARED_WALK_MIN overrides it, for tests). */
const MIN_FILES = 40;

/** The fewest files for which a batch is walked in shares. */
function sharedWalkMinimum(): number {
  const n = Number(process.env.LOCKORDER_SHARED_WALK_MIN);
  return Number.isInteger(n) && n > 0 ? n : MIN_FILES;
}

/**
 * How many threads walk a batch: one per core, at most 3, since each holds the whole program
 * (and type-checks part of it again).
 */
function shareCount(): number {
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.min(cores, 3));
}

/**
 * Split a batch into `parts` shares of about equal text size (largest files first, each to the
 * lightest share); returns each share's indices in the batch, in batch order.
 */
export function splitShares(files: { text: string }[], parts: number): number[][] {
  const shares = Array.from({ length: parts }, () => ({ size: 0, files: [] as number[] }));
  const order = files.map((_, i) => i).sort((a, b) => files[b].text.length - files[a].text.length);
  for (const i of order) {
    const lightest = shares.reduce((a, b) => (b.size < a.size ? b : a));
    lightest.files.push(i);
    lightest.size += files[i].text.length;
  }
  return shares.map((s) => s.files.sort((a, b) => a - b));
}

/** Files handed to other threads, and their results once walked (undefined: a worker failed, walk them here). */
export interface SharedWalk {
  apart: Set<SourceFile>;
  results: Promise<{ file: SourceFile; result: PoolResult | undefined }[]>;
}

/**
 * Start walking, in worker threads, all shares but the first of each batch large enough; the
 * caller shows every batch to its front end and walks the files not `apart` itself meanwhile.
 */
export function walkInShares(script: string, batches: SourceFile[][]): SharedWalk {
  const apart = new Set<SourceFile>();
  const pending: Promise<{ file: SourceFile; result: PoolResult | undefined }[]>[] = [];
  const parts = shareCount();
  for (const batch of batches) {
    if (parts < 2 || batch.length < sharedWalkMinimum()) continue;
    for (const share of splitShares(batch, parts).slice(1)) {
      for (const i of share) apart.add(batch[i]);
      pending.push(walkShareApart(script, batch, share).then((rs) => share.map((i, j) => ({ file: batch[i], result: rs?.[j] }))));
    }
  }
  return { apart, results: Promise.all(pending).then((rs) => rs.flat()) };
}

/**
 * Walk the files at `walk` of a batch in a worker thread shown the whole batch; their facts (or
 * errors) in the order of `walk`; undefined when the worker failed.
 */
async function walkShareApart(script: string, batch: { path: string; text: string }[], walk: number[]): Promise<PoolResult[] | undefined> {
  const worker = new Worker(script);
  try {
    const res = await new Promise<ShareResult>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      const req: ShareRequest = { share: true, batch: batch.map((f) => ({ path: f.path, text: f.text })), walk };
      worker.postMessage(req);
    });
    return res.results.map((r) => (r.facts !== undefined ? { facts: decodeFacts(r.facts) } : { error: r.error }));
  } catch {
    return undefined;
  } finally {
    await worker.terminate();
  }
}
