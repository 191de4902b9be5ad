// Where a path really is: symlinks resolved, then checked against the workspace folders' own
// real paths. Every report file, every file a report frame names and every symlinked source the
// index finds goes through this before it is opened, so a symlink in the workspace never leads
// the server to a file outside it.

import { promises as fs } from 'node:fs';
import { isAbsolute, relative, sep } from 'node:path';

/** The real paths of the workspace folders that exist. */
export async function realRoots(folders: { path: string }[]): Promise<string[]> {
  const roots = await Promise.all(folders.map((f) => fs.realpath(f.path).catch(() => undefined)));
  return roots.filter((r): r is string => r !== undefined);
}

/** Whether a real path is one of the roots or lies below one. */
export function within(real: string, roots: string[]): boolean {
  return roots.some((root) => {
    const rel = relative(root, real);
    return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
  });
}

/** Where a path leads: its real path inside the roots, `outside` them, or `missing`. */
export type Resolved = { real: string } | { outside: true } | { missing: true };

/** Resolve `path`'s symlinks and check that the result lies inside the roots. */
export async function resolveInside(path: string, roots: string[]): Promise<Resolved> {
  let real: string;
  try {
    real = await fs.realpath(path);
  } catch {
    return { missing: true };
  }
  return within(real, roots) ? { real } : { outside: true };
}
