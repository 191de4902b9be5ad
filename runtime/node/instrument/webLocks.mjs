// Instrumentation of the Web Locks API where Node has it (`navigator.locks`, the same manager as
// `worker_threads.locks`, Node 24.5+): each lock name is a lock, named `locks["name"]`.
// `request(name, [options], callback)` asks for it in the caller's chain, and the callback runs
// in a child scope of that chain holding it until the callback's promise settles, as the API
// holds it. A chain asking for an exclusive lock it holds waits forever: LO102 (with --raise the
// request rejects with DeadlockError). `ifAvailable` and `steal` requests never wait (no edge,
// no self-deadlock); a shared request is no self-deadlock either. Worker threads share the
// locks, but each thread's runtime sees only its own chains.

import { lockInfo } from '../locks.mjs';
import { gaveUp, internalError, request, withCallback, withTimed } from '../tracker.mjs';
import { runHoldingSlot } from './holding.mjs';

const patchedTag = Symbol('lockorder.webLocks');
/** @type {Map<string, object>} lock name -> the object standing for it */
const tokens = new Map();

/**
 * The object standing for one lock name (its info named `locks["name"]`).
 * @param {unknown} name
 */
function tokenOf(name) {
  const text = String(name);
  let token = tokens.get(text);
  if (!token) {
    token = {};
    tokens.set(text, token);
    lockInfo(token, 'WebLock').cachedName = `locks[${JSON.stringify(text)}]`;
  }
  return token;
}

/**
 * Record a request for `name`; null when the runtime failed (the request then goes unrecorded).
 * Throws DeadlockError / LockOrderViolation under --raise.
 * @param {unknown} name @param {any} options @param {Function} callback
 */
function recordRequest(name, options, callback) {
  let token;
  try {
    token = tokenOf(name);
  } catch (error) {
    internalError(error);
    return null;
  }
  const shared = options?.mode === 'shared';
  const free = shared || lockInfo(token, 'WebLock').holders.size === 0;
  const ask = () => withCallback(callback, () => request(token, 'WebLock', free));
  return options?.ifAvailable || options?.steal ? withTimed(0, ask) : ask();
}

/**
 * The recording `request` in place of `original`.
 * @param {Function} original
 */
function recording(original) {
  /** @this {any} @param {unknown} name @param {unknown[]} rest */
  return function request(name, ...rest) {
    const callback = typeof rest[0] === 'function' ? rest[0] : rest[1];
    if (typeof callback !== 'function') return original.call(this, name, ...rest);
    const options = typeof rest[0] === 'function' ? undefined : /** @type {any} */ (rest[0]);
    let req;
    try {
      req = recordRequest(name, options, callback);
    } catch (error) {
      return Promise.reject(error);
    }
    if (!req) return original.call(this, name, ...rest);
    const started = { value: false };
    const wrapped = (/** @type {unknown} */ lock) => {
      started.value = true;
      if (lock === null) { // ifAvailable, and it was not
        gaveUp(req);
        return callback(lock);
      }
      return runHoldingSlot(/** @type {any} */ (req), callback, [lock]);
    };
    const promise = options === undefined ? original.call(this, name, wrapped) : original.call(this, name, options, wrapped);
    Promise.resolve(promise).then(undefined, () => { if (!started.value) gaveUp(req); });
    return promise;
  };
}

/** Patch the Web Locks manager's `request`, where this Node has Web Locks; whether it did. */
export function installWebLocks() {
  try {
    const manager = /** @type {any} */ (globalThis).navigator?.locks;
    const proto = manager && Object.getPrototypeOf(manager);
    if (!proto || typeof proto.request !== 'function' || proto[patchedTag]) return false;
    const described = /** @type {PropertyDescriptor} */ (Object.getOwnPropertyDescriptor(proto, 'request'));
    Object.defineProperty(proto, 'request', { ...described, value: recording(proto.request) });
    Object.defineProperty(proto, patchedTag, { value: true });
    return true;
  } catch (error) {
    internalError(error);
    return false;
  }
}
