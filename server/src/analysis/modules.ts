// Names modules after their files (walking up through packages that have `__init__.py`)
// and finds the module an import refers to, relative imports included.

import * as path from 'node:path';

/** Dotted module names of a set of file paths. */
export function moduleNames(paths: string[]): Map<string, string> {
  const inits = new Set(paths.filter((p) => path.basename(p) === '__init__.py').map((p) => path.dirname(p)));
  const out = new Map<string, string>();
  for (const p of paths) {
    const base = path.basename(p).replace(/\.pyi?$/, '');
    const parts = base === '__init__' ? [] : [base];
    let dir = path.dirname(p);
    while (inits.has(dir)) {
      parts.unshift(path.basename(dir));
      const up = path.dirname(dir);
      if (up === dir) break;
      dir = up;
    }
    out.set(p, parts.join('.') || base);
  }
  return out;
}

/** Index of module name → file path, that also answers by dotted suffix. */
export class ModuleIndex {
  private byName = new Map<string, string>();
  private bySuffix = new Map<string, string[]>();

  constructor(names: Map<string, string>) {
    for (const [file, name] of names) {
      this.byName.set(name, file);
      const parts = name.split('.');
      for (let i = 1; i < parts.length; i++) {
        const suffix = parts.slice(i).join('.');
        const list = this.bySuffix.get(suffix) ?? [];
        list.push(file);
        this.bySuffix.set(suffix, list);
      }
    }
  }

  /** The file of an absolute module name; a unique dotted suffix match is accepted too. */
  find(name: string): string | undefined {
    const exact = this.byName.get(name);
    if (exact) return exact;
    const list = this.bySuffix.get(name);
    return list && list.length === 1 ? list[0] : undefined;
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
