// Reads a file only when it is a regular file (after following symbolic links) and no larger
// than a cap, for the CLI and the language server. A device (`/dev/zero`), a FIFO or a socket,
// or a link to one, is refused without reading: such a file never ends or blocks forever.
// The file is opened with O_NONBLOCK and checked again on the open handle, so a file swapped
// for a FIFO between the check and the open cannot hang the reader either.

import { constants, promises as fs } from 'node:fs';
import type { Stats } from 'node:fs';

/**
 * The bytes of a file, or why it was not read: `missing` when it does not exist, `tooLarge`
 * when only the cap stood in the way.
 */
export type RegularFileResult = { bytes: Buffer } | { error: string; missing?: boolean; tooLarge?: boolean };

/** The default cap (the CLI's --max-file-size, the order file): larger files are generated, not written by hand. */
export const defaultMaxFileBytes = 10 * 1024 * 1024;

/** Open flags: read only, never block on a FIFO or device, never become a controlling terminal. */
const openFlags = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);

/** Read chunks of this size, so a file that grows while read is stopped near the cap. */
const chunkBytes = 1024 * 1024;

/** Read `file` if it is a regular file of at most `maxBytes` bytes. Never throws. */
export async function readRegularFile(file: string, maxBytes: number): Promise<RegularFileResult> {
  try {
    const refused = refusal(await fs.stat(file), maxBytes);
    if (refused) return refused;
    const handle = await fs.open(file, openFlags);
    try {
      const stat = await handle.stat();
      return refusal(stat, maxBytes) ?? await readUpTo(handle, maxBytes, stat.size);
    } finally {
      await handle.close();
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException | undefined)?.code;
    return { error: describeFsError(err), missing: code === 'ENOENT' || code === 'ENOTDIR' };
  }
}

/** Why a file with these stats is not read, or undefined when it may be read. */
function refusal(stat: Stats, maxBytes: number): RegularFileResult | undefined {
  if (!stat.isFile()) return { error: `not a regular file (${fileKind(stat)})` };
  if (stat.size > maxBytes) return tooLarge(maxBytes, stat.size);
  return undefined;
}

/**
 * Read at most `maxBytes` bytes; a file that turns out longer (it grew) is refused. The first
 * read asks for one byte more than the expected size, so a file that did not change is read
 * in one call and its end seen in the next.
 */
async function readUpTo(handle: fs.FileHandle, maxBytes: number, expected: number): Promise<RegularFileResult> {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const want = Math.min(total === 0 ? expected + 1 : chunkBytes, maxBytes + 1 - total);
    const chunk = Buffer.allocUnsafe(want);
    const { bytesRead } = await handle.read(chunk, 0, want, null);
    if (bytesRead === 0) break;
    chunks.push(bytesRead === want ? chunk : chunk.subarray(0, bytesRead));
    total += bytesRead;
    if (total > maxBytes) return tooLarge(maxBytes);
  }
  return { bytes: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total) };
}

function tooLarge(maxBytes: number, size?: number): RegularFileResult {
  const actual = size === undefined ? 'it grew while being read' : formatBytes(size);
  return { error: `larger than the ${formatBytes(maxBytes)} size limit (${actual})`, tooLarge: true };
}

/** What kind of non-regular file this is, in words. */
function fileKind(stat: Stats): string {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  return 'not a file';
}

/** `10 MB`, `512 KB`, `300 bytes` (binary units, one decimal when needed). */
export function formatBytes(bytes: number): string {
  const units: [number, string][] = [[1024 ** 3, 'GB'], [1024 ** 2, 'MB'], [1024, 'KB']];
  for (const [size, unit] of units) {
    if (bytes >= size) return `${Number((bytes / size).toFixed(1))} ${unit}`;
  }
  return `${bytes} bytes`;
}

/** A short readable reason for a file-system error. */
export function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  if (code === 'ELOOP') return 'symbolic link loop';
  if (code === 'ENAMETOOLONG') return 'file name too long';
  return err instanceof Error ? err.message : String(err);
}
