// Reads one source file as strict UTF-8, only if it is a regular file within the size limit
// (--max-file-size). A file that cannot be read or decoded is reported with a reason
// instead of stopping the run.

import { defaultMaxFileBytes, readRegularFile } from '../shared/readRegularFile';

/** The text of a file, or why it could not be used. */
export type ReadResult = { text: string } | { error: string };

export { defaultMaxFileBytes };

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Read and decode a file of at most `maxBytes` bytes. A leading byte-order mark is dropped. */
export async function readSource(file: string, maxBytes: number): Promise<ReadResult> {
  const read = await readRegularFile(file, maxBytes);
  if ('error' in read) {
    return { error: read.tooLarge ? `${read.error}; raise the limit with --max-file-size` : read.error };
  }
  try {
    return { text: decoder.decode(read.bytes) };
  } catch {
    return { error: 'not valid UTF-8' };
  }
}
