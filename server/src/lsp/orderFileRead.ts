// Reading the order file a workspace folder's `lockorder.orderFile` names. Its lines come
// back as diagnostics, so only a file inside a workspace folder (after resolving symbolic
// links) is read, and only a regular file under the size cap (a FIFO or device never blocks
// the server); otherwise a one-line reason that does not echo the file's content.

import { realpath } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { defaultMaxFileBytes, readRegularFile } from '../shared/readRegularFile';
import { realRoots, within } from './realPaths';

/** The order file a workspace folder's `lockorder.orderFile` names: its text, or why it is not used. */
export type OrderFileRead = { path: string; text: string } | { path: string; refused: string } | undefined;

/**
 * Read the order file named by `setting` (relative to `folder`, or absolute). It must lie
 * inside one of `folders` once symbolic links are resolved (its lines become diagnostics, so
 * a file outside the workspace must not be shown), and be a regular file under the size cap.
 * `openText` gives the editor's text of an open document. Missing: undefined.
 */
export async function readWorkspaceOrderFile(
  folder: string, setting: string, folders: string[], openText: (path: string) => string | undefined,
): Promise<OrderFileRead> {
  const path = isAbsolute(setting) ? setting : join(folder, setting);
  const real = await realLocation(path);
  if (real === undefined) {
    const text = openText(path);
    return text === undefined ? undefined : { path, refused: outsideMessage };
  }
  const roots = await realRoots(folders.map((f) => ({ path: f })));
  if (!within(real, roots) || roots.includes(real)) return { path, refused: outsideMessage };
  const text = openText(path);
  if (text !== undefined) return { path, text };
  const read = await readRegularFile(real, defaultMaxFileBytes);
  if ('bytes' in read) return { path, text: read.bytes.toString('utf8') };
  return 'missing' in read && read.missing ? undefined : { path, refused: `order file not read: ${read.error}` };
}

const outsideMessage = 'order file not read: lockorder.orderFile must name a file inside the workspace folder (after resolving symbolic links)';

/** The real path of a file, or of its folder plus its name when the file does not exist yet. */
async function realLocation(path: string): Promise<string | undefined> {
  try {
    return await realpath(path);
  } catch {
    try {
      return join(await realpath(dirname(path)), basename(path));
    } catch {
      return undefined;
    }
  }
}
