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
  /** The dotted parts of `bare`. */
  readonly parts: readonly string[];
  matches(lockName: string): boolean;
}

/** Strip the `[]` that marks a list or dict of locks. */
function bare(name: string): string {
  return name.endsWith('[]') ? name.slice(0, -2) : name;
}

/** The dotted parts of a name; a key (`lock['a.b']`) stays with the last part, dots and all. */
function dottedParts(name: string): string[] {
  const key = name.indexOf('[');
  if (key < 0) return name.split('.');
  const parts = name.slice(0, key).split('.');
  parts[parts.length - 1] += name.slice(key);
  return parts;
}

/** Compile one declared name. */
export function compileName(pattern: string): NamePattern {
  const p = bare(pattern);
  const parts = dottedParts(p);
  if (!p.includes('*')) return { bare: p, wildcard: false, parts, matches: (name) => bare(name) === p };
  const compiled: Wildcard[] = parts.map((part) => compileWildcard(part, false));
  return {
    bare: p,
    wildcard: true,
    parts,
    matches(name: string): boolean {
      const got = dottedParts(bare(name));
      return got.length === compiled.length && compiled.every((w, i) => matchWildcard(w, got[i]));
    },
  };
}

/**
 * Wildcard patterns indexed by one literal dotted part (the rightmost, usually the most
 * telling), so a lock name is tried only against the patterns that can match it.
 */
class WildcardIndex {
  private readonly byPart = new Map<string, number[]>();
  private readonly loose: number[] = [];

  constructor(private readonly patterns: NamePattern[]) {
    patterns.forEach((pattern, i) => {
      let at = pattern.parts.length - 1;
      while (at >= 0 && pattern.parts[at].includes('*')) at--;
      if (at < 0) this.loose.push(i);
      else push(this.byPart, `${pattern.parts.length}:${at}:${pattern.parts[at]}`, i);
    });
  }

  /** Indexes (ascending) of the patterns that match a lock name. */
  matching(lockName: string): number[] {
    const parts = dottedParts(bare(lockName));
    const found = this.loose.filter((i) => this.patterns[i].matches(lockName));
    parts.forEach((part, at) => {
      for (const i of this.byPart.get(`${parts.length}:${at}:${part}`) ?? []) if (this.patterns[i].matches(lockName)) found.push(i);
    });
    return found.sort((a, b) => a - b);
  }
}

function push(map: Map<string, number[]>, key: string, value: number): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Declared names indexed for lookups by lock name (the first declaration wins a tie). */
export class NameIndex {
  private readonly exact = new Map<string, number>();
  private readonly compiled: NamePattern[];
  private readonly wildIds: number[] = [];
  private readonly wild: WildcardIndex;
  private readonly found = new Map<string, number | undefined>();

  constructor(patterns: string[]) {
    const wild: NamePattern[] = [];
    this.compiled = patterns.map(compileName);
    this.compiled.forEach((pattern, id) => {
      if (pattern.wildcard) {
        wild.push(pattern);
        this.wildIds.push(id);
      } else if (!this.exact.has(pattern.bare)) this.exact.set(pattern.bare, id);
    });
    this.wild = new WildcardIndex(wild);
  }

  /** The declaration covering a lock name, if any (exact names win over wildcards). */
  find(lockName: string): number | undefined {
    if (this.found.has(lockName)) return this.found.get(lockName);
    const exact = this.exact.get(bare(lockName));
    const first = exact === undefined ? this.wild.matching(lockName)[0] : undefined;
    const id = exact ?? (first === undefined ? undefined : this.wildIds[first]);
    this.found.set(lockName, id);
    return id;
  }

  /** For each declared name, whether some lock name matches it. */
  used(lockNames: string[]): boolean[] {
    const names = new Set(lockNames.map(bare));
    const used = this.compiled.map((p) => !p.wildcard && names.has(p.bare));
    for (const name of names) for (const w of this.wild.matching(name)) used[this.wildIds[w]] = true;
    return used;
  }
}
