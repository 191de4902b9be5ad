// `@property` reads across files: a getter that takes a lock makes every read of its name a
// possible acquisition, in any file. The project keeps the names of such getters here, so
// each file is walked knowing which attribute names it must record reads of.

import type { FileFacts, FunctionFact } from './events';
import type { FrontEnd, GuessedReads } from './frontEnd';

/** Whether a function is a `@property` (or `cached_property`) getter. */
export function isPropertyGetter(fn: FunctionFact): boolean {
  return (fn.decorators ?? []).some((d) => d.ref.kind === 'name' && /^(property|cached_property)$/.test(d.ref.name)
    || d.ref.kind === 'attr' && d.ref.attr === 'cached_property');
}

/** The names of a file's property getters that take a lock themselves (sorted, unique). */
export function lockingProperties(facts: FileFacts): string[] {
  const getters = new Map<string, string>();
  for (const fn of facts.functions) if (fn.className && isPropertyGetter(fn)) getters.set(fn.id, fn.name);
  if (getters.size === 0) return [];
  const names = new Set<string>();
  for (const a of facts.acquires) {
    const name = a.blocking ? getters.get(a.functionId) : undefined;
    if (name !== undefined) names.add(name);
  }
  return [...names].sort();
}

const NONE: ReadonlySet<string> = new Set();

/** The locking property names of every file of a project, counted so removals are cheap. */
export class PropertyIndex {
  private byFile = new Map<string, string[]>();
  private counts = new Map<string, number>();

  /** Record a file's locking property names; returns the names that joined or left the project's set. */
  update(path: string, names: string[]): string[] {
    const old = this.byFile.get(path) ?? [];
    if (old.join('\n') === names.join('\n')) return [];
    if (names.length) this.byFile.set(path, names);
    else this.byFile.delete(path);
    const changed: string[] = [];
    for (const n of old) {
      const c = (this.counts.get(n) ?? 0) - 1;
      if (c > 0) this.counts.set(n, c);
      else {
        this.counts.delete(n);
        changed.push(n);
      }
    }
    for (const n of names) {
      const c = (this.counts.get(n) ?? 0) + 1;
      this.counts.set(n, c);
      if (c === 1) changed.push(n);
    }
    return changed;
  }

  /** The project's locking property names that `text` may read (`.name` occurs in it). */
  readsIn(text: string): ReadonlySet<string> {
    if (this.counts.size === 0) return NONE;
    let out: Set<string> | undefined;
    for (const n of this.counts.keys()) if (mayRead(text, n)) (out ??= new Set()).add(n);
    return out ?? NONE;
  }
}

const readPatterns = new Map<string, RegExp>();

/** Whether `text` has `.name` as a whole word: the cheap test for a file that may read a property. */
export function mayRead(text: string, name: string): boolean {
  if (!text.includes(`.${name}`)) return false;
  let re = readPatterns.get(name);
  if (!re) readPatterns.set(name, (re = new RegExp(`\\.${name}\\b`)));
  return re.test(text);
}

/** Whether two name sets are equal. */
export function sameNames(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a.size !== b.size) return false;
  for (const n of a) if (!b.has(n)) return false;
  return true;
}

/**
 * The front ends' guesses at the lock-taking properties a batch defines (`FrontEnd.likelyReads`),
 * for its files to be walked looking out for them; undefined when there is none.
 */
export function likelyReads(files: readonly { path: string; text: string }[], frontEndOf: (path: string) => FrontEnd): string[] | undefined {
  const texts = new Map<FrontEnd, string[]>();
  for (const f of files) {
    const fe = frontEndOf(f.path);
    if (!fe.usesReads || !fe.likelyReads) continue;
    const group = texts.get(fe);
    if (group) group.push(f.text);
    else texts.set(fe, [f.text]);
  }
  const names = new Set<string>();
  for (const [fe, group] of texts) for (const n of fe.likelyReads!(group)) names.add(n);
  return names.size ? [...names].sort() : undefined;
}

/**
 * A file's facts with the reads of `reads` added, from a walk that looked out for them apart
 * (`guessed`, the walk that gave `facts`); undefined when that walk did not look out for all of them.
 */
export function withGuessedReads(facts: FileFacts, guessed: GuessedReads | undefined, reads: ReadonlySet<string>): FileFacts | undefined {
  if (!guessed) return undefined;
  const seen = new Set(guessed.names);
  for (const n of reads) if (!seen.has(n)) return undefined;
  const added = guessed.reads.filter((r) => reads.has(r.name));
  if (added.length === 0) return facts;
  const calls = [];
  let j = 0;
  for (let i = 0; i <= facts.calls.length; i++) {
    while (j < added.length && added[j].at === i) calls.push(added[j++].call);
    if (i < facts.calls.length) calls.push(facts.calls[i]);
  }
  return { ...facts, calls };
}
