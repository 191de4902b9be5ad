// Opening a file that must be a regular file (a report file, a file a report frame names): the
// open never waits for a FIFO's writer and never follows a symlink in the last component, and
// the regular-file check is made on the opened file itself, so nothing can swap it in between.

import { constants, promises as fs, type Stats } from 'node:fs';
import { errorText } from '../workspaceFiles';

/** Open flags that neither block on a FIFO nor follow a final symlink (0 where the platform lacks them). */
const regularFlags = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0);

/** An open regular file, or why the path is not one. */
export type OpenedFile = { handle: fs.FileHandle; stat: Stats } | { problem: string };

/** Open `path` for reading only if it is a regular file. The caller closes the handle. */
export async function openRegular(path: string): Promise<OpenedFile> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(path, regularFlags);
  } catch (err) {
    return { problem: (err as { code?: unknown }).code === 'ELOOP' ? 'is a symbolic link' : errorText(err) };
  }
  try {
    const stat = await handle.stat();
    if (stat.isFile()) return { handle, stat };
  } catch (err) {
    await handle.close().catch(() => undefined);
    return { problem: errorText(err) };
  }
  await handle.close().catch(() => undefined);
  return { problem: 'not a regular file' };
}
