// Names modules after their files (walking up through packages that have `__init__.py`)
// and finds the module an import refers to, relative imports included.

import * as path from 'node:path';

/**
 * Dotted module names of a set of file paths. The dotted prefix of each package directory is
 * worked out once and shared by every file below it, so the cost is linear in the length of
 * the paths, however deep the packages are nested.
 */
export function moduleNames(paths: string[]): Map<string, string> {
  const inits = new Set(paths.filter((p) => path.basename(p) === '__init__.py').map((p) => path.dirname(p)));
  const prefixes = new Map<string, string>();
  const out = new Map<string, string>();
  for (const p of paths) {
    const base = path.basename(p).replace(/\.pyi?$/, '');
    const prefix = packagePrefix(path.dirname(p), inits, prefixes);
    const name = base === '__init__' ? prefix : prefix ? `${prefix}.${base}` : base;
    out.set(p, name || base);
  }
  return out;
}

/** The dotted name of directory `dir` when it is a package (`''` when it is not), memoized in `known`. */
function packagePrefix(dir: string, inits: Set<string>, known: Map<string, string>): string {
  const chain: string[] = [];
  let prefix = '';
  for (let d = dir; ; ) {
    const seen = known.get(d);
    if (seen !== undefined) {
      prefix = seen;
      break;
    }
    if (!inits.has(d)) {
      known.set(d, '');
      break;
    }
    chain.push(d);
    const up = path.dirname(d);
    if (up === d) break;
    d = up;
  }
  for (let i = chain.length - 1; i >= 0; i--) {
    const name = path.basename(chain[i]);
    prefix = prefix ? `${prefix}.${name}` : name;
    known.set(chain[i], prefix);
  }
  return prefix;
}

/** One node of the reversed-name trie: the files whose name ends with the parts on its path. */
interface SuffixNode {
  children: Map<string, SuffixNode>;
  /** How many files have this as a proper suffix of their name, and one of them. */
  count: number;
  file?: string;
}

/**
 * Index of module name → file path, that also answers by dotted suffix. Suffixes live in a
 * trie keyed by the name's parts from the last one backwards, so a name of n parts costs n
 * steps to add instead of n strings of up to n parts each.
 */
export class ModuleIndex {
  private byName = new Map<string, string>();
  private suffixes: SuffixNode = { children: new Map(), count: 0 };

  constructor(names: Map<string, string>) {
    for (const [file, name] of names) {
      this.byName.set(name, file);
      const parts = name.split('.');
      let node = this.suffixes;
      for (let i = parts.length - 1; i >= 1; i--) {
        let child = node.children.get(parts[i]);
        if (!child) {
          child = { children: new Map(), count: 0 };
          node.children.set(parts[i], child);
        }
        child.count++;
        child.file = file;
        node = child;
      }
    }
  }

  /**
   * The file of an absolute module name; a unique dotted suffix match of two parts or more is
   * accepted too. A one-part name never matches a package's submodule: in Python 3,
   * `import unittest` inside `twisted/trial/` is the standard library's, not the sibling file.
   */
  find(name: string): string | undefined {
    const exact = this.byName.get(name);
    if (exact) return exact;
    const parts = name.split('.');
    if (parts.length < 2) return undefined;
    let node: SuffixNode | undefined = this.suffixes;
    for (let i = parts.length - 1; i >= 0 && node; i--) node = node.children.get(parts[i]);
    return node && node !== this.suffixes && node.count === 1 ? node.file : undefined;
  }

  /** Resolve `from <dots><module> import ...` seen in module `from` (a package if `isPackage`). */
  resolve(fromModule: string, isPackage: boolean, module: string, level: number): string | undefined {
    if (level === 0) return this.find(module);
    const parts = fromModule.split('.');
    const keep = parts.length - level + (isPackage ? 1 : 0);
    if (keep < 0) return undefined;
    const base = parts.slice(0, keep);
    if (module) base.push(module);
    return this.find(base.join('.'));
  }
}
