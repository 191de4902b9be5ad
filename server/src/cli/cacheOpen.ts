// Opening the cache a `check` or `graph` run asks for: `.lockorder/cache` in the current
// directory (next to the run-time reports) unless --cache-dir says otherwise, none with
// --no-cache; and the --verbose line saying how the run used it.

import * as path from 'node:path';
import { AnalysisCache, type CacheStats } from '../analysis/cache/analysisCache';
import { defaultCacheBytes } from '../analysis/cache/diskCache';
import type { CacheArgs } from './cacheArgs';
import type { Output } from './check';
import { escapeControl } from './escape';
import { displayPath } from './paths';

/** The cache a run uses, or undefined with --no-cache; an unwritable folder is named once on stderr. */
export function openCache(args: CacheArgs, cwd: string, output: Output): AnalysisCache | undefined {
  if (args.noCache) return undefined;
  return new AnalysisCache({
    dir: path.resolve(cwd, args.cacheDir ?? path.join('.lockorder', 'cache')),
    maxBytes: args.cacheBytes ?? defaultCacheBytes,
    warn: (message) => output.err(escapeControl(`lockorder: warning: ${message}`) + '\n'),
  });
}

/** The --verbose line about the cache. */
export function cacheNote(cache: AnalysisCache | undefined, stats: CacheStats | undefined, files: number, cwd: string): string {
  if (!cache || !stats) return `lockorder: cache off (--no-cache): ${files} files parsed\n`;
  const whole = stats.wholeResult ? '; the whole result too (nothing changed)' : '';
  const unread = stats.unread ? `; ${stats.unread} not even read (size and times as when last read)` : '';
  return escapeControl(`lockorder: ${stats.fromCache} of ${files} files came from the cache in ${displayPath(cache.dir, cwd)}`
    + ` (${files - stats.fromCache} parsed)${whole}${unread}`) + '\n';
}
