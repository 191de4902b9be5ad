// Incremental reading of runtime report files (JSON Lines): each file is read from where the
// last read stopped, a half-written last line waits for its newline, corrupt lines are
// skipped (logged once per file), and nothing past the size cap is read.

import { promises as fs } from 'node:fs';
import { errorText } from '../workspaceFiles';
import { toRecord, type RuntimeRecord } from './record';

/** Report files are read only up to this many bytes. */
export const defaultReportCapBytes = 50 * 1024 * 1024;

/** Where the reader's complaints go: `warn` is for the user, `log` for the output channel. */
export interface ReaderSink {
  log(message: string): void;
  warn(message: string): void;
}

interface FileState {
  /** Bytes consumed so far (always just after a newline). */
  offset: number;
  records: RuntimeRecord[];
  corruptLogged: boolean;
  capWarned: boolean;
  versionWarned: boolean;
}

/** Holds every report file's records, read incrementally. */
export class ReportReader {
  private readonly files = new Map<string, FileState>();
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly sink: ReaderSink, private readonly capBytes = defaultReportCapBytes) {}

  /** Read what was appended to `path` since the last read; true if new records came in. */
  update(path: string): Promise<boolean> {
    const run = this.chain.then(() => this.readNew(path));
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** Forget a deleted file; true if it had records. */
  forget(path: string): boolean {
    const state = this.files.get(path);
    this.files.delete(path);
    return (state?.records.length ?? 0) > 0;
  }

  /** Forget every file not in `keep` (the report files that exist now); true if any had records. */
  retain(keep: Set<string>): boolean {
    let changed = false;
    for (const path of [...this.files.keys()]) if (!keep.has(path)) changed = this.forget(path) || changed;
    return changed;
  }

  /** Every file's records. */
  all(): { path: string; records: RuntimeRecord[] }[] {
    return [...this.files].map(([path, state]) => ({ path, records: state.records }));
  }

  private async readNew(path: string): Promise<boolean> {
    let handle: fs.FileHandle | undefined;
    try {
      handle = await fs.open(path, 'r');
      const size = (await handle.stat()).size;
      let state = this.files.get(path);
      let changed = false;
      if (!state || size < state.offset) {
        // New, or rewritten from the start (truncated): read it all again.
        changed = (state?.records.length ?? 0) > 0;
        state = { offset: 0, records: [], corruptLogged: false, capWarned: false, versionWarned: false };
        this.files.set(path, state);
      }
      const end = Math.min(size, this.capBytes);
      if (size > this.capBytes && !state.capWarned) {
        state.capWarned = true;
        this.sink.warn(`lockorder: report ${path} is larger than ${Math.round(this.capBytes / 1024 / 1024)} MB; only its first ${Math.round(this.capBytes / 1024 / 1024)} MB are read.`);
      }
      if (end <= state.offset) return changed;
      const buffer = Buffer.alloc(end - state.offset);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, state.offset);
      const lastNewline = buffer.subarray(0, bytesRead).lastIndexOf(0x0a);
      if (lastNewline < 0) return changed;
      state.offset += lastNewline + 1;
      return this.parseLines(path, state, buffer.subarray(0, lastNewline).toString('utf8')) || changed;
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if (code === 'ENOENT') return this.forget(path);
      this.sink.log(`lockorder: cannot read report ${path}: ${errorText(err)}`);
      return false;
    } finally {
      await handle?.close().catch(() => undefined);
    }
  }

  /** Parse complete lines into records; true if any record was added. */
  private parseLines(path: string, state: FileState, text: string): boolean {
    let added = 0;
    let corrupt = 0;
    for (const raw of text.split('\n')) {
      const line = raw.trim();
      if (!line) continue;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        corrupt++;
        continue;
      }
      const parsed = toRecord(value);
      if ('record' in parsed) {
        state.records.push(parsed.record);
        added++;
      } else if (parsed.version !== undefined && parsed.version !== null && typeof value === 'object') {
        if (!state.versionWarned) {
          state.versionWarned = true;
          this.sink.warn(`lockorder: report ${path} uses report schema version ${JSON.stringify(parsed.version)}, which this version of the extension cannot read (it reads version 1). Update the extension, or the runtime that wrote the report.`);
        }
      } else {
        corrupt++;
      }
    }
    if (corrupt > 0 && !state.corruptLogged) {
      state.corruptLogged = true;
      this.sink.log(`lockorder: report ${path}: skipped ${corrupt} corrupt line(s)`);
    }
    return added > 0;
  }
}
