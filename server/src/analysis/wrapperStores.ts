// Lock wrapper instances, named where they are stored. A class whose `__enter__` or `acquire()`
// takes a lock of its own instance (`self._lock`) is a lock type; every attribute or global
// holding an instance built right there (`self.accounts_guard = Guard()`, `AUDIT = Guard()`)
// is a lock class of its own, `module.Bank.accounts_guard`, created at that constructor call.
// The runtime names the inner locks of such an instance the same way.

import type { ImportFact, Ref, TypeFact } from './events';
import { dottedName, dottedRef, refText } from './refText';
import { isReentrant } from './lockKinds';
import { frontEndFor } from './frontEnds';
import { type ClassInfo, type ModuleInfo, type ResolvedLock, type Scope, type Symbols } from './symbols';
import type { LockClass, LockKind } from './types';
import { stdlibHolderOf } from './stdlibHolders';

/**
 * What a wrapper class's locking methods take: locks of its own (the first, whether all are
 * reentrant, and their ids), or the lock handed to `__init__` as parameter `param` (index after `self`).
 */
export type WrapperInner =
  | { lock: ResolvedLock; reentrant: boolean; ids: Set<string>; param?: undefined }
  | { param: { index: number; name: string } };

/** The lock class of a store, and whether it is one shared lock handed in (`Guard(ACCOUNTS_LOCK)`). */
interface StoreLock {
  lock: LockClass;
  shared?: boolean;
}

/** A stored wrapper instance: the assignment, its module and class, and the class it builds. */
interface Store {
  fact: TypeFact;
  module: ModuleInfo;
  owner?: ClassInfo;
}

/** Finds the storing site of a wrapper instance and keeps one lock class per site. */
export class WrapperStores {
  private byClass?: Map<string, Store>;
  private byModule?: Map<string, Store>;
  /** Stdlib holders in locals (`t = threading.Thread(...)`), by file, function and name. */
  private byLocal = new Map<string, Store>();
  private made = new Map<Store, StoreLock | null>();
  private imports = new Map<ModuleInfo, Map<string, ImportFact>>();
  /** Per store, the ids of the inner lock classes its wrapper takes; and all of them. */
  private innerOf = new Map<Store, Set<string>>();
  private innerIds = new Set<string>();

  /** `inner` tells whether a class is a wrapper, and what its locking method takes. */
  constructor(private symbols: Symbols, private inner: (cls: ClassInfo) => WrapperInner | undefined) {}

  /** Make the lock class of every stored wrapper instance, used or not (hover, order files). */
  makeAll(): void {
    this.index();
    for (const s of [...this.byClass!.values(), ...this.byModule!.values()]) this.lockOf(s);
  }

  /**
   * The lock a `with <ref>:` or `<ref>.acquire()` takes when `ref` is a stored wrapper
   * instance, seen from `scope`; undefined when `ref` is not one (a parameter, a local).
   */
  lockAt(ref: Ref, scope: Scope, depth = 0): ResolvedLock | undefined {
    if (depth > 6) return undefined;
    const found = this.storeOf(ref, scope, depth);
    const made = found && this.lockOf(found.store);
    return made ? { lock: made.lock, inst: made.shared ? 'g' : found.inst } : undefined;
  }

  /**
   * An inner lock of a stored wrapper instance, reached through the instance (`self.guard._lock`,
   * or a wrapper method called on `self.guard`), is the store's lock class.
   */
  canonical(r: ResolvedLock, scope: Scope): ResolvedLock {
    // A holder inside a holder (a Thread's Event, stored in a Queue's attribute) is the outer store's lock.
    for (let i = 0; i < 4; i++) {
      const outer = this.storeLockOf(r, scope);
      if (outer === r) return r;
      r = outer;
    }
    return r;
  }

  private storeLockOf(r: ResolvedLock, scope: Scope): ResolvedLock {
    if (!this.innerIds.has(r.lock.id)) return r;
    const ref = dottedRef(r.inst);
    const found = ref && this.storeOf(ref, scope, 0);
    const made = found && this.lockOf(found.store);
    if (!found || !made || !this.innerOf.get(found.store)?.has(r.lock.id)) return r;
    return { ...r, lock: made.lock, inst: found.inst };
  }

  private storeOf(ref: Ref, scope: Scope, depth: number): { store: Store; inst: string } | undefined {
    this.index();
    if (ref.kind === 'name') return this.nameStore(ref.name, scope, depth);
    if (ref.kind !== 'attr') return undefined;
    const base = this.symbols.symbolOfRef(ref.base, scope);
    if (base?.kind === 'module') return this.globalStore(base.module, ref.attr);
    const owner = this.symbols.classOfExpr(ref.base, scope);
    const store = owner && this.symbols.findInClass(owner.cls, (c) => this.byClass!.get(`${c.key}.${ref.attr}`));
    if (!store) return undefined;
    if (store.fact.owner === 'class') return { store, inst: 'g' };
    return { store, inst: refText(ref.base) };
  }

  private nameStore(name: string, scope: Scope, depth: number): { store: Store; inst: string } | undefined {
    for (let fn = scope.fn; fn; fn = fn.fact.parent ? this.symbols.functionIn(fn.module.file, fn.fact.parent) : undefined) {
      const local = this.byLocal.get(`${fn.module.file}#${fn.fact.id}#${name}`);
      if (local && fn.localTypes.has(name)) return { store: local, inst: name };
      if (fn.locals.has(name) || fn.localTypes.has(name) || fn.fact.params.includes(name)) return undefined;
      const alias = fn.aliases.get(name);
      if (alias) return this.storeOf(alias, { module: fn.module, fn }, depth + 1);
    }
    return this.globalStore(scope.module, name);
  }

  /** A module-level store, following `from mod import NAME`. */
  private globalStore(mod: ModuleInfo, name: string): { store: Store; inst: string } | undefined {
    const own = this.byModule!.get(`${mod.file}#${name}`);
    if (own) return { store: own, inst: 'g' };
    const from = this.symbols.importedSymbol(mod, name);
    const store = from && this.byModule!.get(`${from.module.file}#${from.symbol}`);
    return store ? { store, inst: 'g' } : undefined;
  }

  /** Index the program's stores: the first constructor assignment of each attribute or global. */
  private index(): void {
    if (this.byClass && this.byModule) return;
    this.byClass = new Map();
    this.byModule = new Map();
    for (const module of this.symbols.modules.values()) {
      for (const fact of module.facts.types) {
        if (!fact.range) continue;
        if (fact.owner === 'local') {
          const key = `${module.file}#${fact.functionId}#${fact.name}`;
          if (!this.byLocal.has(key)) this.byLocal.set(key, { fact, module });
          continue;
        }
        if (fact.owner === 'module') {
          const key = `${module.file}#${fact.name}`;
          if (!this.byModule.has(key)) this.byModule.set(key, { fact, module });
          continue;
        }
        const owner = fact.className ? module.classes.get(fact.className) : undefined;
        const key = owner && `${owner.key}.${fact.name}`;
        if (key && !this.byClass.has(key)) this.byClass.set(key, { fact, module, owner });
      }
    }
  }

  /** The lock classes of the wrappers a class's `__init__` (or a base's) stores in its instance's attributes. */
  initStoreLocks(cls: ClassInfo): LockClass[] {
    this.index();
    const out: LockClass[] = [];
    this.symbols.findInClass(cls, (c) => {
      for (const [key, store] of this.byClass!) {
        if (store.owner !== c || store.fact.owner !== 'instance' || !key.startsWith(`${c.key}.`)) continue;
        if (store.fact.functionId !== `${c.qualname}.__init__`) continue;
        const made = this.lockOf(store);
        if (made && !made.shared) out.push(made.lock);
      }
      return undefined;
    });
    return out;
  }

  /** The lock class of a store, if it stores a wrapper. */
  private lockOf(store: Store): StoreLock | undefined {
    const known = this.made.get(store);
    if (known !== undefined) return known ?? undefined;
    this.made.set(store, null);
    const sym = this.symbols.symbolOfRef(store.fact.type, { module: store.module });
    const holder = sym?.kind === 'class' && (store.fact.owner !== 'local' || !!stdlibHolderOf(this.symbols, sym.cls));
    const inner = holder ? this.inner(sym.cls) : undefined;
    let made: StoreLock | undefined;
    if (inner?.param) made = this.handedLock(store, inner.param);
    else if (inner) made = { lock: this.newLockClass(store, inner.lock.lock.kind, inner.reentrant) };
    this.made.set(store, made ?? null);
    if (made && inner && !inner.param) this.noteInner(store, inner.ids);
    return made;
  }

  /** The lock a wrapper built here is handed: made right in the call (a lock of this store), or a known lock. */
  private handedLock(store: Store, param: { index: number; name: string }): StoreLock | undefined {
    const arg = store.fact.args?.[param.index] ?? store.fact.kwargs?.[param.name];
    if (!arg) return undefined;
    if (arg.kind === 'call') {
      const kind = frontEndFor(store.module.file).lockKindOf(dottedName(arg.callee, this.importsOf(store.module)));
      return kind && { lock: this.newLockClass(store, kind, isReentrant(kind)) };
    }
    const fn = store.fact.functionId ? this.symbols.functionIn(store.module.file, store.fact.functionId) : undefined;
    const known = this.symbols.resolveLock(arg, { module: store.module, fn });
    return known && { lock: known.lock, shared: known.inst === 'g' };
  }

  private importsOf(module: ModuleInfo): Map<string, ImportFact> {
    let map = this.imports.get(module);
    if (!map) this.imports.set(module, (map = new Map(module.facts.imports.map((i) => [i.local, i]))));
    return map;
  }

  /** Remember the inner locks of the wrapper a store holds: reached through the store, they are its lock. */
  private noteInner(store: Store, ids: Set<string>): void {
    this.innerOf.set(store, ids);
    for (const id of ids) this.innerIds.add(id);
  }

  private newLockClass(store: Store, kind: LockKind, reentrant: boolean): LockClass {
    const { fact, module, owner } = store;
    const range = fact.range!;
    const lock: LockClass = {
      id: `${module.file}:${range.start.line + 1}:${range.start.character + 1}`,
      name: `${module.name}.${owner ? `${owner.qualname}.` : fact.owner === 'local' ? `${fact.functionId}.` : ''}${fact.name}`,
      shortName: `${owner ? `${owner.qualname.split('.').pop()}.` : ''}${fact.name}`,
      kind,
      reentrant,
      family: fact.owner === 'instance' || fact.owner === 'local',
      created: { file: module.file, range },
    };
    this.symbols.locks.set(lock.id, lock);
    return lock;
  }
}
