// A folder of cache entries (entryFile.ts), bounded in size: after a run that wrote to it, the
// least recently used entries are dropped until it fits. A folder that cannot be written is
// named once through `warn` and then only read; the run goes on either way.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseEntry, TEMP_SUFFIX, writeEntry } from './entryFile';
import { cacheVersion } from './version';

/** The default size bound, in bytes. */
export const defaultCacheBytes = 200 * 1024 * 1024;

/** A temporary file older than this was left by a process that died: it is removed. */
const STALE_TEMP_MS = 10 * 60 * 1000;

/** Where the cache lives and how big it may grow. */
export interface DiskCacheOptions {
  dir: string;
  /** Size bound in bytes (default 200 MB). */
  maxBytes?: number;
  /** Told once when the folder cannot be written (one line, no prefix). */
  warn?: (message: string) => void;
  /** The version entries must carry (default: this build's); tests pass another to play an older build. */
  version?: string;
}

/** A bounded folder of versioned entries. */
export class DiskCache {
  readonly dir: string;
  private readonly maxBytes: number;
  private readonly version: string;
  private writable = true;
  private prepared = false;
  private wrote = false;

  constructor(private readonly options: DiskCacheOptions) {
    this.dir = path.resolve(options.dir);
    this.maxBytes = options.maxBytes ?? defaultCacheBytes;
    this.version = options.version ?? cacheVersion;
  }

  /** The payload stored under `key`, or undefined (missing, truncated, corrupt or of another version). */
  get(kind: string, key: string): string | undefined {
    const file = this.fileOf(kind, key);
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(file);
    } catch {
      return undefined;
    }
    const payload = parseEntry(bytes, this.version, kind, key);
    if (payload !== undefined) this.touch(file);
    return payload;
  }

  /** Store `text` under `key` (replacing any entry); does nothing once the folder proved unwritable. */
  put(kind: string, key: string, text: string): void {
    if (!this.writable) return;
    try {
      this.prepare();
      writeEntry(this.fileOf(kind, key), this.version, kind, key, text);
      this.wrote = true;
    } catch (err) {
      // Windows refuses to rename over a file another process is reading: that entry waits for the next run.
      if (this.prepared && process.platform === 'win32' && ['EPERM', 'EBUSY', 'EACCES'].includes((err as NodeJS.ErrnoException).code ?? '')) return;
      this.writable = false;
      this.options.warn?.(`cannot write the analysis cache in ${this.dir} (${(err as Error).message}); going on without it`);
    }
  }

  /** Drop the least recently used entries until the folder fits its bound (only after a run that wrote). */
  evict(): void {
    if (!this.wrote) return;
    this.wrote = false;
    const entries = this.entries();
    let total = entries.reduce((n, e) => n + e.size, 0);
    const now = Date.now();
    for (const e of entries) {
      const staleTemp = e.name.endsWith(TEMP_SUFFIX) && now - e.mtimeMs > STALE_TEMP_MS;
      if (total <= this.maxBytes && !staleTemp) continue;
      if (e.name.endsWith(TEMP_SUFFIX) && !staleTemp) continue; // another process is writing it
      try {
        fs.unlinkSync(path.join(this.dir, e.name));
        total -= e.size;
      } catch {
        // already gone (another process evicted it)
      }
    }
  }

  /** The entry files (and temporary files), oldest first. */
  private entries(): { name: string; size: number; mtimeMs: number }[] {
    let names: string[];
    try {
      names = fs.readdirSync(this.dir);
    } catch {
      return [];
    }
    const out = [];
    for (const name of names) {
      if (!/^[0-9a-f]{64}\.[a-z]+/.test(name)) continue;
      try {
        const st = fs.statSync(path.join(this.dir, name));
        if (st.isFile()) out.push({ name, size: st.size, mtimeMs: st.mtimeMs });
      } catch {
        // removed meanwhile
      }
    }
    return out.sort((a, b) => a.mtimeMs - b.mtimeMs);
  }

  /** Create the folder, marked as a cache that version control and backups leave alone. */
  private prepare(): void {
    if (this.prepared) return;
    fs.mkdirSync(this.dir, { recursive: true });
    const ignore = path.join(this.dir, '.gitignore');
    if (!fs.existsSync(ignore)) fs.writeFileSync(ignore, '# Written by lockorder: its analysis cache, safe to delete.\n*\n');
    const tag = path.join(this.dir, 'CACHEDIR.TAG');
    if (!fs.existsSync(tag)) fs.writeFileSync(tag, 'Signature: 8a477f597d28d172789f06886806bc55\n# lockorder analysis cache\n');
    this.prepared = true;
  }

  /** Mark an entry as just used, so eviction drops others first. */
  private touch(file: string): void {
    if (!this.writable) return;
    const now = new Date();
    try {
      fs.utimesSync(file, now, now);
    } catch {
      // a read-only cache is still read
    }
  }

  private fileOf(kind: string, key: string): string {
    return path.join(this.dir, `${key}.${kind}`);
  }
}
