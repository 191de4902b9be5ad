// One cache entry on disk: a header line (magic, version, kind, key, payload length and
// checksum) and the payload, deflated (facts shrink about fourfold, and inflating them costs
// about what reading and checksumming the larger file would). Read back only when every part checks out, so a truncated,
// corrupt or foreign entry is a miss; written to a temporary file in the same folder and
// renamed, so a reader (or a second writer) never sees half an entry.

import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { deflateRawSync, inflateRawSync } from 'node:zlib';

const MAGIC = 'lockorder-cache';

/** The file extension of temporary files, left behind only by a process that died mid-write. */
export const TEMP_SUFFIX = '.tmp';

/** The checksum of a payload (corruption, not tampering: the cache is the user's own). */
function checksum(payload: Buffer): string {
  return createHash('sha1').update(payload).digest('hex');
}

/** The header line of an entry. */
function header(version: string, kind: string, key: string, payload: Buffer): string {
  return `${MAGIC} ${version} ${kind} ${key} ${payload.length} ${checksum(payload)}\n`;
}

/** The payload of an entry file's bytes, or undefined when anything does not check out. */
export function parseEntry(bytes: Buffer, version: string, kind: string, key: string): string | undefined {
  const eol = bytes.indexOf(10);
  if (eol < 0 || eol > 1024) return undefined;
  const [magic, v, k, name, length, sum] = bytes.subarray(0, eol).toString('latin1').split(' ');
  if (magic !== MAGIC || v !== version || k !== kind || name !== key) return undefined;
  const payload = bytes.subarray(eol + 1);
  if (String(payload.length) !== length || checksum(payload) !== sum) return undefined;
  try {
    return inflateRawSync(payload).toString('utf8');
  } catch {
    return undefined;
  }
}

/** Write an entry atomically: a temporary file in the same folder, then a rename over the name. */
export function writeEntry(file: string, version: string, kind: string, key: string, text: string): number {
  const payload = deflateRawSync(Buffer.from(text, 'utf8'), { level: 1 });
  const temp = path.join(path.dirname(file), `${path.basename(file)}.${process.pid}-${randomBytes(4).toString('hex')}${TEMP_SUFFIX}`);
  const bytes = Buffer.concat([Buffer.from(header(version, kind, key, payload), 'latin1'), payload]);
  try {
    fs.writeFileSync(temp, bytes);
    fs.renameSync(temp, file);
  } catch (err) {
    fs.rmSync(temp, { force: true });
    throw err;
  }
  return bytes.length;
}
