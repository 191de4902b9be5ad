// Loading a big CommonJS bundle (the TypeScript front end: ts-morph and the TypeScript compiler,
// about 10 MB of JavaScript) with V8's code cache: compiling and starting it costs ~0.3 s at
// every CLI run and server start, ~0.07 s with the cache. Node 22 has module.enableCompileCache;
// Node 20, which we support, does not, so this does the same with vm.Script's cachedData.
// The cache is one file per bundle build and Node version, in the user's own cache folder
// (never a shared temporary one: cached code is code). V8 rejects data that does not match the
// source or its flags; a rejected, unreadable or truncated file is rewritten. Writes go to a
// temporary file renamed into place, so concurrent processes never see half a file.

import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';

/** The folder of cached code: LOCKORDER_CODE_CACHE_DIR, else the platform's per-user cache folder. */
export function codeCacheDir(): string {
  if (process.env.LOCKORDER_CODE_CACHE_DIR) return process.env.LOCKORDER_CODE_CACHE_DIR;
  if (process.platform === 'win32' && process.env.LOCALAPPDATA) return join(process.env.LOCALAPPDATA, 'lockorder', 'code-cache');
  const base = process.env.XDG_CACHE_HOME || (process.platform === 'darwin' ? join(homedir(), 'Library', 'Caches') : join(homedir(), '.cache'));
  return join(base, 'lockorder', 'code-cache');
}

/**
 * `require(file)` for a CommonJS bundle, compiled with V8's code cache when one is there and
 * writing one after the first load. Falls back to a plain `require` when the cache is turned off
 * (LOCKORDER_NO_CODE_CACHE=1) or anything about it fails.
 */
export function requireWithCodeCache(file: string): unknown {
  const loaded = createRequire(file).cache[file];
  if (loaded) return loaded.exports; // already required, with or without the cache: one copy of its state
  if (process.env.LOCKORDER_NO_CODE_CACHE === '1') return createRequire(file)(file);
  let source: string;
  let cacheFile: string;
  try {
    source = readFileSync(file, 'utf8');
    const stat = statSync(file);
    const key = createHash('sha256').update(`${file}\0${stat.size}\0${stat.mtimeMs}\0${process.version}\0${process.arch}`).digest('hex').slice(0, 24);
    cacheFile = join(codeCacheDir(), `${basename(file, '.js')}-${key}.bin`);
  } catch {
    return createRequire(file)(file);
  }
  const cachedData = readIfThere(cacheFile);
  const wrapper = `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
  const script = new Script(wrapper, { filename: file, cachedData });
  // A module of Node's own, in require's cache: a later require(file) gets these same exports.
  const mod = new Module(file) as Module & { filename: string; paths: string[]; loaded: boolean };
  mod.filename = file;
  mod.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(dirname(file));
  createRequire(file).cache[file] = mod;
  const run = script.runInThisContext() as (e: unknown, r: NodeRequire, m: Module, f: string, d: string) => void;
  try {
    run(mod.exports, createRequire(file), mod, file, dirname(file));
  } catch (err) {
    delete createRequire(file).cache[file];
    throw err;
  }
  mod.loaded = true;
  if (!cachedData || script.cachedDataRejected) writeQuietly(cacheFile, script.createCachedData());
  return mod.exports;
}

/** A file's bytes, or undefined when it cannot be read. */
function readIfThere(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Write a cache file through a temporary one renamed into place; a cache that cannot be written is only slower. */
function writeQuietly(file: string, data: Buffer): void {
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
    writeFileSync(temp, data, { mode: 0o600 });
    renameSync(temp, file);
    // Older builds' files of the same bundle are of no more use.
    const prefix = basename(file).replace(/-[0-9a-f]+\.bin$/, '-');
    for (const name of readdirSync(dirname(file))) {
      if (name.startsWith(prefix) && name.endsWith('.bin') && name !== basename(file)) unlinkSync(join(dirname(file), name));
    }
  } catch {
    // Read-only home, full disk: the next start compiles again.
  }
}
