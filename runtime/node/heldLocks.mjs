// Held locks per async call chain. AsyncLocalStorage carries a scope: an owner token (the scope
// object itself), its parent and its depth. A lock taken with runExclusive (or the ordered
// `acquire`) gets a child scope in which the callback runs, so Promise.all children started
// inside it are child tasks of the holder and see the lock as held by their chain; a lock taken
// with `acquire()`/`release()` stays in the scope of the chain that asked for it ("loose").
// Entries are marked released rather than removed from scopes, so a child task that outlives
// its holder's callback does not see a stale lock. The acquire path allocates little: a
// request becomes its entry when granted, and a scope keeps its one scoped entry in a field.

import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * One request for a lock by a chain; once granted, the entry of the held lock.
 * @typedef {object} Entry
 * @property {import('./locks.mjs').LockInfo} lock
 * @property {Scope} scope the scope that asked for it, then holds it
 * @property {Error | undefined} site where it was asked for (captured, formatted on demand)
 * @property {Function | undefined} callback the callback run under it (its definition stands
 *   for `site` when no stack was captured)
 * @property {number | undefined} timeout undefined = waits as long as it takes (0: tryAcquire)
 * @property {Entry | null} selfWait a loose entry of the same lock in its chain
 * @property {((error: Error) => void) | null} reject rejects the acquire (--raise at exit)
 * @property {boolean} reported its wait is already part of a record
 * @property {boolean} scoped taken by runExclusive/ordered acquire (its callback runs in `scope`)
 * @property {boolean} released
 * @property {boolean} settled for a scoped entry: whether its callback has settled
 * @property {boolean} reportedStuck already part of an LO110 or LO102 record as a holder
 * @property {boolean} ordered taken by the ordered acquire
 * @property {boolean} [detached] a limiter's slot (p-limit, p-queue): the chain that queued the task
 *   waits for it only once it awaits the promise the limiter returned
 * @property {boolean} [waited] for a detached slot: whether the queuing chain awaits the task
 * @property {Array<Entry | null>} [deferred] for a detached slot: the queuing chain's two innermost
 *   held locks, whose edges to the limiter count once it waits
 * @property {Entry | null} [across] the unawaited slot between this request and its `selfWait`
 */

/** A position in an async call chain; the object is the chain's owner token. */
export class Scope {
  /** @param {Scope | null} parent @param {string} label @param {Entry | null} own */
  constructor(parent, label, own) {
    this.parent = parent;
    this.label = label;
    /** @type {number} */
    this.depth = parent ? parent.depth + 1 : 0;
    /** The lock whose callback runs in this scope (runExclusive), if any. */
    this.own = own;
    /** @type {Entry[] | null} locks this scope took with acquire(), and extra ordered ones */
    this.entries = null;
  }
}

const storage = new AsyncLocalStorage();
let chains = 0;
/** The scope of code that runs outside any recorded chain (module top level, timers, ...). */
export const mainScope = new Scope(null, 'main', null);

/** The scope of the running code. */
export function currentScope() {
  return /** @type {Scope | undefined} */ (storage.getStore()) ?? mainScope;
}

/**
 * The unreleased entries of one scope, innermost first.
 * @param {Scope} scope
 * @returns {Entry[]}
 */
export function entriesOf(scope) {
  /** @type {Entry[]} */
  const out = [];
  const list = scope.entries;
  if (list) for (let i = list.length - 1; i >= 0; i -= 1) if (!list[i].released) out.push(list[i]);
  if (scope.own && !scope.own.released) out.push(scope.own);
  return out;
}

/**
 * The locks the scope's chain holds, outermost first (itself and its ancestors, unreleased).
 * @param {Scope} scope
 * @returns {Entry[]}
 */
export function heldIn(scope) {
  /** @type {Entry[]} */
  const held = [];
  for (let s = /** @type {Scope | null} */ (scope); s; s = s.parent) held.push(...entriesOf(s));
  return held.reverse();
}

/**
 * Record a granted request as held by the scope that asked for it.
 * @param {Entry} entry
 */
export function holdEntry(entry) {
  const scope = entry.scope;
  if (scope.entries === null) scope.entries = [];
  else if (scope.entries.length > 64) scope.entries = scope.entries.filter((e) => !e.released);
  scope.entries.push(entry);
  entry.lock.holders.add(entry);
}

/**
 * Record a granted request whose callback will run under the lock: the entry gets a new child
 * scope of the asking chain at once (never visible to tasks that merely share that chain).
 * @param {Entry} entry
 * @returns {Scope}
 */
export function holdScoped(entry) {
  const owner = entry.scope;
  let label = owner.label;
  if (owner === mainScope) {
    chains += 1;
    label = `chain ${chains}`;
  }
  const child = new Scope(owner, label, entry);
  entry.scope = child;
  entry.scoped = true;
  entry.lock.holders.add(entry);
  return child;
}

/**
 * Take an entry off its scope's list.
 * @param {Scope} scope @param {Entry} entry
 */
function unlist(scope, entry) {
  if (scope.own === entry) return;
  const list = scope.entries;
  const at = list ? list.lastIndexOf(entry) : -1;
  if (at >= 0) /** @type {Entry[]} */ (list).splice(at, 1);
}

/**
 * Move a granted entry into a new child scope of its chain, for the callback that runs under it.
 * @param {Entry} entry
 * @returns {Scope}
 */
export function scopeFor(entry) {
  if (entry.scoped) return entry.scope;
  const owner = entry.scope;
  unlist(owner, entry);
  let label = owner.label;
  if (owner === mainScope) {
    chains += 1;
    label = `chain ${chains}`;
  }
  const child = new Scope(owner, label, entry);
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
  if (list !== null && list[list.length - 1] === entry) list.pop();
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
 * What `scan` found: the two innermost held entries and the chain's own entry of a lock. Past a
 * limiter's slot that its queuing chain does not (yet) await, the chain's locks are another
 * task's: they give no edge, and a lock found there is `mine` with the slot as `across`.
 */
export const found = {
  /** @type {Entry | null} */ inner: null,
  /** @type {Entry | null} */ outer: null,
  /** @type {Entry | null} */ mine: null,
  /** @type {Entry | null} */ across: null,
};

/**
 * Note one held entry in `found`.
 * @param {Entry} entry @param {import('./locks.mjs').LockInfo} lock @param {Entry | null} across
 */
function note(entry, lock, across) {
  if (entry.lock === lock && found.mine === null) {
    found.mine = entry;
    found.across = across;
  }
  if (across !== null) return;
  if (found.inner === null) found.inner = entry;
  else if (found.outer === null) found.outer = entry;
}

/**
 * Fill `found` for a chain asking for `lock`, without allocating (the hot path of every acquire).
 * @param {Scope} scope @param {import('./locks.mjs').LockInfo} lock
 */
export function scan(scope, lock) {
  found.inner = null;
  found.outer = null;
  found.mine = null;
  found.across = null;
  /** @type {Entry | null} */
  let across = null;
  for (let s = /** @type {Scope | null} */ (scope); s; s = s.parent) {
    const list = s.entries;
    if (list !== null) {
      for (let i = list.length - 1; i >= 0; i -= 1) if (!list[i].released) note(list[i], lock, across);
    }
    const own = s.own;
    if (own !== null && !own.released) {
      note(own, lock, across);
      if (own.detached === true && own.waited !== true && across === null) across = own;
    }
    if ((found.outer !== null || across !== null) && found.mine !== null) return;
  }
}
