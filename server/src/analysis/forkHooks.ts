// At-fork hooks: `os.register_at_fork(before=hook)` makes every `os.fork()` of the program run
// `hook` first, in the forking thread, while that thread holds what it holds. logging's hook
// (`_acquireLock`) and concurrent.futures.thread's (`_global_shutdown_lock.acquire`) take a lock
// and keep it until the `after_in_parent=` hook gives it back, after the fork: a fork under lock A
// takes each hook's lock under A, and a hook that runs later takes its lock under the earlier
// hooks' locks. Hooks run in the reverse order of registration; that order is known when one
// registering module imports the other (it registers last, so its hook runs first) or both
// register in one module. Other pairs are left unordered (no edge either way).

import type { CallFact, ForkHookFact } from './events';
import type { Holding, Taken } from './model';
import { refText } from './refText';
import { mapInstance } from './summaries';
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

/** The at-fork hooks of one linked program, and what a fork call takes through them. */
export class AtFork {
  private list?: ForkHook[];
  private orders = new Map<string, boolean>();

  constructor(
    private symbols: Symbols,
    private resolveLock: (ref: ForkHookFact['before'], scope: Scope) => ResolvedLock | undefined,
    private takenBy: (fnKey: string) => Taken[],
    /** The lock a function takes and leaves held for its caller (a hand-off helper), if any. */
    private leavesHeld: (fnKey: string) => ResolvedLock | undefined,
  ) {}

  /** Every `before=` hook of the program. */
  hooks(): ForkHook[] {
    this.list ??= forkHooks(this.symbols, this.resolveLock);
    return this.list;
  }

  /** The locks `lock.acquire` hooks take at a fork call of `fn`, there (function hooks are calls: Program.resolveCalls). */
  hookLocks(fn: FunctionInfo, call: CallFact): Taken[] {
    const site = { file: fn.module.file, range: call.range };
    return this.hooks().filter((h) => h.lock).map((h) => ({
      lock: h.lock!.lock, inst: h.lock!.inst, site, via: 'acquire' as const, fn, chain: [], forkHook: refText(h.fact.before),
    }));
  }

  /**
   * At a fork call: each lock a hook takes under the lock an earlier hook keeps held. Both are
   * named at the hooks' registrations (`os.register_at_fork(...)`), which set their order.
   */
  betweenHooks(): { holding: Holding; taken: Taken }[] {
    const out: { holding: Holding; taken: Taken }[] = [];
    for (const first of this.hooks()) {
      const kept = first.lock ?? (first.fn && this.leavesHeld(first.fn.key));
      if (!kept) continue;
      const holding: Holding = { lock: kept.lock, inst: kept.inst === 'g' ? 'g' : UNKNOWN_INSTANCE, site: registration(first), via: 'acquire' };
      for (const later of this.hooks()) if (this.order(first, later)) for (const taken of this.takes(later)) out.push({ holding, taken });
    }
    return out;
  }

  /** What a hook takes, seen from its registration. */
  private takes(h: ForkHook): Taken[] {
    const at = registration(h);
    if (h.lock) {
      const fn = this.symbols.functionIn(h.module.file, h.fact.functionId)!;
      return [{ lock: h.lock.lock, inst: h.lock.inst, site: at, via: 'acquire', fn, chain: [], forkHook: refText(h.fact.before) }];
    }
    return this.takenBy(h.fn!.key).map((t) => ({ ...t, inst: mapInstance(t.inst, UNKNOWN_INSTANCE, h.fn!.selfName), chain: [at, ...t.chain] }));
  }

  /** Whether hook `a` runs before `b` (memoised: it walks the imports). */
  private order(a: ForkHook, b: ForkHook): boolean {
    const key = `${this.hooks().indexOf(a)}>${this.hooks().indexOf(b)}`;
    let known = this.orders.get(key);
    if (known === undefined) this.orders.set(key, (known = runsBefore(this.symbols, a, b)));
    return known;
  }
}

/** Where a hook is registered. */
function registration(h: ForkHook): { file: string; range: ForkHookFact['range'] } {
  return { file: h.module.file, range: h.fact.range };
}

/** Every `before=` hook of the program that resolves to a lock's `acquire` or to a function. */
function forkHooks(symbols: Symbols, resolveLock: (ref: ForkHookFact['before'], scope: Scope) => ResolvedLock | undefined): ForkHook[] {
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
function runsBefore(symbols: Symbols, a: ForkHook, b: ForkHook): boolean {
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
