// Finding the runtime's report files in a workspace folder: the files matching the
// `lockorder.runtime.reports` glob, walking only below the glob's literal leading folders
// (`.lockorder/` for the default), never following folder symlinks.

import { promises as fs } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { GlobSet } from '../glob';

/** How deep below the start folder the walk goes. */
const maxDepth = 12;

/** Every file under `root` whose folder-relative path matches `reports`, skipping `exclude`d folders. */
export async function findReportFiles(root: string, pattern: string, reports: GlobSet, exclude: GlobSet): Promise<string[]> {
  const found: string[] = [];
  const pending: { dir: string; depth: number }[] = [{ dir: join(root, literalPrefix(pattern)), depth: 0 }];
  while (pending.length > 0) {
    const { dir, depth } = pending.pop() as { dir: string; depth: number };
    let entries;
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch {
      continue; // No report folder (yet), or unreadable: nothing to show.
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      const rel = relative(root, path).split(sep).join('/');
      if (entry.isDirectory()) {
        if (depth < maxDepth && !exclude.matches(`${rel}/`)) pending.push({ dir: path, depth: depth + 1 });
      } else if (entry.isFile() && reports.matches(rel)) {
        found.push(path);
      }
    }
  }
  return found.sort();
}

/** The leading folders of a glob that contain no wildcard (`.lockorder` for `.lockorder/**\/*.jsonl`). */
export function literalPrefix(pattern: string): string {
  const parts = pattern.replace(/\\/g, '/').replace(/^\.\//, '').split('/');
  if (parts.length === 1) return '';
  const literal: string[] = [];
  for (const part of parts.slice(0, -1)) {
    if (/[*?[{]/.test(part)) break;
    literal.push(part);
  }
  return literal.join('/');
}
