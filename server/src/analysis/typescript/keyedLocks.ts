// Locks named by a key: async-lock's `lock.acquire(key, fn)` and Web Locks'
// `navigator.locks.request(name, fn)`. A literal key is a lock of its own, defined where this
// file first uses it; a computed key is one lock of a family (like a list of locks), whose
// members cannot be told apart, except that the computed keys of one literal array are distinct
// and taken in the order written: `[from, to]` here and `[to, from]` there can deadlock.

import type { Node } from 'ts-morph';
import type { FileFacts, LockDefFact, Ref } from '../events';
import type { LockKind } from '../types';
import type { Key } from './keys';
import { rangeOf } from './refs';
import { notReusable } from './unitReuse';

/** Marks the instance text of a family member this walk cannot tell from the others (the engine's UNKNOWN_INSTANCE). */
const UNKNOWN = '?';

/** The key-named locks of one file's walk. */
export class KeyedLocks {
  /** Lock names given to keys in this file, by owner (an AsyncLock declaration, or Web Locks) and key. */
  private names = new Map<unknown, Map<string, string>>();

  constructor(private readonly host: { readonly facts: FileFacts }) {}

  /**
   * The lock a key names: `owner` is what keys are looked up in (`base`: its name in messages).
   * `distinct`: a computed key written in a literal array, told apart from the others by its text.
   */
  ref(owner: unknown, base: string, kind: LockKind, k: Key, distinct: boolean): Ref {
    notReusable(); // which use of a key defines its lock depends on the units before
    if (k.key !== undefined) return { kind: 'name', name: this.define(owner, base, kind, `['${k.key.replace(/[\\']/g, (c) => `\\${c}`)}']`, k.node, false) };
    const family = this.define(owner, base, kind, '', k.node, true);
    const text = k.node.getText().replace(/\s+/g, ' ').replace(/[[\]]/g, '').slice(0, 40);
    return { kind: 'index', base: { kind: 'name', name: family }, index: distinct ? text : `${text}${UNKNOWN}` };
  }

  /** The name of a lock (or family) of `owner`, defined at `at` the first time it is used. */
  private define(owner: unknown, base: string, kind: LockKind, suffix: string, at: Node, container: boolean): string {
    let names = this.names.get(owner);
    if (!names) this.names.set(owner, (names = new Map()));
    let name = names.get(suffix);
    if (name === undefined) {
      name = `${base}${suffix}`;
      names.set(suffix, name);
      const range = rangeOf(at);
      const def: LockDefFact = { target: { scope: 'module', name }, kind, container, range, calleeRange: range, calleeText: at.getText(), statementRange: range };
      this.host.facts.lockDefs.push(def);
    }
    return name;
  }
}
