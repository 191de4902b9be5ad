// Walking a batch whose front end resolves across files (a type checker) on more than one core:
// each thread is shown its share of the files (with the batch's first file and its scripts) and
// walks it; its type checker reads from disk what the share imports from other shares, so the
// texts must be the files' own. Used by the CLI over many such files; the language server keeps
// one program in memory for incremental edits instead.

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
 * Split a batch into `parts` shares of about equal text size, each a run of neighbouring paths
 * (a folder's files mostly import each other, so a share needs few files of other shares);
 * returns each share's indices in the batch, in batch order.
 */
export function splitShares(files: { path: string; text: string }[], parts: number): number[][] {
  const order = files.map((_, i) => i).sort((a, b) => (files[a].path < files[b].path ? -1 : files[a].path > files[b].path ? 1 : 0));
  const total = files.reduce((n, f) => n + f.text.length, 0);
  const shares: number[][] = [[]];
  let size = 0;
  for (const i of order) {
    if (size >= (total * shares.length) / parts && shares.length < parts) shares.push([]);
    shares[shares.length - 1].push(i);
    size += files[i].text.length;
  }
  return shares.map((s) => s.sort((a, b) => a - b));
}

/**
 * What a thread walking a share is shown: the batch's first file (its config is the program's),
 * the share, and every script (no import or export: its declarations are global). Files the
 * share imports are read by the type checker as it resolves them.
 */
function shownFor(batch: SourceFile[], share: number[]): SourceFile[] {
  const inShare = new Set(share);
  return batch.filter((f, i) => i === 0 || inShare.has(i) || !/\b(import|export|require)\b/.test(f.text));
}

/** Files handed to other threads, and their results once walked (undefined: a worker failed, walk them here). */
export interface SharedWalk {
  apart: Set<SourceFile>;
  /** What this thread shows its front end of each batch (the whole batch when it is not shared). */
  shown: Map<SourceFile[], SourceFile[]>;
  results: Promise<{ file: SourceFile; result: PoolResult | undefined }[]>;
}

/**
 * Start walking, in worker threads, all shares but the first of each batch large enough; the
 * caller shows every batch to its front end and walks the files not `apart` itself meanwhile.
 */
export function walkInShares(script: string, batches: SourceFile[][]): SharedWalk {
  const apart = new Set<SourceFile>();
  const shown = new Map<SourceFile[], SourceFile[]>();
  const pending: Promise<{ file: SourceFile; result: PoolResult | undefined }[]>[] = [];
  const parts = shareCount();
  for (const batch of batches) {
    if (parts < 2 || batch.length < sharedWalkMinimum()) continue;
    const [mine, ...others] = splitShares(batch, parts);
    shown.set(batch, shownFor(batch, mine));
    for (const share of others) {
      for (const i of share) apart.add(batch[i]);
      const files = shownFor(batch, share);
      const walk = share.map((i) => files.indexOf(batch[i]));
      pending.push(walkShareApart(script, files, walk).then((rs) => share.map((i, j) => ({ file: batch[i], result: rs?.[j] }))));
    }
  }
  return { apart, shown, results: Promise.all(pending).then((rs) => rs.flat()) };
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
