// Source files for tests that walk a corpus: the files below a folder with given extensions,
// the ones that decode as UTF-8 with their texts, and a slice of this machine's standard library.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';

/** Every file below `dir` whose name ends with one of `exts` (site-packages left out), sorted. */
export function filesBelow(dir, exts) {
  return readdirSync(dir, { recursive: true }).map(String).filter((f) => exts.some((e) => f.endsWith(e)) && !f.includes('site-packages'))
    .sort().map((f) => join(dir, f));
}

/** Files that decode as UTF-8, with their texts. */
export function readable(paths) {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  return paths.flatMap((path) => {
    try {
      return [{ path, text: decoder.decode(readFileSync(path)) }];
    } catch {
      return [];
    }
  });
}

/** The .py files of this machine's standard library, sorted. */
export function stdlibFiles() {
  const lib = execFileSync('python3', ['-c', 'import sysconfig; print(sysconfig.get_paths()["stdlib"])']).toString().trim();
  return filesBelow(lib, ['.py']);
}
