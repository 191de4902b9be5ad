// Incremental reading of runtime report files (JSON Lines): each file is read from where the
// last read stopped, a half-written last line waits for its newline, corrupt lines are
// skipped (logged once per file), and nothing past the size cap is read. Before every read the
// path is resolved and must lead to a regular file inside the workspace folders. A file is
// read again from its start when it is another file than before: another inode, or another
// first line (a report rewritten in place), or shorter than what was read.

import { errorText } from '../workspaceFiles';
import { openRegular } from './regularFile';
import { toRecord, versionText, type RuntimeRecord } from './record';

/** Whether a file's state holds anything read from it. */
const holdsAnything = (state: FileState | undefined) => (state?.records.length ?? 0) + (state?.observed.size ?? 0) > 0;
import { resolveInside } from '../realPaths';
import { oneLine } from './text';

/** Report files are read only up to this many bytes. */
export const defaultReportCapBytes = 50 * 1024 * 1024;

/** The first line of a report is remembered up to this many bytes, to recognise the file. */
const headBytes = 4096;

/** Where the reader's complaints go: `warn` is for the user, `log` for the output channel. */
export interface ReaderSink {
  log(message: string): void;
  warn(message: string): void;
}

interface FileState {
  /** Which file this is: device and inode, and its first bytes (up to the first line's end). */
  dev: number;
  ino: number;
  head: Buffer;
  /** Bytes consumed so far (always just after a newline). */
  offset: number;
  records: RuntimeRecord[];
  /** Edges the runs observed (graph records), as `from\u0000to` keys. */
  observed: Set<string>;
  corruptLogged: boolean;
  capWarned: boolean;
  versionWarned: boolean;
  trimLogged: boolean;
}

/** Holds every report file's records, read incrementally. */
export class ReportReader {
  private readonly files = new Map<string, FileState>();
  private readonly refused = new Set<string>();
  private chain: Promise<unknown> = Promise.resolve();
  /** Goes up whenever the records change. */
  version = 0;

  constructor(private readonly sink: ReaderSink, private readonly capBytes = defaultReportCapBytes) {}

  /** Read what was appended to `path` since the last read, if it lies inside `roots`; true if records changed. */
  update(path: string, roots: string[]): Promise<boolean> {
    const run = this.chain.then(() => this.readNew(path, roots)).then((changed) => {
      if (changed) this.version++;
      return changed;
    });
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** Forget a deleted file; true if it had records. */
  forget(path: string): boolean {
    const state = this.files.get(path);
    this.files.delete(path);
    const changed = holdsAnything(state);
    if (changed) this.version++;
    return changed;
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

  /** Every edge the runs observed (graph records of every file), as `from\u0000to` keys of `file:line`. */
  observed(): Set<string> {
    const out = new Set<string>();
    for (const state of this.files.values()) for (const key of state.observed) out.add(key);
    return out;
  }

  private async readNew(path: string, roots: string[]): Promise<boolean> {
    const where = await resolveInside(path, roots);
    if ('missing' in where) return this.forget(path);
    if ('outside' in where) return this.refuse(path, 'it leads outside the workspace folders');
    const opened = await openRegular(where.real);
    if ('problem' in opened) {
      if (opened.problem === 'no such file') return this.forget(path);
      return this.refuse(path, opened.problem);
    }
    const { handle, stat } = opened;
    try {
      let state = this.files.get(path);
      let changed = false;
      if (!state || state.dev !== stat.dev || state.ino !== stat.ino || stat.size < state.offset || !(await sameHead(handle, state.head))) {
        // New, or another file than before: read it all again.
        changed = holdsAnything(state);
        state = {
          dev: stat.dev, ino: stat.ino, head: Buffer.alloc(0), offset: 0, records: [], observed: new Set(),
          corruptLogged: false, capWarned: false, versionWarned: false, trimLogged: false,
        };
        this.files.set(path, state);
      }
      const end = Math.min(stat.size, this.capBytes);
      if (stat.size > this.capBytes && !state.capWarned) {
        state.capWarned = true;
        this.sink.warn(`lockorder: report ${shown(path)} is larger than ${Math.round(this.capBytes / 1024 / 1024)} MB; only its first ${Math.round(this.capBytes / 1024 / 1024)} MB are read.`);
      }
      if (end <= state.offset) return changed;
      const buffer = Buffer.alloc(end - state.offset);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, state.offset);
      const lastNewline = buffer.subarray(0, bytesRead).lastIndexOf(0x0a);
      if (lastNewline < 0) return changed;
      if (state.offset === 0) state.head = Buffer.from(buffer.subarray(0, Math.min(buffer.indexOf(0x0a) + 1, headBytes)));
      state.offset += lastNewline + 1;
      return this.parseLines(path, state, buffer.subarray(0, lastNewline).toString('utf8')) || changed;
    } catch (err) {
      this.sink.log(`lockorder: cannot read report ${shown(path)}: ${errorText(err)}`);
      return false;
    } finally {
      await handle.close().catch(() => undefined);
    }
  }

  /** Drop a path that may not be read (said once per path); true if it had records. */
  private refuse(path: string, why: string): boolean {
    if (!this.refused.has(path)) {
      this.refused.add(path);
      this.sink.log(`lockorder: report ${shown(path)} is not read: ${why}.`);
    }
    return this.forget(path);
  }

  /** Parse complete lines into records (and observed edges); true if any was added. */
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
      if ('observed' in parsed) {
        for (const e of parsed.observed) state.observed.add(`${e.from}\u0000${e.to}`);
        if (parsed.observed.length > 0) added++;
        continue;
      }
      if ('record' in parsed) {
        state.records.push(parsed.record);
        added++;
        if (parsed.record.trimmed && !state.trimLogged) {
          state.trimLogged = true;
          this.sink.log(`lockorder: report ${shown(path)}: some records are too large (deep stacks, or too many locks, edges or threads); they are shown trimmed.`);
        }
      } else if (parsed.version !== undefined && parsed.version !== null && typeof value === 'object') {
        if (!state.versionWarned) {
          state.versionWarned = true;
          this.sink.warn(`lockorder: report ${shown(path)} uses report schema version ${versionText(parsed.version)}, which this version of the extension cannot read (it reads version 1). Update the extension, or the runtime that wrote the report.`);
        }
      } else {
        corrupt++;
      }
    }
    if (corrupt > 0 && !state.corruptLogged) {
      state.corruptLogged = true;
      this.sink.log(`lockorder: report ${shown(path)}: skipped ${corrupt} corrupt line(s)`);
    }
    return added > 0;
  }
}

/** Whether the open file still starts with the bytes remembered from its first read. */
async function sameHead(handle: { read(b: Buffer, o: number, l: number, p: number): Promise<{ bytesRead: number }> }, head: Buffer): Promise<boolean> {
  if (head.length === 0) return true;
  const now = Buffer.alloc(head.length);
  const { bytesRead } = await handle.read(now, 0, head.length, 0);
  return bytesRead === head.length && now.equals(head);
}

/** A path as messages show it: one line, bounded. */
function shown(path: string): string {
  return oneLine(path, 300);
}
