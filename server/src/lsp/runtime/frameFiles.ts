// The workspace files that report frames name, read to place findings and to tell whether a
// line changed: only files inside the workspace folders after resolving symlinks, only regular
// files (never a FIFO or a device), and only up to 10 MB (a larger file is judged by its
// modification time alone). What was read is kept per (file, size, modification time), so an
// edit elsewhere does not read them again.

import { promises as fs } from 'node:fs';
import { openRegular } from './regularFile';
import { resolveInside } from '../realPaths';
import type { FileLines } from './staleness';
import { oneLine } from './text';

/** Files named by frames are read only up to this size (the CLI skips larger sources too). */
export const frameFileCapBytes = 10 * 1024 * 1024;

/** The frame files of one placement: their lines, and the paths that lead outside the workspace. */
export interface FrameFileView {
  files: Map<string, FileLines>;
  outside: Set<string>;
}

interface Cached {
  stamp: string;
  file: FileLines;
}

/** Reads and keeps the files that report frames name. */
export class FrameFiles {
  private cache = new Map<string, Cached>();
  private readonly warned = new Set<string>();

  constructor(private readonly log: (message: string) => void, private readonly capBytes = frameFileCapBytes) {}

  /** The current lines of `paths` (open documents: their editor text), inside `roots` only. */
  async load(paths: string[], roots: string[], openText: (path: string) => string | undefined): Promise<FrameFileView> {
    const files = new Map<string, FileLines>();
    const outside = new Set<string>();
    const next = new Map<string, Cached>();
    await Promise.all(paths.map(async (path) => {
      const where = await resolveInside(path, roots);
      if ('outside' in where) { outside.add(path); return; }
      const open = openText(path);
      if (open !== undefined) { files.set(path, { lines: open.split(/\r?\n/) }); return; }
      if ('missing' in where) return; // Gone: its sites are dropped.
      const file = await this.read(path, where.real, next);
      if (file) files.set(path, file);
    }));
    this.cache = next; // Only what is still named is kept.
    return { files, outside };
  }

  /** A regular file's lines, from the cache when its size and modification time are unchanged. */
  private async read(path: string, real: string, next: Map<string, Cached>): Promise<FileLines | undefined> {
    let stat;
    try {
      stat = await fs.stat(real);
    } catch {
      return undefined;
    }
    if (!stat.isFile()) return undefined;
    const cached = this.cache.get(real);
    if (cached && cached.stamp === stampOf(stat)) {
      next.set(real, cached);
      return cached.file;
    }
    if (stat.size > this.capBytes) {
      this.warnTooLarge(path, stat.size);
      const entry = { stamp: stampOf(stat), file: { lines: [], mtimeMs: stat.mtimeMs, tooLarge: true } };
      next.set(real, entry);
      return entry.file;
    }
    const opened = await openRegular(real);
    if ('problem' in opened) return undefined;
    try {
      const size = Math.min(opened.stat.size, this.capBytes);
      const buffer = Buffer.alloc(size);
      const { bytesRead } = await opened.handle.read(buffer, 0, size, 0);
      const entry = { stamp: stampOf(opened.stat), file: { lines: buffer.subarray(0, bytesRead).toString('utf8').split(/\r?\n/), mtimeMs: opened.stat.mtimeMs } };
      next.set(real, entry);
      return entry.file;
    } catch {
      return undefined;
    } finally {
      await opened.handle.close().catch(() => undefined);
    }
  }

  private warnTooLarge(path: string, size: number): void {
    const key = `${path}\0${size}`;
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.log(`lockorder: ${oneLine(path, 300)} is larger than ${this.capBytes / 1024 / 1024} MB; it is not read for run-time findings (their lines there are not compared with the report).`);
  }
}

/** What identifies a file's content without reading it. */
function stampOf(stat: { dev: number; ino: number; size: number; mtimeMs: number }): string {
  return `${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeMs}`;
}
