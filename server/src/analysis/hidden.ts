// Locks taken out of sight: by context managers (`__enter__`, `@contextmanager` generators)
// and by decorators that wrap a function's body in `with lock:` (the `synchronized` pattern).

import type { AcquireFact, Ref } from './events';
import type { LockClass, Range } from './types';
import { refText } from './refText';
import { type ClassInfo, type FunctionInfo, type ResolvedLock, type Scope, type Symbols } from './symbols';
import { WrapperStores, type WrapperInner } from './wrapperStores';
import { getattrRef } from './getattrLocks';
import { holderInner, stdlibHolderOf } from './stdlibHolders';

/** Marks an instance built right in the `with` item. */
const FRESH = '<fresh>';

const CONTEXT_MANAGER_DECORATORS = new Set(['contextmanager', 'asynccontextmanager']);

/** Methods that take a lock wrapper's inner lock. */
const LOCKING_METHODS = ['__enter__', '__aenter__', 'acquire'];

/** Finds locks that context managers and decorators take, with memoization per function. */
export class HiddenLocks {
  private own = new Map<string, { fact: AcquireFact; fn: FunctionInfo } | null>();
  private stores: WrapperStores;

  constructor(private symbols: Symbols) {
    this.stores = new WrapperStores(symbols, (cls) => this.wrapperInner(cls));
  }

  /** Make the lock classes of stored lock-wrapper instances (`self.guard = Guard()`). */
  makeWrapperLocks(): void {
    this.stores.makeAll();
  }

  /** A wrapper's inner lock reached through a stored instance is that store's lock class. */
  throughStore(r: ResolvedLock, scope: Scope): ResolvedLock {
    return this.stores.canonical(r, scope);
  }

  /** The lock a `with <ref>:` item takes through a context manager, if any. */
  contextLock(ref: Ref, scope: Scope): ResolvedLock | undefined {
    const r = this.findContextLock(ref, scope);
    return r && { ...r, hidden: true };
  }

  private findContextLock(ref: Ref, scope: Scope): ResolvedLock | undefined {
    if (ref.kind === 'call') {
      const built = this.symbols.classOfExpr(ref, scope);
      if (built) return this.enterLock(built.cls, FRESH, ref, scope);
      const target = this.symbols.resolveCall(ref.callee, scope);
      if (!target || !isContextManager(target.fn)) return undefined;
      const first = this.firstOwn(target.fn);
      return first && this.symbols.resolveLock(first.fact.lock, { module: first.fn.module, fn: first.fn });
    }
    if (ref.kind !== 'name' && ref.kind !== 'attr') return undefined;
    const typed = this.symbols.classOfExpr(ref, scope);
    // A wrapper stored in another module (`guards.AUDIT`, `from guards import AUDIT`) is known by its store.
    return typed ? this.enterLock(typed.cls, refText(ref), ref, scope) : this.stores.lockAt(ref, scope);
  }

  /** `handler.acquire()` on an object whose class's `acquire()` takes a lock (logging's Handler). */
  acquireMethodLock(ref: Ref, scope: Scope): ResolvedLock | undefined {
    if (ref.kind !== 'name' && ref.kind !== 'attr') return undefined;
    const typed = this.symbols.classOfExpr(ref, scope);
    const r = typed ? this.methodLock(typed.cls, ['acquire'], refText(ref), ref, scope) : this.stores.lockAt(ref, scope);
    return r && { ...r, hidden: true };
  }

  /** The lock a class's `__enter__` takes, seen from an instance known as `inst` (`ref` in `scope`). */
  private enterLock(cls: ClassInfo, inst: string, ref: Ref, scope: Scope): ResolvedLock | undefined {
    return this.methodLock(cls, ['__enter__', '__aenter__'], inst, ref, scope);
  }

  /**
   * The first lock one of a class's methods takes, seen from an instance known as `inst`.
   * A lock of the instance's own makes the class a lock wrapper: an instance stored in an
   * attribute or global is the lock class of that store.
   */
  private methodLock(cls: ClassInfo, names: string[], inst: string, ref: Ref, scope: Scope): ResolvedLock | undefined {
    const r = this.ownLockOf(cls, names);
    if (r && !r.own) return r.lock;
    // `with Guard():` builds a new object: a lock of its own is fresh, shared with nobody.
    if (inst === FRESH || (!r && !this.handedIn(cls, names))) return undefined;
    return this.stores.lockAt(ref, scope) ?? (r && { ...r.lock, inst });
  }

  /**
   * Whether a class (or a base) makes this instance lock in its `__init__`: the runtime names
   * such a lock by the wrapper's store, a lock made later (logging's `createLock()`) by itself.
   */
  private madeInInit(cls: ClassInfo, lockId: string): boolean {
    return !!this.symbols.findInClass(cls, (c) => {
      const init = c.methods.get('__init__')?.fact.range;
      for (const def of c.lockAttrs.values()) {
        if (def.target.scope !== 'instance' || this.symbols.lockClassOf(def, c.module)?.id !== lockId) continue;
        return init && within(def.range, init) ? true : undefined;
      }
      return undefined;
    });
  }

  /** `self._lock.acquire()` first in a method, with `self._lock = lock` set from `__init__`'s parameter `lock`. */
  private handedIn(cls: ClassInfo, names: string[]): { index: number; name: string } | undefined {
    const method = this.symbols.findInClass(cls, (c) => names.map((n) => c.methods.get(n)).find((m) => !!m));
    const ref = method && this.firstOwn(method)?.fact.lock;
    if (ref?.kind !== 'attr' || ref.base.kind !== 'name' || ref.base.name !== method?.selfName) return undefined;
    const init = this.symbols.findInClass(cls, (c) => c.methods.get('__init__'));
    const name = init?.fact.paramAttrs?.[ref.attr];
    const index = name && init ? init.fact.params.indexOf(name) - 1 : -1;
    return name && index >= 0 ? { index, name } : undefined;
  }

  /** The first lock a class's method (the first of `names` it has) takes, and whether it is the instance's own. */
  private ownLockOf(cls: ClassInfo, names: string[]): { lock: ResolvedLock; own: boolean } | undefined {
    const method = this.symbols.findInClass(cls, (c) => names.map((n) => c.methods.get(n)).find((m) => !!m));
    const first = method && this.firstOwn(method);
    if (!first) return undefined;
    const r = this.symbols.resolveLock(first.fact.lock, { module: first.fn.module, fn: first.fn });
    return r && { lock: r, own: r.inst === first.fn.selfName };
  }

  /**
   * What makes a class a lock wrapper: the inner lock its `__enter__` or `acquire()` takes
   * first, if it is the instance's own (reentrant only if every own lock they take is), or
   * the `__init__` parameter that hands it that lock.
   */
  private wrapperInner(cls: ClassInfo): WrapperInner | undefined {
    const holder = stdlibHolderOf(this.symbols, cls);
    if (holder) return holderInner(this.symbols, holder, (id) => this.madeInInit(holder, id), () => this.stores.initStoreLocks(holder));
    const first = this.ownLockOf(cls, LOCKING_METHODS.slice(0, 2)) ?? this.ownLockOf(cls, LOCKING_METHODS.slice(2));
    if (!first) {
      const param = this.handedIn(cls, LOCKING_METHODS.slice(0, 2)) ?? this.handedIn(cls, LOCKING_METHODS.slice(2));
      return param && { param };
    }
    if (!first.own || !this.madeInInit(cls, first.lock.lock.id)) return undefined;
    const own = this.ownLocksTaken(cls);
    return { lock: first.lock, reentrant: own.every((l) => l.reentrant), ids: new Set(own.map((l) => l.id)) };
  }

  /** The instance's own locks, made in `__init__`, that the wrapper's locking methods take. */
  private ownLocksTaken(cls: ClassInfo): LockClass[] {
    const out: LockClass[] = [];
    for (const name of LOCKING_METHODS) {
      const method = this.symbols.findInClass(cls, (c) => c.methods.get(name));
      if (!method) continue;
      for (const a of method.module.facts.acquires) {
        if (a.functionId !== method.fact.id || !a.blocking) continue;
        const r = this.symbols.resolveLock(a.lock, { module: method.module, fn: method });
        if (r && r.inst === method.selfName && this.madeInInit(cls, r.lock.id)) out.push(r.lock);
      }
    }
    return out;
  }

  /** The first blocking acquisition a function makes itself. */
  private firstOwn(fn: FunctionInfo): { fact: AcquireFact; fn: FunctionInfo } | undefined {
    const known = this.own.get(fn.key);
    if (known !== undefined) return known ?? undefined;
    const fact = fn.module.facts.acquires.find((a) => a.functionId === fn.fact.id && a.blocking && a.lock.kind !== 'call');
    const found = fact ? { fact, fn } : null;
    this.own.set(fn.key, found);
    return found ?? undefined;
  }

  /** Locks a function's decorators hold around its whole body. */
  decoratorLocks(fn: FunctionInfo): ResolvedLock[] {
    const out: ResolvedLock[] = [];
    for (const d of fn.fact.decorators ?? []) {
      const callee = d.ref.kind === 'call' ? d.ref.callee : d.ref;
      const deco = this.symbols.resolveCall(callee, { module: fn.module });
      if (!deco || isContextManager(deco.fn)) continue;
      const lock = this.wrapperLock(deco.fn, d.args, fn);
      if (lock) out.push(lock);
    }
    return out;
  }

  /** The lock a decorator's inner wrapper takes, with the decorator's parameters bound. */
  private wrapperLock(deco: FunctionInfo, args: Ref[], target: FunctionInfo): ResolvedLock | undefined {
    const prefix = `${deco.fact.id}.`;
    for (const a of deco.module.facts.acquires) {
      if (!a.functionId.startsWith(prefix) || !a.blocking) continue;
      const wrapper = deco.module.byId.get(a.functionId);
      if (!wrapper) continue;
      const named = getattrRef(deco.module, a, (name) => args[deco.fact.params.indexOf(name)]);
      const bound = rebind(named ?? a.lock, (name) => {
        const i = deco.fact.params.indexOf(name);
        if (i >= 0) return args[i];
        if (name === wrapper.fact.params[0] && target.selfName) return { kind: 'name', name: target.selfName };
        return undefined;
      });
      if (!bound) continue;
      const scope: Scope = bound.changed ? { module: target.module, fn: target } : { module: wrapper.module, fn: wrapper };
      const r = this.symbols.resolveLock(bound.ref, scope) ?? this.classAttr(bound.ref, target);
      if (r) return r;
    }
    return undefined;
  }

  /** `@synchronized(_lock)` in a class body names the class attribute `_lock`. */
  private classAttr(ref: Ref, target: FunctionInfo): ResolvedLock | undefined {
    if (ref.kind !== 'name' || !target.cls || !target.selfName) return undefined;
    return this.symbols.resolveLock({ kind: 'attr', base: { kind: 'name', name: target.selfName }, attr: ref.name },
      { module: target.module, fn: target });
  }
}

/**
 * Whether other code's locking depends on this function's body: `__enter__`/`acquire`
 * methods, context-manager generators, and nested functions that take locks (decorator wrappers).
 */
export function isHiddenLockSource(fn: FunctionInfo): boolean {
  if (['__enter__', '__aenter__', 'acquire'].includes(fn.fact.name) || isContextManager(fn)) return true;
  return !!fn.fact.parent && fn.module.facts.acquires.some((a) => a.functionId === fn.fact.id);
}

function isContextManager(fn: FunctionInfo): boolean {
  return (fn.fact.decorators ?? []).some((d) => {
    const r = d.ref.kind === 'call' ? d.ref.callee : d.ref;
    const name = r.kind === 'name' ? r.name : r.kind === 'attr' ? r.attr : '';
    return CONTEXT_MANAGER_DECORATORS.has(name);
  });
}

function within(inner: Range, outer: Range): boolean {
  const before = (a: Range['start'], b: Range['start']) => a.line < b.line || (a.line === b.line && a.character <= b.character);
  return before(outer.start, inner.start) && before(inner.end, outer.end);
}

/** Replace the root name of a reference; `changed` tells whether anything was replaced. */
export function rebind(ref: Ref, lookup: (name: string) => Ref | undefined): { ref: Ref; changed: boolean } | undefined {
  switch (ref.kind) {
    case 'name': {
      const to = lookup(ref.name);
      return { ref: to ?? ref, changed: !!to };
    }
    case 'attr': {
      const base = rebind(ref.base, lookup);
      return base && { ref: { kind: 'attr', base: base.ref, attr: ref.attr }, changed: base.changed };
    }
    case 'index': {
      const base = rebind(ref.base, lookup);
      return base && { ref: { kind: 'index', base: base.ref, index: ref.index }, changed: base.changed };
    }
    default: return undefined;
  }
}
