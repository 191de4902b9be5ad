// Finds the files to check: each PATH is a file or a directory walked recursively for the
// files a front end reads (`.py`, and TS/JS but `.d.ts`), skipping tool and environment
// directories and --exclude matches.

import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { isExcluded, type Glob } from './glob';
import { displayPath } from './paths';
import { describeFsError } from '../shared/readRegularFile';
import { isSourceFile, sourceLanguage } from '../analysis/index';
import { buildOutputDirectories } from '../shared/buildOutput';

/** Directory names never walked into (a directory given explicitly is still walked). */
export const skippedDirectories = [
  '.git', '.hg', '.svn', 'node_modules', '__pycache__', '.venv', 'venv', '.tox', '.nox', 'site-packages',
];

/** Build output folders (see shared/buildOutput.ts); a folder named on the command line is still checked whole. */
export { buildOutputDirectories };

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
  /** Paths that could not be used: unlistable directories, broken or looping symbolic links. */
  skipped: SkippedPath[];
}

/** Collect the source files (`.py`, `.ts`, `.js`, …) under `paths` (resolved against `cwd`). */
export async function collectFiles(paths: string[], cwd: string, exclude: Glob[]): Promise<CollectedFiles> {
  const out: CollectedFiles = { files: [], missing: [], skipped: [] };
  const found = new Set<string>();
  const walker: Walker = { cwd, exclude, found, visited: new Set(), skipped: out.skipped };
  const excludedDirs = new Map<string, boolean>();
  for (const given of paths.length > 0 ? paths : ['.']) {
    const abs = path.resolve(cwd, given);
    let stat;
    try {
      stat = await fs.stat(abs);
    } catch (err) {
      if (isMissing(err)) out.missing.push(given);
      else if (!excludedWithParents(exclude, abs, cwd, false, excludedDirs)) out.skipped.push({ file: abs, reason: describeFsError(err) });
      continue;
    }
    if (excludedWithParents(exclude, abs, cwd, stat.isDirectory(), excludedDirs)) continue;
    if (stat.isDirectory()) await walk(abs, walker);
    else found.add(abs);
  }
  out.files = [...found].sort();
  return out;
}

/** What a directory walk needs and fills in. */
interface Walker {
  cwd: string;
  exclude: Glob[];
  found: Set<string>;
  /** Directories already walked, by device and inode (a symlink loop is walked once). */
  visited: Set<string>;
  skipped: SkippedPath[];
}

/**
 * Walk a directory, adding source files to `found` (but TS/JS files below a build output
 * folder). A source entry that is not a regular file
 * (a FIFO, a device, a link to one) is added too, so the reader names it as skipped.
 * Directories are told apart by device and inode rather than by their real path: resolving
 * the real path of every directory costs time quadratic in its depth.
 */
async function walk(dir: string, w: Walker, inBuildOutput = false): Promise<void> {
  let entries;
  try {
    const id = await fs.stat(dir, { bigint: true });
    const key = `${id.dev}:${id.ino}`;
    if (w.visited.has(key)) return;
    w.visited.add(key);
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch (err) {
    w.skipped.push({ file: dir, reason: describeFsError(err) });
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const child = path.join(dir, entry.name);
    let isDir = entry.isDirectory();
    if (entry.isSymbolicLink()) {
      const stat = await fs.stat(child).catch((err: unknown) => err as Error);
      if (stat instanceof Error) {
        if (isSourceFile(entry.name)) w.skipped.push({ file: child, reason: brokenLinkReason(stat) });
        continue;
      }
      isDir = stat.isDirectory();
    }
    if (isDir && skippedDirectories.includes(entry.name)) continue;
    if (!isDir && !isSourceFile(entry.name)) continue;
    if (isExcluded(w.exclude, displayPath(child, w.cwd), isDir)) continue;
    if (isDir) await walk(child, w, inBuildOutput || buildOutputDirectories.includes(entry.name));
    else if (!(inBuildOutput && sourceLanguage(entry.name) === 'typescript')) w.found.add(child);
  }
}

/** Why a symbolic link cannot be followed. */
function brokenLinkReason(err: unknown): string {
  return isMissing(err) ? 'broken symbolic link' : describeFsError(err);
}

/** Whether an error means the path does not exist. */
function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/**
 * Whether a path given on the command line, or a directory above it, is excluded. Results for
 * directories are kept in `excludedDirs`, so many paths in one deep folder cost one check
 * per folder rather than one per folder per path.
 */
function excludedWithParents(exclude: Glob[], abs: string, cwd: string, isDir: boolean,
  excludedDirs: Map<string, boolean>): boolean {
  if (exclude.length === 0) return false;
  const shown = displayPath(abs, cwd);
  if (isExcluded(exclude, shown, isDir)) return true;
  const pending: string[] = [];
  let answer = false;
  for (let end = shown.lastIndexOf('/'); end > 0; end = shown.lastIndexOf('/', end - 1)) {
    const parent = shown.slice(0, end);
    const known = excludedDirs.get(parent);
    if (known !== undefined) {
      answer = known;
      break;
    }
    pending.push(parent);
    if (parent !== '..' && isExcluded(exclude, parent, true)) {
      answer = true;
      break;
    }
  }
  for (const parent of pending) excludedDirs.set(parent, answer);
  return answer;
}
