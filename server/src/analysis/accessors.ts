// Lock accessors: a function, method, classmethod, staticmethod or property whose `return`
// gives a lock (`return self._lock`, `return cls._lock`, `return _lock`) is that lock where it
// is called: `with self._get_lock():`, `lk = get_lock()`, `with self.lock:` for a property.

import type { FileFacts, FunctionFact, Ref } from './events';
import { RETURN_ALIAS } from './events';
import { refText } from './refText';
import { mapInstance } from './summaries';
import { UNKNOWN_INSTANCE, type FunctionInfo, type ResolvedLock, type Scope, type Symbols } from './symbols';

const PROPERTY_DECORATORS = new Set(['property', 'cached_property']);

/** Per file, the references each function returns. */
const returnsOf = new WeakMap<FileFacts, Map<string, Ref[]>>();
/** Per linked program, per function (its facts, replaced on an edit), the lock it returns, or null. */
const knownIn = new WeakMap<Symbols, WeakMap<FunctionFact, ResolvedLock | null>>();

/** The lock a call `callee()` gives, when the function called returns one. */
export function accessorCallLock(symbols: Symbols, callee: Ref, scope: Scope, depth: number): ResolvedLock | undefined {
  const target = symbols.resolveCall(callee, scope);
  const r = target && returnedLock(symbols, target.fn, depth);
  if (!target || !r) return undefined;
  const inst = mapInstance(r.inst, target.receiver, target.fn.selfName);
  return { ...r, inst, byName: r.byName || target.byName };
}

/** The lock `base.attr` gives when `attr` is a property of `base`'s class returning one. */
export function propertyLock(symbols: Symbols, base: Ref, attr: string, scope: Scope, depth: number): ResolvedLock | undefined {
  const owner = symbols.classOfExpr(base, scope, depth + 1);
  const method = owner && symbols.findInClass(owner.cls, (c) => c.methods.get(attr));
  if (!owner || !method || !isProperty(method)) return undefined;
  const r = returnedLock(symbols, method, depth);
  if (!r) return undefined;
  const receiver = base.kind === 'name' && base.name === scope.fn?.selfName ? base.name : refText(base);
  return { ...r, inst: mapInstance(r.inst, receiver, method.selfName), byName: r.byName || owner.byName };
}

/**
 * The lock a function returns: every returned reference that is a lock is the same one (a
 * fresh local lock made by a factory is no shared lock, so it does not count).
 */
export function returnedLock(symbols: Symbols, fn: FunctionInfo, depth: number): ResolvedLock | undefined {
  let known = knownIn.get(symbols);
  if (!known) knownIn.set(symbols, (known = new WeakMap()));
  const cached = known.get(fn.fact);
  if (cached !== undefined) return cached ?? undefined;
  known.set(fn.fact, null);
  let found: ResolvedLock | undefined;
  let agree = true;
  for (const ref of returnedRefs(fn)) {
    const r = symbols.resolveLock(ref, { module: fn.module, fn }, depth + 1);
    if (!r) continue;
    if (found && (found.lock.id !== r.lock.id || found.inst !== r.inst)) agree = false;
    found ??= r;
  }
  let lock = agree && found && found.inst !== 'l' ? found : undefined;
  // `return self._locks[key]`: which lock depends on the argument, so the instance is unknown.
  if (lock?.inst.includes('[')) lock = { ...lock, inst: UNKNOWN_INSTANCE };
  known.set(fn.fact, lock ?? null);
  return lock;
}

function returnedRefs(fn: FunctionInfo): Ref[] {
  const facts = fn.module.facts;
  let byFn = returnsOf.get(facts);
  if (!byFn) {
    byFn = new Map();
    for (const a of facts.aliases) {
      if (a.name !== RETURN_ALIAS) continue;
      const list = byFn.get(a.functionId);
      if (list) list.push(a.value);
      else byFn.set(a.functionId, [a.value]);
    }
    returnsOf.set(facts, byFn);
  }
  return byFn.get(fn.fact.id) ?? [];
}

function isProperty(fn: FunctionInfo): boolean {
  return (fn.fact.decorators ?? []).some((d) => {
    const r = d.ref.kind === 'call' ? d.ref.callee : d.ref;
    return PROPERTY_DECORATORS.has(r.kind === 'name' ? r.name : r.kind === 'attr' ? r.attr : '');
  });
}
