// Jest runs a test's modules through its own module registry (jest-runtime), not through Node's
// `require`, so the runtime's `require` hook never sees them. When a Jest worker loads
// jest-runtime (through Node's `require`, which is hooked), its `requireModuleOrMock` is wrapped:
// an instrumented library required by its package name from a test comes back instrumented,
// unless the test mocked it (a mock is handed back as it is).

const patched = Symbol('lockorder.jest');

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
    if (!known(moduleName) || result === null || (typeof result !== 'object' && typeof result !== 'function')) return result;
    if (typeof this.requireActual === 'function' && this.requireActual(from, moduleName) !== result) return result;
    return instrument(moduleName, result);
  };
}
