// Jest runs a test's modules through its own module registry (jest-runtime), not through Node's
// `require`, so the runtime's `require` hook never sees them. When a Jest worker loads
// jest-runtime (through Node's `require`, which is hooked), its `requireModuleOrMock` is wrapped:
// an instrumented library required by its package name from a test comes back instrumented,
// and so does its entry file required by path (Jest running tests as ES modules, with
// --experimental-vm-modules, loads a CommonJS dependency such as async-lock by its resolved
// path), unless the test mocked it (a mock is handed back as it is). In that ES-module mode,
// Jest evaluates a library's own ES-module entry (async-mutex's index.mjs, p-queue, p-limit)
// itself, past Node's loader hooks: `resolveModule` is wrapped too, and an import of the library
// by its package name gets a synthetic module with the instrumented exports in their place.

import { createRequire } from 'node:module';
import { isAbsolute } from 'node:path';
import vm from 'node:vm';
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

/** @type {WeakMap<object, Promise<object>>} a library's evaluated ES module -> its instrumented stand-in */
const standIns = new WeakMap();

/**
 * A synthetic module exporting the library module's namespace, its lock classes instrumented.
 * @param {any} runtime jest-runtime @param {any} module the library's module (unevaluated)
 * @param {string} name @param {(name: string, exports: any) => any} instrument
 */
async function standInFor(runtime, module, name, instrument) {
  await runtime.linkAndEvaluateModule(module);
  const namespace = module.namespace;
  const copy = instrument(name, namespace);
  const keys = Object.keys(namespace);
  const standIn = new vm.SyntheticModule(keys, function exportAll() {
    for (const key of keys) this.setExport(key, copy === namespace ? namespace[key] : copy[key] ?? namespace[key]);
  }, { context: module.context, identifier: `${module.identifier}?lockorder-wrap=${name}` });
  await standIn.link(() => {
    throw new Error('a synthetic module imports nothing');
  });
  await standIn.evaluate();
  return standIn;
}

/**
 * Wrap jest-runtime's `resolveModule` (ES-module mode) once.
 * @param {any} proto @param {(name: string, exports: any) => any} instrument @param {(name: string) => boolean} known
 */
function patchResolveModule(proto, instrument, known) {
  const original = proto.resolveModule;
  // Without --experimental-vm-modules, Node has no vm modules and Jest loads no ES module.
  if (typeof original !== 'function' || typeof vm.SyntheticModule !== 'function' || typeof vm.SourceTextModule !== 'function') return;
  /** @this {any} @param {string} specifier @param {string} referencing @param {object} context */
  proto.resolveModule = async function resolveModule(specifier, referencing, context) {
    const module = await original.call(this, specifier, referencing, context);
    // Only the library's own source module: a mock, or CommonJS seen as ESM, is not one.
    if (!known(specifier) || !(module instanceof vm.SourceTextModule)) return module;
    let standIn = standIns.get(module);
    if (!standIn) {
      standIn = standInFor(this, module, specifier, instrument).catch(() => module);
      standIns.set(module, standIn);
    }
    return standIn;
  };
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
  patchResolveModule(proto, instrument, known);
}
