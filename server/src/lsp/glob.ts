// The server's globs for `lockorder.exclude` and `lockorder.runtime.reports`: `**`, `*`, `?`,
// `[...]` and `{a,b}`, matched against a path relative to its workspace folder, with `/`
// separators. A pattern without a `/` matches any single path segment (so `build` excludes
// every `build` folder). Matching is the shared linear-time matcher (../shared/glob).

import { compilePathGlob, matchPathGlob, matchSegmentGlob, type PathGlob } from '../shared/glob';

/** A compiled set of exclude globs. */
export interface GlobSet {
  /** Whether a relative file path (or a folder path ending in `/`) is excluded. */
  matches(relativePath: string): boolean;
}

/** Compile exclude patterns; a malformed pattern is reported through `onError` and dropped. */
export function compileGlobs(patterns: string[], onError: (pattern: string, message: string) => void = () => {}): GlobSet {
  const whole: PathGlob[] = [];
  const segmentOnly: PathGlob[] = [];
  for (const raw of patterns) {
    const pattern = raw.trim().replace(/\\/g, '/').replace(/^\.\//, '');
    if (!pattern) continue;
    try {
      if (!pattern.includes('/')) segmentOnly.push(compilePathGlob(pattern, true));
      else whole.push(compilePathGlob(pattern.replace(/^\//, ''), true));
    } catch (err) {
      onError(raw, err instanceof Error ? err.message : String(err));
    }
  }
  return {
    matches(relativePath: string): boolean {
      const path = relativePath.replace(/\\/g, '/');
      if (whole.some((g) => matchPathGlob(g, path))) return true;
      if (segmentOnly.length === 0) return false;
      return path.split('/').some((seg) => seg !== '' && segmentOnly.some((g) => matchSegmentGlob(g, seg)));
    },
  };
}
