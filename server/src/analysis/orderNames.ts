// Lock-name patterns of the order file: a name, or a name with `*` standing for any text
// within one dotted part; a trailing `[]` (a list or dict of locks) is ignored on both sides.
// Matching is linear-ish (../shared/wildcard), and lookups are indexed, so a file of
// thousands of names costs no regular-expression compile per query.

import { compileWildcard, matchWildcard, type Wildcard } from '../shared/wildcard';

/** A compiled lock-name pattern. */
export interface NamePattern {
  /** The pattern without a trailing `[]`. */
  readonly bare: string;
  readonly wildcard: boolean;
  matches(lockName: string): boolean;
}

/** Strip the `[]` that marks a list or dict of locks. */
function bare(name: string): string {
  return name.endsWith('[]') ? name.slice(0, -2) : name;
}

/** Compile one declared name. */
export function compileName(pattern: string): NamePattern {
  const p = bare(pattern);
  if (!p.includes('*')) return { bare: p, wildcard: false, matches: (name) => bare(name) === p };
  const parts: Wildcard[] = p.split('.').map((part) => compileWildcard(part, false));
  return {
    bare: p,
    wildcard: true,
    matches(name: string): boolean {
      const got = bare(name).split('.');
      return got.length === parts.length && parts.every((w, i) => matchWildcard(w, got[i]));
    },
  };
}

/** Declared names indexed for lookups by lock name (the first declaration wins a tie). */
export class NameIndex {
  private readonly exact = new Map<string, number>();
  private readonly wild: { id: number; pattern: NamePattern }[] = [];
  private readonly found = new Map<string, number | undefined>();

  constructor(patterns: string[]) {
    patterns.forEach((text, id) => {
      const pattern = compileName(text);
      if (pattern.wildcard) this.wild.push({ id, pattern });
      else if (!this.exact.has(pattern.bare)) this.exact.set(pattern.bare, id);
    });
  }

  /** The declaration covering a lock name, if any (exact names win over wildcards). */
  find(lockName: string): number | undefined {
    if (this.found.has(lockName)) return this.found.get(lockName);
    const exact = this.exact.get(bare(lockName));
    const id = exact ?? this.wild.find((w) => w.pattern.matches(lockName))?.id;
    this.found.set(lockName, id);
    return id;
  }
}

/** For each pattern, whether some lock name matches it. */
export function patternsInUse(patterns: string[], lockNames: string[]): boolean[] {
  const names = new Set(lockNames.map(bare));
  const byParts = new Map<number, string[]>();
  for (const n of names) {
    const count = n.split('.').length;
    const list = byParts.get(count);
    if (list) list.push(n);
    else byParts.set(count, [n]);
  }
  return patterns.map((text) => {
    const pattern = compileName(text);
    if (!pattern.wildcard) return names.has(pattern.bare);
    return (byParts.get(pattern.bare.split('.').length) ?? []).some((n) => pattern.matches(n));
  });
}
