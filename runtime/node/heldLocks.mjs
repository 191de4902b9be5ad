// Held locks per async call chain. AsyncLocalStorage carries a scope: an owner token (the scope
// object itself), its parent and its depth. A lock taken with runExclusive (or the ordered
// `acquire`) gets a child scope in which the callback runs, so Promise.all children started
// inside it are child tasks of the holder and see the lock as held by their chain; a lock taken
// with `acquire()`/`release()` stays in the scope of the chain that asked for it ("loose").
// Entries are marked released rather than removed from scopes, so a child task that outlives
// its holder's callback does not see a stale lock.

import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * One acquisition of a lock by a chain.
 * @typedef {object} Entry
 * @property {import('./locks.mjs').LockInfo} lock
 * @property {Scope} scope the scope that holds it
 * @property {boolean} scoped taken by runExclusive/ordered acquire (its callback runs in `scope`)
 * @property {boolean} released
 * @property {Error | undefined} site where it was taken (captured, formatted on demand)
 * @property {boolean} settled for a scoped entry: whether its callback has settled
 * @property {boolean} reportedStuck already part of an LO110 record
 * @property {boolean} [ordered] taken by the ordered acquire
 * @property {Function | undefined} callback the runExclusive/acquire callback run under it (its
 *   definition stands for `site` when no stack was captured)
 */

/** A position in an async call chain; the object is the chain's owner token. */
export class Scope {
  /** @param {Scope | null} parent @param {string} label */
  constructor(parent, label) {
    this.parent = parent;
    this.label = label;
    this.depth = parent ? parent.depth + 1 : 0;
    /** @type {Entry[]} */
    this.entries = [];
  }
}

const storage = new AsyncLocalStorage();
let chains = 0;
/** The scope of code that runs outside any recorded chain (module top level, timers, ...). */
export const mainScope = new Scope(null, 'main');

/** The scope of the running code. */
export function currentScope() {
  return /** @type {Scope | undefined} */ (storage.getStore()) ?? mainScope;
}

/**
 * The locks the scope's chain holds, outermost first (itself and its ancestors, unreleased).
 * @param {Scope} scope
 * @returns {Entry[]}
 */
export function heldIn(scope) {
  /** @type {Entry[]} */
  const held = [];
  for (let s = /** @type {Scope | null} */ (scope); s; s = s.parent) {
    for (let i = s.entries.length - 1; i >= 0; i -= 1) {
      if (!s.entries[i].released) held.push(s.entries[i]);
    }
  }
  return held.reverse();
}

/**
 * Record a granted lock in the scope that asked for it.
 * @param {Scope} scope @param {import('./locks.mjs').LockInfo} lock @param {Error | undefined} site
 * @param {Function | undefined} callback
 * @returns {Entry}
 */
export function addEntry(scope, lock, site, callback) {
  if (scope.entries.length > 64) scope.entries = scope.entries.filter((e) => !e.released);
  const entry = { lock, scope, scoped: false, released: false, site, settled: false, reportedStuck: false, callback };
  scope.entries.push(entry);
  lock.holders.add(entry);
  return entry;
}

/**
 * Move a granted entry into a new child scope of its chain, for the callback that runs under it.
 * @param {Entry} entry
 * @returns {Scope}
 */
export function scopeFor(entry) {
  const owner = entry.scope;
  unlist(owner, entry);
  chains += 1;
  const child = new Scope(owner, owner === mainScope ? `chain ${chains}` : owner.label);
  child.entries.push(entry);
  entry.scope = child;
  entry.scoped = true;
  return child;
}

/**
 * Mark an entry released.
 * @param {Entry} entry
 */
export function releaseEntry(entry) {
  entry.released = true;
  entry.lock.holders.delete(entry);
  const list = entry.scope.entries;
  if (list[list.length - 1] === entry) list.pop();
}

/**
 * Run `fn` in `scope` (its async continuations stay there).
 * @template T @param {Scope} scope @param {() => T} fn
 * @returns {T}
 */
export function runIn(scope, fn) {
  return storage.run(scope, fn);
}

/**
 * Whether `scope` is `ancestor` or one of its descendants.
 * @param {Scope} scope @param {Scope} ancestor
 */
export function within(scope, ancestor) {
  for (let s = /** @type {Scope | null} */ (scope); s; s = s.parent) if (s === ancestor) return true;
  return false;
}

/**
 * Move several granted entries of one chain into one new child scope (the ordered acquire's
 * callback runs there, holding them all).
 * @param {Entry[]} entries
 * @returns {Scope}
 */
export function scopeForAll(entries) {
  const child = scopeFor(entries[0]);
  for (const entry of entries.slice(1)) {
    unlist(entry.scope, entry);
    child.entries.push(entry);
    entry.scope = child;
    entry.scoped = true;
  }
  return child;
}

/**
 * Take an entry off its scope's list.
 * @param {Scope} scope @param {Entry} entry
 */
function unlist(scope, entry) {
  const at = scope.entries.lastIndexOf(entry);
  if (at >= 0) scope.entries.splice(at, 1);
}

/** What `scan` found: the two innermost held entries and the chain's own entry of a lock. */
export const found = {
  /** @type {Entry | null} */ inner: null,
  /** @type {Entry | null} */ outer: null,
  /** @type {Entry | null} */ mine: null,
};

/**
 * Fill `found` for a chain asking for `lock`, without allocating (the hot path of every acquire).
 * @param {Scope} scope @param {import('./locks.mjs').LockInfo} lock
 */
export function scan(scope, lock) {
  found.inner = null;
  found.outer = null;
  found.mine = null;
  for (let s = /** @type {Scope | null} */ (scope); s; s = s.parent) {
    const list = s.entries;
    for (let i = list.length - 1; i >= 0; i -= 1) {
      const entry = list[i];
      if (entry.released) continue;
      if (entry.lock === lock && found.mine === null) found.mine = entry;
      if (found.inner === null) found.inner = entry;
      else if (found.outer === null) found.outer = entry;
    }
    if (found.outer !== null && found.mine !== null) return;
  }
}
