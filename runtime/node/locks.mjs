// Lock identities for the Node runtime: each lock object gets an id in creation order (never
// its identity), the place it was created, a name read from that line (`accounts` in
// `const accounts = new Mutex()`, `Account.lock` for `this.lock = new Mutex()` in a constructor,
// else `Mutex@file.js:12`) and a rank for the ordered acquire (declared order first, then
// creation order).

import { basename } from 'node:path';
import { captureStack, nameFromLine, siteOf } from './sites.mjs';

/**
 * What the runtime knows of one lock.
 * @typedef {object} LockInfo
 * @property {number} id creation order, from 1
 * @property {string} kind Mutex, Semaphore, ...
 * @property {Error | undefined} created where it was created
 * @property {Set<import('./heldLocks.mjs').Entry>} holders the entries holding it now
 * @property {string | undefined} cachedName
 * @property {[number, number] | undefined} rank cached by rankOf
 * @property {LockInfo | undefined} [owner] for a keyed lock (async-lock): the lock object's info
 * @property {string | undefined} [key] for a keyed lock: its key
 */

/** @type {WeakMap<object, LockInfo>} */
const infos = new WeakMap();
let nextId = 1;
/** @type {((name: string) => number | undefined) | null} */
let declaredRank = null;

/** How many locks have been seen. */
export function locksSeen() {
  return nextId - 1;
}

/**
 * The info of a lock object, registered on first sight.
 * @param {object} lock @param {string} kind @param {boolean} [creating] called from its constructor
 * @returns {LockInfo}
 */
export function lockInfo(lock, kind, creating = false) {
  let info = infos.get(lock);
  if (!info) {
    info = { id: nextId, kind, created: creating ? captureStack() : undefined, holders: new Set(), cachedName: undefined, rank: undefined };
    nextId += 1;
    infos.set(lock, info);
  }
  return info;
}

/** @type {WeakMap<object, Map<string, object>>} keyed lock object -> key -> token */
const keyTokens = new WeakMap();

/**
 * The token standing for one key of a keyed lock (async-lock's `acquire(key, ...)`): the same
 * object for the same lock and key, with its own info (named `lock["key"]`).
 * @param {object} lock @param {string} kind @param {unknown} key
 * @returns {object}
 */
export function keyToken(lock, kind, key) {
  let tokens = keyTokens.get(lock);
  if (!tokens) keyTokens.set(lock, (tokens = new Map()));
  const text = String(key);
  let token = tokens.get(text);
  if (!token) {
    token = {};
    tokens.set(text, token);
    const info = lockInfo(token, kind);
    info.owner = lockInfo(lock, kind);
    info.key = text;
    info.created = info.owner.created;
  }
  return token;
}

/**
 * The info of a lock object if it was seen, else undefined.
 * @param {object} lock
 */
export function knownLock(lock) {
  return infos.get(lock);
}

/**
 * The lock's name as reports show it.
 * @param {LockInfo} info
 * @returns {string}
 */
export function lockName(info) {
  if (info.owner) return `${lockName(info.owner)}[${JSON.stringify(info.key)}]`;
  if (info.cachedName === undefined) {
    const site = siteOf(info.created);
    const found = nameFromLine(site);
    const owner = /^new ([\w$]+)/.exec(site.function)?.[1];
    if (found && owner && /this\./.test(site.code ?? '')) info.cachedName = `${owner}.${found}`;
    else if (found) info.cachedName = found;
    else info.cachedName = site.file === '<unknown>' ? `${info.kind}#${info.id}` : `${info.kind}@${basename(site.file)}:${site.line}`;
  }
  return info.cachedName;
}

/**
 * The lock as a record's `locks` entry.
 * @param {LockInfo} info
 */
export function describeLock(info) {
  const name = lockName(info);
  /** @type {Record<string, unknown>} */
  const out = { id: info.id, name, kind: info.kind };
  if (info.created) {
    const site = siteOf(info.created);
    out.qualname = `${basename(site.file).replace(/\.[^.]*$/, '')}.${name}`;
    out.created = site;
  }
  return out;
}

/**
 * Set the function giving a lock name's declared rank (from lockorder.order).
 * @param {((name: string) => number | undefined) | null} rankOf
 */
export function useDeclaredRanks(rankOf) {
  declaredRank = rankOf;
}

/**
 * The stable rank of a lock: declared locks first, in declared order, then creation order.
 * @param {LockInfo} info
 * @returns {[number, number]}
 */
export function rankOf(info) {
  if (info.rank === undefined) {
    info.rank = [1, info.id];
    if (declaredRank) {
      const described = describeLock(info);
      const rank = declaredRank(String(described.qualname ?? '')) ?? declaredRank(String(described.name));
      if (rank !== undefined) info.rank = [0, rank];
    }
  }
  return info.rank;
}
