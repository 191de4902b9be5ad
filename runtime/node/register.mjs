// Entry point of the Node runtime (`node --import lockorder/register`, or what `lockorder run`
// preloads): registers the ESM loader hooks, hooks `require` for CommonJS, and installs the exit
// reports, and records Web Locks (navigator.locks) where Node has them. Nothing in the program
// changes; only the instrumented libraries hand out recording versions of their locks.

import Module, { register } from 'node:module';
import { installExitReports } from './exitReports.mjs';
import { installWebLocks } from './instrument/webLocks.mjs';
import { patchJestRuntime } from './jestRuntime.mjs';
import { libraries } from './libraries.mjs';
import { installOrderFile } from './orderFile.mjs';
import { internalError } from './tracker.mjs';

const builders = new Map(await Promise.all(Object.entries(libraries)
  .map(async ([name, lib]) => /** @type {[string, Function]} */ ([name, (await import(lib.module))[lib.build]]))));

/** @type {WeakMap<object, object>} a library's CommonJS exports -> the instrumented copy */
const wrapped = new WeakMap();

/**
 * The instrumented exports object for a library's CommonJS exports.
 * @param {string} name @param {any} exports
 */
function wrapExports(name, exports) {
  const known = wrapped.get(exports);
  if (known) return known;
  const build = /** @type {Function} */ (builders.get(name));
  /** @type {object} */
  let copy;
  if (libraries[name].exportsItself) {
    copy = build(exports);
  } else {
    copy = { ...exports, ...build(exports) };
    if (exports.__esModule) Object.defineProperty(copy, '__esModule', { value: true });
  }
  wrapped.set(exports, copy);
  return copy;
}

/**
 * The instrumented exports of a library required by its package name, or the exports as they are.
 * @param {string} request @param {any} exports
 */
function instrumented(request, exports) {
  if (!builders.has(request) || exports === null || (typeof exports !== 'object' && typeof exports !== 'function')) return exports;
  // An older CommonJS major (p-limit 3: `module.exports = pLimit`, as Jest requires it) is not
  // the shape the instrumentation knows: it is handed back untouched, never half-replaced.
  if (libraries[request].defaultExport && typeof exports.default !== 'function') return exports;
  try {
    return wrapExports(request, exports);
  } catch (error) {
    internalError(error);
    return exports;
  }
}

/** Hook `require` of the instrumented libraries (by package name), and Jest's own module loading. */
function hookRequire() {
  const anyModule = /** @type {any} */ (Module);
  const original = anyModule._load;
  anyModule._load = function load(/** @type {string} */ request, /** @type {unknown[]} */ ...rest) {
    const exports = original.call(this, request, ...rest);
    if (request === 'jest-runtime') {
      try {
        patchJestRuntime(exports, instrumented, (name) => builders.has(name));
      } catch (error) {
        internalError(error);
      }
    }
    return instrumented(request, exports);
  };
}

register('./hooks.mjs', import.meta.url);
hookRequire();
installWebLocks();
installOrderFile();
installExitReports();
