// The one ts-morph project the TypeScript front end keeps: compiler options from the nearest
// tsconfig.json/jsconfig.json of the first file (else defaults that read JavaScript too), and
// module names for files, relative to that config's folder (or the nearest package.json's).

import { Project, ts, type ResolutionHostFactory } from 'ts-morph';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { forgetFileSystemAnswers, KeptLookupsFileSystem } from './tsFileSystem';

/**
 * Compiler options when no config file is found: every JS/TS flavour, modern resolution, no
 * output. `noLib` (here and with a config file): the walk asks the checker only about the
 * project's own declarations and the lock packages' imports, never about `Promise` or `Array`,
 * and reading the standard library's declaration files would double a small run's time.
 */
const DEFAULTS: ts.CompilerOptions = {
  allowJs: true,
  checkJs: false,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  jsx: ts.JsxEmit.Preserve,
  skipLibCheck: true,
  types: [],
  noLib: true,
};

/** The nearest folder at or above `dir` that holds one of `names`, and the file found. */
export function nearest(dir: string, names: string[]): { dir: string; file: string } | undefined {
  for (let d = dir; ; d = path.dirname(d)) {
    for (const n of names) {
      const file = path.join(d, n);
      if (isFile(file)) return { dir: d, file };
    }
    if (path.dirname(d) === d) return undefined;
  }
}

/** Module roots found, by folder (a folder's files share one; emptied with each new project). */
const moduleRoots = new Map<string, string>();

/** The folder module names are relative to, for files in `dir`. */
function moduleRootOf(dir: string): string {
  let root = moduleRoots.get(dir);
  if (root === undefined) {
    root = nearest(dir, ['tsconfig.json', 'jsconfig.json', 'package.json'])?.dir ?? path.parse(dir).root;
    moduleRoots.set(dir, root);
  }
  return root;
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Compiler options from a config file (with `allowJs` forced on), or the defaults when it cannot be read. */
function optionsFrom(configFile: string | undefined): ts.CompilerOptions {
  if (!configFile) return DEFAULTS;
  const read = ts.readConfigFile(configFile, ts.sys.readFile);
  if (read.error) return DEFAULTS;
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, path.dirname(configFile));
  return { ...parsed.options, allowJs: true, noEmit: true, skipLibCheck: true, noLib: true, types: [] };
}

/**
 * The packages whose imports are still resolved in node_modules: the lock libraries the walk
 * recognises (and their kin), so their declarations stay known to the checker.
 */
const LOCK_PACKAGES = new Set(['async-mutex', 'async-lock', 'p-limit', 'p-queue', 'async-sema', 'await-lock', 'mutexify',
  'p-mutex', 'proper-lockfile', 'redlock', '@sesamecare-oss/redlock', 'mortice', 'redis-semaphore']);

/** The package a bare module specifier names (`@scope/name/sub` → `@scope/name`), else undefined. */
function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || path.isAbsolute(specifier)) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** The package a file in node_modules belongs to (a lock package's own `./Mutex` import is kept with it). */
function packageHolding(file: string): string | undefined {
  const parts = file.split(/[\\/]/);
  const at = parts.lastIndexOf('node_modules');
  if (at < 0 || at + 1 >= parts.length) return undefined;
  return parts[at + 1].startsWith('@') ? parts.slice(at + 1, at + 3).join('/') : parts[at + 1];
}

/** Module resolutions so far: kept while the project's set of files stays the same. */
let resolutions: ts.ModuleResolutionCache | undefined;

/** Drop the module resolutions kept: a file was added or removed, so an import may now resolve elsewhere. */
export function forgetResolutions(): void {
  resolutions = undefined;
  forgetFileSystemAnswers();
}

/**
 * Module resolution as the compiler does it, except that an import resolved into node_modules
 * (other than a lock package) is left unresolved: the walk never looks into other packages'
 * declarations, and reading them (with the `@types` they pull in) took more time than the
 * project's own sources. Imports between the project's files, path mappings and workspace
 * packages (resolved to their real folders) are kept.
 */
const resolutionHost: ResolutionHostFactory = (host, getOptions) => {
  const cache = () => (resolutions ??= ts.createModuleResolutionCache(host.getCurrentDirectory?.() ?? process.cwd(), (f) => f, getOptions()));
  return {
    resolveModuleNames(this: unknown, names: string[], containingFile: string) {
      // Called as a method of ts-morph's compiler host: giving that host the kept cache lets each
      // new program (one per edit) find every file's package.json scope there instead of reading
      // and parsing package.json files again for every file.
      const compilerHost = this as { getModuleResolutionCache?: () => ts.ModuleResolutionCache } | undefined;
      if (compilerHost && typeof compilerHost === 'object') compilerHost.getModuleResolutionCache ??= cache;
      return names.map((name) => resolveOne(name, containingFile));
    },
  };

  /** One import, resolved as the compiler does, unless it lands in a package that is no lock library. */
  function resolveOne(name: string, containingFile: string): ts.ResolvedModuleFull | undefined {
    const resolved = ts.resolveModuleName(name, containingFile, getOptions(), host, cache()).resolvedModule;
    if (!resolved?.isExternalLibraryImport) return resolved;
    const pkg = packageOf(name) ?? packageHolding(containingFile);
    return pkg && LOCK_PACKAGES.has(pkg) ? resolved : undefined;
  }
};

/** A ts-morph project for files near `firstFile`. Files are added by text; only imports not given are read from disk. */
export function createProject(firstFile: string): Project {
  const config = nearest(path.dirname(firstFile), ['tsconfig.json', 'jsconfig.json']);
  moduleRoots.clear();
  forgetResolutions();
  return new Project({
    compilerOptions: optionsFrom(config?.file), skipAddingFilesFromTsConfig: true, skipFileDependencyResolution: true, resolutionHost,
    fileSystem: new KeptLookupsFileSystem(),
  });
}

/**
 * The module name of a file: its path from the nearest tsconfig/jsconfig/package.json folder
 * (else from the filesystem root) as dotted identifiers, the extension kept as a suffix:
 * `src/locks.ts` → `src.locks_ts`. The suffix keeps it apart from a Python module of the same
 * file name (`src/locks.py` is `src.locks`); identifiers keep its locks nameable in an order file.
 */
export function moduleNameOf(file: string): string {
  const root = moduleRootOf(path.dirname(file));
  return path.relative(root, file).split(/[\\/]/).filter(Boolean).map(identifier).join('.');
}

/** A path segment as an identifier: `my-lib` → `my_lib`, `locks.ts` → `locks_ts`, `2d` → `_2d`. */
function identifier(segment: string): string {
  const word = segment.replace(/\W/g, '_');
  return /^\d/.test(word) ? `_${word}` : word;
}
