// The analysis cache the engine uses: a file's facts stored under a key made of its path, its
// content hash and the lock-taking property names its walk recorded (the only setting that
// changes a Python file's facts); the version is in every entry. Also the whole result of a
// run, under a key made of every file's key and the options, so an unchanged tree is not
// linked again; and a record of the files read (statIndex.ts), so an unchanged file need not be
// read to know its hash. Results stay exact: a key covers everything its value was computed from.

import { createHash } from 'node:crypto';
import type { FileFacts } from '../events';
import { decodeFacts, encodeFacts } from '../parallel/factsCodec';
import { frontEndFor } from '../frontEnds';
import type { AnalysisResult, AnalyzeOptions, SourceFile } from '../types';
import { DiskCache, type DiskCacheOptions } from './diskCache';
import { StatIndex, type FileStat } from './statIndex';
import { cacheVersion } from './version';

/** A file known by its content hash (its text may not have been read). */
export interface HashedFile {
  path: string;
  hash: string;
}

/** How a run used the cache. */
export interface CacheStats {
  /** Files whose facts came from the cache (never walked in this run). */
  fromCache: number;
  /** Files parsed and walked. */
  parsed: number;
  /** The whole result came from the cache (nothing was linked). */
  wholeResult: boolean;
  /** Files not read at all: their size and times were those recorded when they were last read. */
  unread: number;
}

/** Facts and results of earlier runs, on disk. */
export class AnalysisCache {
  private readonly disk: DiskCache;
  private readonly hashes = new Map<string, { text: string; hash: string }>();
  private readonly hit = new Set<string>();
  private readonly walked = new Set<string>();
  private wholeResult = false;
  private readonly statIndex: StatIndex;
  private unread = 0;

  constructor(options: DiskCacheOptions) {
    this.disk = new DiskCache(options);
    this.statIndex = new StatIndex(this.disk, sha256(`${cacheVersion}\0stats`));
  }

  /** The hash of a file's text when its stat matches the one recorded when it was read (see statIndex.ts). */
  knownHash(path: string, stat: FileStat): string | undefined {
    const hash = this.statIndex.hashOf(path, stat);
    if (hash !== undefined) this.unread++;
    return hash;
  }

  /** A file read at `readAt` (ms since the epoch) with `stat` taken just before: its hash, recorded. */
  noteRead(path: string, stat: FileStat, readAt: number, text: string): HashedFile {
    const hash = this.contentHash(path, text);
    this.statIndex.record(path, stat, readAt, hash);
    return { path, hash };
  }

  /** A file read, known by its hash. */
  hashed(file: SourceFile): HashedFile {
    return { path: file.path, hash: this.contentHash(file.path, file.text) };
  }

  /** The cache folder. */
  get dir(): string {
    return this.disk.dir;
  }

  /** The stored facts of a file walked from `text` with `reads`, if any. */
  facts(path: string, text: string, reads: ReadonlySet<string>): FileFacts | undefined {
    const payload = this.disk.get('facts', this.factsKey(path, text, reads));
    let facts: FileFacts | undefined;
    try {
      facts = payload === undefined ? undefined : decodeFacts(payload);
    } catch {
      facts = undefined; // not the facts it claims to be: walked again and rewritten
    }
    if (facts?.path !== path) facts = undefined;
    if (facts) this.hit.add(path);
    return facts;
  }

  /** Store the facts of a file just walked (`encoded`: the same facts as encodeFacts wrote them, when at hand). */
  storeFacts(path: string, text: string, reads: ReadonlySet<string>, facts: FileFacts, encoded?: string): void {
    this.walked.add(path);
    this.disk.put('facts', this.factsKey(path, text, reads), encoded ?? encodeFacts(facts));
  }

  /**
   * The stored result of analyzing exactly these files (in this order) with these options. None
   * when a file's front end reads beyond the file (TypeScript reads tsconfig.json and finds package.json).
   */
  result(files: readonly HashedFile[], options: AnalyzeOptions): AnalysisResult | undefined {
    if (!files.every((f) => frontEndFor(f.path).parallel)) return undefined;
    const payload = this.disk.get('result', this.resultKey(files, options));
    try {
      const result = payload === undefined ? undefined : JSON.parse(payload) as AnalysisResult;
      if (!result || !Array.isArray(result.findings) || !Array.isArray(result.locks)) return undefined;
      this.wholeResult = true;
      for (const f of files) this.hit.add(f.path);
      return result;
    } catch {
      return undefined;
    }
  }

  /** Store the result of analyzing these files with these options. */
  storeResult(files: readonly HashedFile[], options: AnalyzeOptions, result: AnalysisResult): void {
    if (!files.every((f) => frontEndFor(f.path).parallel)) return;
    this.disk.put('result', this.resultKey(files, options), JSON.stringify(result));
  }

  /** A text stored by name (the editor's last diagnostics of a workspace), if any. */
  named(name: string): string | undefined {
    return this.disk.get('named', sha256(`${cacheVersion}\0named\0${name}`));
  }

  /** Store a text by name. */
  storeNamed(name: string, text: string): void {
    this.disk.put('named', sha256(`${cacheVersion}\0named\0${name}`), text);
  }

  /** How this run used the cache so far. */
  stats(): CacheStats {
    let fromCache = 0;
    for (const p of this.hit) if (!this.walked.has(p)) fromCache++;
    return { fromCache, parsed: this.walked.size, wholeResult: this.wholeResult, unread: this.unread };
  }

  /** Save the record of files read and bound the folder's size (call at the end of a run). */
  finish(): void {
    this.statIndex.save();
    this.disk.evict();
  }

  private factsKey(path: string, text: string, reads: ReadonlySet<string>): string {
    return sha256(`${cacheVersion}\0facts\0${path}\0${[...reads].sort().join(',')}\0${this.contentHash(path, text)}`);
  }

  private resultKey(files: readonly HashedFile[], options: AnalyzeOptions): string {
    const hash = createHash('sha256').update(`${cacheVersion}\0result\0${JSON.stringify(options)}\0`);
    for (const f of files) hash.update(`${f.path}\0${f.hash}\0`);
    return hash.digest('hex');
  }

  /** A file's content hash, computed once per text. */
  private contentHash(path: string, text: string): string {
    const known = this.hashes.get(path);
    if (known && known.text === text) return known.hash;
    const hash = sha256(text);
    this.hashes.set(path, { text, hash });
    return hash;
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
