// The cache's record of files it has read: per path, the size, times and inode the file had
// when it was read, and the hash of its text. A later run whose stat of a file finds the same
// values may take the hash without reading the file (ruff and mypy do the same). Exact, as git's
// "racy clean" check is: a file changed in the same tick as its recorded times would look
// unchanged, so a file whose modification or change time lies within RACY_MS of its reading is
// never recorded (it is read again next run, by then old enough). The change time (ctime) also
// catches an edit that restores the modification time, as `cp -p` or `rsync -t` do. The window
// is measured with this machine's clock: a network file system whose clock runs more than RACY_MS
// behind, with coarse times, could still hide an edit made within a tick of the reading.

import type { DiskCache } from './diskCache';

/** What a stat of a file says, as compared (node's fs.Stats has these). */
export interface FileStat {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
  dev: number;
}

/** Times this close to the reading are too coarse to tell a later edit apart (FAT: 2 s ticks). */
export const RACY_MS = 2000;

/** Past this many recorded files, those not seen in a run are dropped when it saves. */
const MAX_ENTRIES = 100_000;

/** One record: size, mtime, ctime, inode, device, text hash. */
type Entry = [number, number, number, number, number, string];

/** The record of read files, one cache entry loaded on first use and saved by `save`. */
export class StatIndex {
  private entries: Map<string, Entry> | undefined;
  private readonly seen = new Set<string>();
  private changed = false;

  constructor(private readonly disk: DiskCache, private readonly key: string) {}

  /** The hash of `path`'s text when `stat` matches the record; undefined otherwise. */
  hashOf(path: string, stat: FileStat): string | undefined {
    const e = this.load().get(path);
    if (!e || !sameStat(e, stat)) return undefined;
    this.seen.add(path);
    return e[5];
  }

  /** Record `path`'s text hash with its stat taken before reading it at `readAt` (ms since the epoch). */
  record(path: string, stat: FileStat, readAt: number, hash: string): void {
    const entries = this.load();
    this.seen.add(path);
    if (Math.max(stat.mtimeMs, stat.ctimeMs) >= readAt - RACY_MS) {
      if (entries.delete(path)) this.changed = true;
      return;
    }
    const old = entries.get(path);
    if (old && sameStat(old, stat) && old[5] === hash) return;
    entries.set(path, [stat.size, stat.mtimeMs, stat.ctimeMs, stat.ino, stat.dev, hash]);
    this.changed = true;
  }

  /** Write the record back if this run changed it (temporary file and rename, as every entry). */
  save(): void {
    if (!this.changed || !this.entries) return;
    this.changed = false;
    let entries = [...this.entries];
    if (entries.length > MAX_ENTRIES) entries = entries.filter(([path]) => this.seen.has(path));
    this.disk.put('stats', this.key, JSON.stringify(entries));
  }

  private load(): Map<string, Entry> {
    if (this.entries) return this.entries;
    this.entries = new Map();
    const text = this.disk.get('stats', this.key);
    try {
      const list: unknown = text === undefined ? [] : JSON.parse(text);
      if (Array.isArray(list)) for (const item of list) if (isRecord(item)) this.entries.set(item[0], item[1]);
    } catch {
      // not a record: every file is read, and the record written again
    }
    return this.entries;
  }
}

function sameStat(e: Entry, s: FileStat): boolean {
  return e[0] === s.size && e[1] === s.mtimeMs && e[2] === s.ctimeMs && e[3] === s.ino && e[4] === s.dev;
}

function isRecord(item: unknown): item is [string, Entry] {
  if (!Array.isArray(item) || item.length !== 2 || typeof item[0] !== 'string') return false;
  const e = item[1] as unknown[];
  return Array.isArray(e) && e.length === 6 && e.slice(0, 5).every((n) => typeof n === 'number') && typeof e[5] === 'string';
}
