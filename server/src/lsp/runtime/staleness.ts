// Whether a record's line still says what it said when the record was written: the runtime
// stores each frame's source line (`code`); without it, the file's modification time is
// compared with the record's time. A line that no longer exists drops the site. A suppression
// comment added since does not count as a change. A file too large to read is judged by its
// modification time alone.

import { lineWithoutSuppression } from './lineComments';
import type { RecordFrame } from './record';

/** A file's current lines, and when it last changed on disk (absent for open documents). */
export interface FileLines {
  lines: string[];
  mtimeMs?: number;
  /** The file was not read (over the size cap): `lines` is empty, only `mtimeMs` is known. */
  tooLarge?: boolean;
}

/** What became of a frame's line. */
export type LineState = 'current' | 'changed' | 'gone';

/** Compare a frame with the file as it is now. */
export function lineState(frame: RecordFrame, file: FileLines | undefined, recordTime: number | undefined): LineState {
  if (file?.tooLarge) return file.mtimeMs !== undefined && recordTime !== undefined && file.mtimeMs > recordTime ? 'changed' : 'current';
  if (!file || frame.line > file.lines.length) return 'gone';
  if (frame.code !== undefined) return lineWithoutSuppression(frame.file, file.lines[frame.line - 1]).trim() === lineWithoutSuppression(frame.file, frame.code).trim() ? 'current' : 'changed';
  if (file.mtimeMs !== undefined && recordTime !== undefined && file.mtimeMs > recordTime) return 'changed';
  return 'current';
}
