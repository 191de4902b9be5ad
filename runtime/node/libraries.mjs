// The lock libraries the Node runtime instruments: package name -> the module that builds the
// instrumented exports, the function in it, and the export names it replaces. Plain data, so
// the ESM loader hooks (which run on their own thread) can read it without starting a tracker.

/**
 * @typedef {{ module: string, build: string, replaced: string[], exportsItself?: boolean, defaultExport?: boolean }} Library
 *   `build(exports)` gives the instrumented versions of the `replaced` exports, or, when the
 *   library's export is itself the lock class (`exportsItself`), the instrumented class;
 *   `defaultExport`: the ESM default export is replaced too.
 * @type {Record<string, Library>}
 */
export const libraries = {
  'async-mutex': {
    module: new URL('./instrument/asyncMutex.mjs', import.meta.url).href,
    build: 'instrumentAsyncMutex',
    replaced: ['Mutex', 'Semaphore', 'withTimeout', 'tryAcquire'],
  },
  'async-lock': {
    module: new URL('./instrument/asyncLock.mjs', import.meta.url).href,
    build: 'instrumentAsyncLock',
    replaced: [],
    exportsItself: true,
  },
  'p-limit': {
    module: new URL('./instrument/pLimit.mjs', import.meta.url).href,
    build: 'instrumentPLimit',
    replaced: ['limitFunction'],
    defaultExport: true,
  },
  'p-queue': {
    module: new URL('./instrument/pQueue.mjs', import.meta.url).href,
    build: 'instrumentPQueue',
    replaced: [],
    defaultExport: true,
  },
};

/**
 * The instrumented library a resolved file belongs to (its package folder under node_modules).
 * @param {string} urlOrPath
 * @returns {string | null}
 */
export function libraryOf(urlOrPath) {
  const match = /[\\/]node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)[\\/]/.exec(urlOrPath);
  if (!match) return null;
  const name = match[1].replace(/\\/g, '/');
  return Object.hasOwn(libraries, name) ? name : null;
}
