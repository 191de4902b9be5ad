// Finding and reading the workspace's source files (Python, and TypeScript/JavaScript but
// declaration files and build output): a folder walk that honours exclude globs,
// never follows folder symlinks and leaves out file symlinks that lead outside the workspace, and a reader that turns unreadable, non-regular, oversized
// or non-UTF-8 files into a readable reason instead of an exception.

import { promises as fs } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { GlobSet } from './glob';
import { readRegularFile } from '../shared/readRegularFile';
import { realRoots, resolveInside } from './realPaths';
import { isSourceFile, sourceLanguage } from '../analysis';
import { belowBuildOutput } from '../shared/buildOutput';

/** Files larger than this are skipped: they are generated, not written by hand. */
export const maxFileBytes = 4 * 1024 * 1024;

/** The outcome of reading one file. */
export type ReadResult = { text: string } | { problem: string };

/**
 * Whether a file (its `/`-separated path relative to the workspace folder) is one the index
 * analyzes: a front end reads it, and it is not a TS/JS file below a build output folder (as in `lockorder check`).
 */
export function isIndexedSource(rel: string): boolean {
  if (!isSourceFile(rel)) return false;
  return sourceLanguage(rel) !== 'typescript' || !belowBuildOutput(rel);
}

/** Every source file (see `isIndexedSource`) under `root` that `exclude` does not match, in a stable order. */
export async function findSourceFiles(root: string, exclude: GlobSet, onProblem: (path: string, message: string) => void): Promise<string[]> {
  const found: string[] = [];
  const linked: string[] = [];
  const pending = [root];
  while (pending.length > 0) {
    const dir = pending.pop() as string;
    let entries;
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch (err) {
      onProblem(dir, `cannot list folder: ${errorText(err)}`);
      continue;
    }
    entries.sort((a, b) => (a.name < b.name ? 1 : a.name > b.name ? -1 : 0));
    for (const entry of entries) {
      const path = join(dir, entry.name);
      const rel = relative(root, path).split(sep).join('/');
      if (entry.isDirectory()) {
        if (!exclude.matches(`${rel}/`)) pending.push(path);
      } else if ((entry.isFile() || entry.isSymbolicLink()) && isIndexedSource(rel) && !exclude.matches(rel)) {
        found.push(path);
        if (entry.isSymbolicLink()) linked.push(path);
      }
    }
  }
  const outside = await linksOutside(root, linked);
  for (const path of outside) onProblem(path, 'skipped: a symbolic link to a file outside the workspace');
  return found.reverse().filter((path) => !outside.has(path));
}

/** The symlinked files among `paths` whose targets lie outside `root` (after resolving both). */
async function linksOutside(root: string, paths: string[]): Promise<Set<string>> {
  if (paths.length === 0) return new Set();
  const roots = await realRoots([{ path: root }]);
  const resolved = await Promise.all(paths.map(async (path) => [path, await resolveInside(path, roots)] as const));
  return new Set(resolved.filter(([, r]) => 'outside' in r).map(([path]) => path));
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Read a source file as UTF-8 text, or say why it cannot be used. Only regular files (after
 * following symbolic links) of at most `maxFileBytes` are read: a FIFO or a device such as
 * `/dev/zero` named `x.py` or `x.ts` would block or never end.
 */
export async function readSourceFile(path: string): Promise<ReadResult> {
  const read = await readRegularFile(path, maxFileBytes);
  if ('error' in read) return { problem: `skipped: ${read.error}` };
  try {
    const text = utf8.decode(read.bytes);
    return { text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
  } catch {
    return { problem: 'skipped: not valid UTF-8 text' };
  }
}

/** A short message for a file system error, without a stack trace. */
export function errorText(err: unknown): string {
  if (err && typeof err === 'object' && 'code' in err) {
    const code = String((err as { code: unknown }).code);
    const reasons: Record<string, string> = { ENOENT: 'no such file', EACCES: 'permission denied', EISDIR: 'is a folder', EPERM: 'permission denied' };
    return reasons[code] ?? code;
  }
  return err instanceof Error ? err.message : String(err);
}
