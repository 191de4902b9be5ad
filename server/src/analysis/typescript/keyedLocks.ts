// Locks named by a key: async-lock's `lock.acquire(key, fn)` and Web Locks'
// `navigator.locks.request(name, fn)`. A literal key is a lock of its own, defined where this
// file first uses it; a computed key is one lock of a family (like a list of locks), whose
// members cannot be told apart, except that the computed keys of one literal array are distinct
// and taken in the order written: `[from, to]` here and `[to, from]` there can deadlock.
// A key of an owner every file shares (Web Locks, an AsyncLock a module exports) names one lock
// in every file that uses it.

import type { Node } from 'ts-morph';
import type { FileFacts, LockDefFact, Ref } from '../events';
import type { LockKind } from '../types';
import type { Key } from './keys';
import { rangeOf } from './refs';
import { notReusable } from './unitReuse';
import { noteKey } from './sameKeys';

/** Marks the instance text of a family member this walk cannot tell from the others (the engine's UNKNOWN_INSTANCE). */
const UNKNOWN = '?';

/**
 * What keys are looked up in: `owner` (an AsyncLock declaration, a map of mutexes, Web Locks),
 * its name in messages (`base`), and the kind of its locks. `shared`: the owner is the same in
 * every file (a module's AsyncLock, Web Locks' one manager), so a key names one lock across
 * files: the key and full name its locks are known by everywhere.
 */
export interface KeyOwner {
  owner: unknown;
  base: string;
  kind: LockKind;
  shared?: { key: string; name: string };
  /** Keys are indexes of an array (an Atomics buffer's cells): `cells[0]`, not `cells['0']`. */
  index?: boolean;
}

/** The key-named locks of one file's walk. */
export class KeyedLocks {
  /** Lock names given to keys in this file, by owner and key. */
  private names = new Map<unknown, Map<string, string>>();
  /** The base name each owner's locks get in this file. */
  private bases = new Map<unknown, string>();

  constructor(private readonly host: { readonly facts: FileFacts }) {}

  /** The lock a key of `o` names; `distinct`: a computed key written in a literal array, told apart from the others by its text. */
  ref(o: KeyOwner, k: Key, distinct: boolean): Ref {
    notReusable(); // which use of a key defines its lock depends on the units before
    if (k.key !== undefined) return { kind: 'name', name: this.define(o, o.index ? `[${k.key}]` : `['${k.key.replace(/[\\']/g, (c) => `\\${c}`)}']`, k.node, false) };
    const family = this.define(o, '', k.node, true);
    const text = k.node.getText().replace(/\s+/g, ' ').replace(/[[\]]/g, '').slice(0, 40);
    const ref: Ref = { kind: 'index', base: { kind: 'name', name: family }, index: distinct ? text : `${text}${UNKNOWN}` };
    return distinct ? ref : noteKey(ref, k.node); // the same unchanged key taken again is one lock (sameKeys.ts)
  }

  /** The name of a lock (or family) of `o`, defined at `at` the first time this file uses it. */
  private define(o: KeyOwner, suffix: string, at: Node, container: boolean): string {
    let names = this.names.get(o.owner);
    if (!names) this.names.set(o.owner, (names = new Map()));
    let name = names.get(suffix);
    if (name === undefined) {
      name = `${this.baseOf(o)}${suffix}`;
      names.set(suffix, name);
      const range = rangeOf(at);
      const def: LockDefFact = { target: { scope: 'module', name }, kind: o.kind, container, range, calleeRange: range, calleeText: at.getText(), statementRange: range };
      const family = container ? '[]' : '';
      if (o.shared) def.sharedAs = { key: `${o.shared.key}${suffix}${family}`, name: `${o.shared.name}${suffix}${family}` };
      if (!container) def.keyOf = this.baseOf(o); // one key of the family a batch over computed keys takes
      if (!container && def.sharedAs) def.sharedAs.family = `${o.shared!.name}[]`;
      this.host.facts.lockDefs.push(def);
    }
    return name;
  }

  /** The name an owner's locks start with: its own, or `lock#2`… when another owner of this file has it (two AsyncLocks called `lock`). */
  private baseOf(o: KeyOwner): string {
    let base = this.bases.get(o.owner);
    if (base === undefined) {
      const taken = new Set(this.bases.values());
      base = o.base;
      for (let i = 2; taken.has(base); i++) base = `${o.base}#${i}`;
      this.bases.set(o.owner, base);
    }
    return base;
  }
}
