// Jest runs a test's modules through its own module registry (jest-runtime), not through Node's
// `require`, so the runtime's `require` hook never sees them. When a Jest worker loads
// jest-runtime (through Node's `require`, which is hooked), its `requireModuleOrMock` is wrapped:
// an instrumented library required by its package name from a test comes back instrumented,
// and so does its entry file required by path (Jest running tests as ES modules, with
// --experimental-vm-modules, loads a CommonJS dependency such as async-lock by its resolved
// path), unless the test mocked it (a mock is handed back as it is).

import { createRequire } from 'node:module';
import { isAbsolute } from 'node:path';
import { libraryOf } from './libraries.mjs';

const patched = Symbol('lockorder.jest');

/** @type {Map<string, string | null>} resolved path -> the library whose CommonJS entry it is */
const entries = new Map();

/**
 * The instrumented library `moduleName` stands for: a package name, or the path of a library's
 * CommonJS entry (the file its package name resolves to from there); else null.
 * @param {string} moduleName @param {(name: string) => boolean} known
 */
function libraryFor(moduleName, known) {
  if (typeof moduleName !== 'string') return null;
  if (known(moduleName)) return moduleName;
  if (!isAbsolute(moduleName)) return null;
  let name = entries.get(moduleName);
  if (name === undefined) {
    name = libraryOf(moduleName);
    try {
      if (name && createRequire(moduleName).resolve(name) !== moduleName) name = null;
    } catch {
      name = null;
    }
    entries.set(moduleName, name);
  }
  return name;
}

/**
 * Wrap jest-runtime's module loading once.
 * @param {any} exports jest-runtime's exports (its `default` is the Runtime class)
 * @param {(name: string, exports: any) => any} instrument the library's instrumented exports
 * @param {(name: string) => boolean} known whether a package name is an instrumented library
 */
export function patchJestRuntime(exports, instrument, known) {
  const proto = exports?.default?.prototype;
  if (!proto || typeof proto.requireModuleOrMock !== 'function' || proto[patched]) return;
  const original = proto.requireModuleOrMock;
  proto[patched] = true;
  /** @this {any} @param {string} from @param {string} moduleName */
  proto.requireModuleOrMock = function requireModuleOrMock(from, moduleName) {
    const result = original.call(this, from, moduleName);
    if (result === null || (typeof result !== 'object' && typeof result !== 'function')) return result;
    const name = libraryFor(moduleName, known);
    if (!name) return result;
    if (typeof this.requireActual === 'function' && this.requireActual(from, moduleName) !== result) return result;
    return instrument(name, result);
  };
}
