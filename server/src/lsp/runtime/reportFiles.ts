// Finding the runtime's report files in a workspace folder: the files matching the
// `lockorder.runtime.reports` glob, walking only below the glob's literal leading folders
// (`.lockorder/` for the default), never following folder symlinks, and only when that folder
// lies inside the workspace folders after resolving symlinks. A glob that leaves its folder
// (`../x`, an absolute path) is not used.

import { promises as fs } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import type { GlobSet } from '../glob';
import { resolveInside } from '../realPaths';

/** Whether a reports glob could name files outside its workspace folder: absolute, or with a `..` segment. */
export function leavesFolder(pattern: string): boolean {
  const p = pattern.replace(/\\/g, '/');
  return isAbsolute(p) || /^[A-Za-z]:/.test(p) || p.startsWith('~') || /(^|[/{,])\.\.($|[/},])/.test(p);
}

/** How deep below the start folder the walk goes. */
const maxDepth = 12;

/** Every file under `root` whose folder-relative path matches `reports`, skipping `exclude`d folders; `roots`: the real workspace folders. */
export async function findReportFiles(root: string, pattern: string, reports: GlobSet, exclude: GlobSet, roots: string[]): Promise<string[]> {
  const found: string[] = [];
  const start = join(root, literalPrefix(pattern));
  if (leavesFolder(pattern) || !('real' in await resolveInside(start, roots))) return found;
  const pending: { dir: string; depth: number }[] = [{ dir: start, depth: 0 }];
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
