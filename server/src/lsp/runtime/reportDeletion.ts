// What "Clear Run-Time Reports" may delete, decided here and nowhere else: a regular file (not a
// symlink, FIFO or device), inside the workspace folders after resolving symlinks, whose first
// line is a lockorder report record. Each file is checked again right before it is deleted.

import { promises as fs } from 'node:fs';
import { openRegular } from './regularFile';
import { looksLikeReport } from './record';
import { resolveInside } from '../realPaths';

/** How many bytes of a file's start are enough to recognise a report. */
const startBytes = 256;

/** The real path of `path` if it is a report file that may be deleted, else undefined. */
export async function deletableReport(path: string, roots: string[]): Promise<string | undefined> {
  try {
    if (!(await fs.lstat(path)).isFile()) return undefined;
  } catch {
    return undefined;
  }
  const where = await resolveInside(path, roots);
  if (!('real' in where)) return undefined;
  const opened = await openRegular(where.real);
  if ('problem' in opened) return undefined;
  try {
    const start = Buffer.alloc(startBytes);
    const { bytesRead } = await opened.handle.read(start, 0, startBytes, 0);
    return looksLikeReport(start.subarray(0, bytesRead).toString('utf8')) ? where.real : undefined;
  } catch {
    return undefined;
  } finally {
    await opened.handle.close().catch(() => undefined);
  }
}

/** The candidates that may be deleted, in order. */
export async function deletableReports(candidates: string[], roots: string[]): Promise<string[]> {
  const ok = await Promise.all(candidates.map((path) => deletableReport(path, roots)));
  return candidates.filter((_, i) => ok[i] !== undefined);
}

/** Delete each candidate that may be deleted (checked again now); returns the paths deleted. */
export async function deleteReports(candidates: string[], roots: string[]): Promise<string[]> {
  const deleted: string[] = [];
  for (const path of candidates) {
    const real = await deletableReport(path, roots);
    if (real === undefined) continue;
    try {
      await fs.unlink(real);
      deleted.push(path);
    } catch { /* already gone, or not ours to delete */ }
  }
  return deleted;
}
