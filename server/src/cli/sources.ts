// Reading the files a `check` run analyzes. With the analysis cache, a file whose size, times
// and inode are those the cache recorded when it last read it is not read: its hash is known
// (see analysis/cache/statIndex.ts), which is all a run whose whole result is cached needs. Such
// files are read later only when the result must be computed, or when a report shows their text.

import * as fs from 'node:fs';
import type { AnalysisCache, HashedFile } from '../analysis/cache/analysisCache';
import type { SourceFile } from '../analysis/index';
import type { SkippedPath } from './files';
import { readSource } from './read';

/** The files of a run: texts read, and hashes of files not read. */
export interface RunSources {
  /** Every readable file in the order given, by its hash. */
  hashed: HashedFile[];
  /** The texts read so far, by path. */
  texts: Map<string, string>;
  /** Files not read, their hashes known from the cache's record. */
  unread: Set<string>;
}

/** How many files are being read at once: one by one, a read's round trips to the I/O threads would leave this thread idle. */
const READ_AHEAD = 16;

/** A file whose hash the cache vouches for, or what reading it gave. */
type Looked = { file: string; known: string }
  | { file: string; stat: fs.Stats | undefined; readAt: number; read: Awaited<ReturnType<typeof readSource>> };

/** Start `start` for up to `ahead` items at a time and yield their results in order. */
async function* inOrder<T, R>(items: readonly T[], ahead: number, start: (item: T) => Promise<R>): AsyncGenerator<R> {
  const started: Promise<R>[] = [];
  for (let i = 0; i < items.length; i++) {
    while (started.length < Math.min(items.length, i + ahead)) started.push(start(items[started.length]));
    yield await started[i];
  }
}

/** Read `files` (in order), skipping what cannot be read; with a cache, only files it cannot vouch for. */
export async function readSources(files: readonly string[], maxBytes: number, cache: AnalysisCache | undefined,
  skipped: SkippedPath[]): Promise<RunSources> {
  const out: RunSources = { hashed: [], texts: new Map(), unread: new Set() };
  const look = async (file: string): Promise<Looked> => {
    const stat = cache && statOf(file);
    const known = stat && stat.isFile() && stat.size <= maxBytes ? cache.knownHash(file, stat) : undefined;
    if (known !== undefined) return { file, known };
    const readAt = Date.now();
    return { file, stat, readAt, read: await readSource(file, maxBytes) };
  };
  for await (const looked of inOrder(files, READ_AHEAD, look)) {
    const file = looked.file;
    if ('known' in looked) {
      out.hashed.push({ path: file, hash: looked.known });
      out.unread.add(file);
      continue;
    }
    const { stat, readAt, read } = looked;
    if ('error' in read) {
      skipped.push({ file, reason: read.error });
      continue;
    }
    out.texts.set(file, read.text);
    if (cache) out.hashed.push(stat ? cache.noteRead(file, stat, readAt, read.text) : cache.hashed({ path: file, text: read.text }));
    else out.hashed.push({ path: file, hash: '' });
  }
  return out;
}

/**
 * Every file's text, in order, reading the files not read yet (a file gone or changed meanwhile is
 * read as it is now, or skipped).
 */
export async function allTexts(sources: RunSources, maxBytes: number, skipped: SkippedPath[]): Promise<SourceFile[]> {
  const out: SourceFile[] = [];
  const look = async ({ path }: HashedFile) => {
    const text = sources.texts.get(path);
    return { path, read: text !== undefined ? { text } : await readSource(path, maxBytes) };
  };
  for await (const { path, read } of inOrder(sources.hashed, READ_AHEAD, look)) {
    if ('error' in read) {
      skipped.push({ file: path, reason: read.error });
      continue;
    }
    sources.texts.set(path, read.text);
    out.push({ path, text: read.text });
  }
  return out;
}

/** A file's text for a report (SARIF snippets): read now when the run did not need it. */
export function textFor(sources: RunSources, file: string): string | undefined {
  const known = sources.texts.get(file);
  if (known !== undefined || !sources.unread.has(file)) return known;
  try {
    if (!fs.statSync(file).isFile()) return undefined;
    const text = new TextDecoder('utf-8', { fatal: true }).decode(fs.readFileSync(file));
    sources.texts.set(file, text);
    return text;
  } catch {
    return undefined;
  }
}

function statOf(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file);
  } catch {
    return undefined;
  }
}
