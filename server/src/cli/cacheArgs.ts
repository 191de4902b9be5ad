// The cache options `check` and `graph` share: --cache-dir, --no-cache, --cache-size, --verbose
// (cacheOpen.ts opens the cache they ask for).

import { UsageError } from './args';

/** What the command line says about the cache. */
export interface CacheArgs {
  /** `--cache-dir DIR` (default `.lockorder/cache`). */
  cacheDir?: string;
  /** `--no-cache`: neither read nor write it. */
  noCache: boolean;
  /** `--cache-size MB`: its size bound in bytes. */
  cacheBytes?: number;
  /** `--verbose`: say how many files came from the cache. */
  verbose: boolean;
}

/** The flags and valued options of CacheArgs, for the option scan. */
export const cacheFlags = ['--no-cache', '--verbose'];
export const cacheValued = ['--cache-dir', '--cache-size'];

/** The defaults: the cache on, in `.lockorder/cache`. */
export function defaultCacheArgs(): CacheArgs {
  return { noCache: false, verbose: false };
}

/** Record a cache flag or option; false when `name` is not one. */
export function applyCacheOption(args: CacheArgs, name: string, value?: string): boolean {
  if (name === '--no-cache') args.noCache = true;
  else if (name === '--verbose') args.verbose = true;
  else if (name === '--cache-dir') {
    if (!value) throw new UsageError('--cache-dir needs a folder');
    args.cacheDir = value;
  } else if (name === '--cache-size') {
    const mb = Number(value);
    if (!value || !/^\d+(\.\d+)?$/.test(value.trim()) || !(mb > 0)) {
      throw new UsageError(`bad --cache-size: ${value} (expected megabytes, such as 200 or 0.5)`);
    }
    args.cacheBytes = Math.floor(mb * 1024 * 1024);
  } else return false;
  return true;
}
