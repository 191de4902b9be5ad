// Reading a file named by a setting or an argument, safely: only a regular file (a device
// or a FIFO, even behind a symlink, is refused without blocking on it), at most a size cap,
// decoded as UTF-8. Failures come back as a short reason, never as an exception.

import { constants, promises as fs } from 'node:fs';

/** The default size cap: 10 MB. */
export const defaultMaxBytes = 10 * 1024 * 1024;

/** The text of the file, or a one-line reason it was not read. */
export type RegularFileText = { text: string } | { error: string; missing?: boolean };

/** Read a regular file of at most `maxBytes` bytes (a leading byte-order mark is kept). */
export async function readRegularFile(path: string, maxBytes = defaultMaxBytes): Promise<RegularFileText> {
  let handle: fs.FileHandle;
  try {
    // O_NONBLOCK: opening a FIFO for reading must not wait for a writer.
    handle = await fs.open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    return openError(err);
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) return { error: 'not a regular file' };
    if (stat.size > maxBytes) return { error: tooLarge(stat.size, maxBytes) };
    const buffer = Buffer.alloc(Math.min(stat.size, maxBytes) + 1);
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > maxBytes) return { error: tooLarge(length, maxBytes) };
    return { text: buffer.subarray(0, length).toString('utf8') };
  } catch (err) {
    return openError(err);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

function tooLarge(size: number, maxBytes: number): string {
  const mb = (n: number): string => `${Number((n / (1024 * 1024)).toFixed(1))} MB`;
  return `too large (${mb(size)}; the limit is ${mb(maxBytes)})`;
}

function openError(err: unknown): RegularFileText {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return { error: 'no such file or directory', missing: true };
  if (code === 'ENOTDIR') return { error: 'no such file or directory', missing: true };
  if (code === 'EACCES' || code === 'EPERM') return { error: 'permission denied' };
  if (code === 'EISDIR') return { error: 'not a regular file' };
  if (code === 'ELOOP') return { error: 'too many levels of symbolic links' };
  return { error: code ?? (err instanceof Error ? err.message : String(err)) };
}
