// Reads one source file as strict UTF-8. A file that cannot be read or decoded is
// reported with a reason instead of stopping the run.

import { promises as fs } from 'node:fs';
import { describeFsError } from './files';

/** The text of a file, or why it could not be used. */
export type ReadResult = { text: string } | { error: string };

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Read and decode a file. A leading byte-order mark is dropped. */
export async function readSource(file: string): Promise<ReadResult> {
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(file);
  } catch (err) {
    return { error: describeFsError(err) };
  }
  try {
    return { text: decoder.decode(bytes) };
  } catch {
    return { error: 'not valid UTF-8' };
  }
}
