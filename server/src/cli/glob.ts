// The CLI's --exclude globs (docs/cli.md): `*`, `?`, `**`, `[abc]`; a trailing `/` matches
// directories only; a pattern without any other `/` matches a file or directory name at any
// depth (like .gitignore). Matching is the shared linear-time matcher (../shared/glob).

import { compilePathGlob, matchPathGlob, type PathGlob } from '../shared/glob';

/** A compiled --exclude pattern. */
export interface Glob {
  pattern: string;
  /** Whether a path (relative, `/`-separated) is excluded; `isDir` says if it names a directory. */
  matches(path: string, isDir: boolean): boolean;
}

/** Compile one pattern. */
export function compileGlob(pattern: string): Glob {
  let body = pattern.replace(/\\/g, '/');
  const dirOnly = body.endsWith('/');
  body = body.replace(/\/+$/, '').replace(/^\.\//, '').replace(/^\/+/, '');
  // No `/`: the name at any depth, i.e. `**/NAME`.
  const glob: PathGlob = compilePathGlob(body.includes('/') ? body : `**/${body}`, false);
  return {
    pattern,
    matches(path: string, isDir: boolean): boolean {
      if (dirOnly && !isDir) return false;
      return matchPathGlob(glob, path);
    },
  };
}

/** Whether any pattern excludes the path. */
export function isExcluded(globs: Glob[], path: string, isDir: boolean): boolean {
  return globs.some((g) => g.matches(path, isDir));
}
