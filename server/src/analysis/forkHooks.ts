// At-fork hooks: `os.register_at_fork(before=hook)` makes every `os.fork()` of the program run
// `hook` first, in the forking thread, while that thread holds what it holds. logging's hook
// (`_acquireLock`) and concurrent.futures.thread's (`_global_shutdown_lock.acquire`) take a lock
// and keep it until the `after_in_parent=` hook gives it back, after the fork: a fork under lock A
// takes each hook's lock under A, and a hook that runs later takes its lock under the earlier
// hooks' locks. Hooks run in the reverse order of registration; that order is known when one
// registering module imports the other (it registers last, so its hook runs first) or both
// register in one module. Other pairs are left unordered (no edge either way).

import type { ForkHookFact } from './events';
import { UNKNOWN_INSTANCE, type FunctionInfo, type ModuleInfo, type ResolvedLock, type Scope, type Symbols } from './symbols';

/** One registered `before=` hook: a lock's bound `acquire`, or a function. */
export interface ForkHook {
  module: ModuleInfo;
  fact: ForkHookFact;
  /** The lock a `lock.acquire` hook takes. */
  lock?: ResolvedLock;
  /** The function a hook runs. */
  fn?: FunctionInfo;
}

/** Every `before=` hook of the program that resolves to a lock's `acquire` or to a function. */
export function forkHooks(symbols: Symbols, resolveLock: (ref: ForkHookFact['before'], scope: Scope) => ResolvedLock | undefined): ForkHook[] {
  const out: ForkHook[] = [];
  for (const mod of symbols.modules.values()) {
    for (const fact of mod.facts.forkHooks ?? []) {
      const fn = symbols.functionIn(mod.file, fact.functionId);
      const scope: Scope = { module: mod, fn: fn?.fact.id === '<module>' ? undefined : fn };
      const b = fact.before;
      const lock = b.kind === 'attr' && b.attr === 'acquire' ? resolveLock(b.base, scope) : undefined;
      const target = lock ? undefined : symbols.resolveCall(b, scope);
      if (lock) out.push({ module: mod, fact, lock: { ...lock, inst: lock.inst === 'g' ? 'g' : UNKNOWN_INSTANCE } });
      else if (target) out.push({ module: mod, fact, fn: target.fn });
    }
  }
  return out;
}

/** Whether hook `a` runs before hook `b` at a fork (`b` registered first), when the code says so. */
export function runsBefore(symbols: Symbols, a: ForkHook, b: ForkHook): boolean {
  if (a === b) return false;
  if (a.module === b.module) return b.fact.range.start.line < a.fact.range.start.line;
  return imports(symbols, a.module, b.module);
}

/** Whether module `from` imports module `to`, directly or not. */
function imports(symbols: Symbols, from: ModuleInfo, to: ModuleInfo): boolean {
  const seen = new Set<ModuleInfo>([from]);
  const queue = [from];
  for (let i = 0; i < queue.length; i++) {
    for (const m of symbols.importedModules(queue[i])) {
      if (m === to) return true;
      if (!seen.has(m)) {
        seen.add(m);
        queue.push(m);
      }
    }
  }
  return false;
}
