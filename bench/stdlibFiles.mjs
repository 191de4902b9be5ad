// The standard library as a benchmark corpus, shared by bench/static.mjs and bench/graph.mjs:
// where it is, its .py files (site-packages and __pycache__ left out), and their UTF-8 texts.

import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The stdlib folder of the `python3` on PATH. */
export function stdlibDir() {
  return execFileSync('python3', ['-c', 'import sysconfig; print(sysconfig.get_paths()["stdlib"])'], { encoding: 'utf8' }).trim();
}

/** Every .py file below `dir`, skipping site-packages and __pycache__. */
export function pythonFiles(dir, out = []) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'site-packages' && e.name !== '__pycache__') pythonFiles(p, out);
    } else if (e.name.endsWith('.py')) out.push(p);
  }
  return out;
}

/** The files that decode as UTF-8, with their texts (the others are skipped, as the CLI and server do). */
export function readUtf8(paths) {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const files = [];
  for (const path of paths) {
    try {
      files.push({ path, text: decoder.decode(readFileSync(path)) });
    } catch {
      // not UTF-8
    }
  }
  return files;
}
