// Finds the Python files to check: each PATH is a file or a directory walked recursively
// for `.py` files, skipping tool and environment directories and --exclude matches.

import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { isExcluded, type Glob } from './glob';
import { displayPath } from './paths';

/** Directory names never walked into (a directory given explicitly is still walked). */
export const skippedDirectories = [
  '.git', '.hg', '.svn', 'node_modules', '__pycache__', '.venv', 'venv', '.tox', '.nox', 'site-packages',
];

/** A path that could not be used, and why. */
export interface SkippedPath {
  file: string;
  reason: string;
}

/** The outcome of collecting files. */
export interface CollectedFiles {
  /** Absolute paths of the files to check, sorted, without duplicates. */
  files: string[];
  /** Paths given on the command line that do not exist. */
  missing: string[];
  /** Directories that could not be listed. */
  skipped: SkippedPath[];
}

/** Collect the `.py` files under `paths` (resolved against `cwd`). */
export async function collectFiles(paths: string[], cwd: string, exclude: Glob[]): Promise<CollectedFiles> {
  const out: CollectedFiles = { files: [], missing: [], skipped: [] };
  const found = new Set<string>();
  const visited = new Set<string>();
  for (const given of paths.length > 0 ? paths : ['.']) {
    const abs = path.resolve(cwd, given);
    const stat = await fs.stat(abs).catch(() => undefined);
    if (!stat) {
      out.missing.push(given);
      continue;
    }
    if (excludedWithParents(exclude, abs, cwd, stat.isDirectory())) continue;
    if (stat.isDirectory()) await walk(abs, cwd, exclude, found, visited, out.skipped);
    else found.add(abs);
  }
  out.files = [...found].sort();
  return out;
}

/** Walk a directory, adding `.py` files to `found`. */
async function walk(dir: string, cwd: string, exclude: Glob[], found: Set<string>, visited: Set<string>,
  skipped: SkippedPath[]): Promise<void> {
  const real = await fs.realpath(dir).catch(() => dir);
  if (visited.has(real)) return;
  visited.add(real);
  let entries;
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch (err) {
    skipped.push({ file: dir, reason: describeFsError(err) });
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const child = path.join(dir, entry.name);
    let isDir = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      const stat = await fs.stat(child).catch(() => undefined);
      if (!stat && entry.name.endsWith('.py')) skipped.push({ file: child, reason: 'broken symbolic link' });
      isDir = stat?.isDirectory() ?? false;
      isFile = stat?.isFile() ?? false;
    }
    if (isDir && skippedDirectories.includes(entry.name)) continue;
    if (!isDir && !(isFile && entry.name.endsWith('.py'))) continue;
    if (isExcluded(exclude, displayPath(child, cwd), isDir)) continue;
    if (isDir) await walk(child, cwd, exclude, found, visited, skipped);
    else found.add(child);
  }
}

/** Whether a path given on the command line, or a directory above it, is excluded. */
function excludedWithParents(exclude: Glob[], abs: string, cwd: string, isDir: boolean): boolean {
  if (exclude.length === 0) return false;
  const shown = displayPath(abs, cwd);
  if (isExcluded(exclude, shown, isDir)) return true;
  const parts = shown.split('/');
  for (let i = parts.length - 1; i > 0; i--) {
    const parent = parts.slice(0, i).join('/');
    if (parent !== '' && parent !== '..' && isExcluded(exclude, parent, true)) return true;
  }
  return false;
}

/** A short readable reason for a file-system error. */
export function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  if (code === 'ELOOP') return 'too many symbolic links';
  return err instanceof Error ? err.message : String(err);
}
