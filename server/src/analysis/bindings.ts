// Parameters bound at call sites: `worker(a, b)` in one place and `worker(b, a)` in another,
// or `Thread(target=worker, args=(a, b))`. The callee's acquisitions of its parameters are
// re-resolved with the caller's arguments, one call level deep.

import type { AcquireFact, Ref } from './events';
import { rebind } from './hidden';
import { UNKNOWN_INSTANCE, type FunctionInfo, type ResolvedLock, type Scope } from './symbols';
import type { Location } from './types';

/** One call that binds a function's parameters. */
export interface Binding {
  caller: FunctionInfo;
  callee: FunctionInfo;
  args: Ref[];
  /** Keyword arguments by parameter name. */
  keywords?: Record<string, Ref>;
  /** Whether the callee's first parameter is the receiver (`obj.m(...)`, `target=self.m`). */
  boundSelf: boolean;
  at: Location;
}

/** Parameter name → the argument expression the binding passes for it. */
export function parameterLookup(b: Binding): (name: string) => Ref | undefined {
  const params = b.callee.fact.params.slice(b.boundSelf ? 1 : 0);
  return (name) => {
    const i = params.indexOf(name);
    const arg = (i >= 0 ? b.args[i] : undefined) ?? b.keywords?.[name];
    return arg && (arg.kind === 'name' || arg.kind === 'attr' || arg.kind === 'index') ? arg : undefined;
  };
}

/** Carry a binding one call further when the callee passes its own parameters on (`worker` → `nest`). */
export function forward(b: Binding, next: Binding): Binding | undefined {
  const lookup = parameterLookup(b);
  let forwarded = false;
  const through = (ref: Ref): Ref => {
    const r = rebind(ref, lookup);
    if (r?.changed) forwarded = true;
    return r?.changed ? r.ref : { kind: 'other', text: '' };
  };
  const args = next.args.map(through);
  const keywords = next.keywords && Object.fromEntries(Object.entries(next.keywords).map(([k, v]) => [k, through(v)]));
  return forwarded ? { ...next, caller: b.caller, args, keywords, at: b.at } : undefined;
}

/** An acquisition of the callee re-resolved under a binding. */
export interface BoundAcquire {
  fact: AcquireFact;
  lock: ResolvedLock;
  held: { lock: ResolvedLock; fact: AcquireFact['held'][number] }[];
}

/** The callee's acquisitions that involve its parameters, resolved with the caller's arguments. */
export function boundAcquires(
  b: Binding, resolve: (ref: Ref, scope: Scope) => ResolvedLock | undefined,
): BoundAcquire[] {
  const lookup = parameterLookup(b);
  const callerScope: Scope = { module: b.caller.module, fn: b.caller.fact.id === '<module>' ? undefined : b.caller };
  const calleeScope: Scope = { module: b.callee.module, fn: b.callee };
  const at = (ref: Ref) => {
    const bound = rebind(ref, lookup);
    if (!bound) return { r: undefined, changed: false };
    return { r: resolve(bound.ref, bound.changed ? callerScope : calleeScope), changed: bound.changed };
  };
  const out: BoundAcquire[] = [];
  for (const fact of b.callee.module.facts.acquires) {
    if (fact.functionId !== b.callee.fact.id || !fact.blocking) continue;
    const lock = at(fact.lock);
    const held = fact.held.map((h) => ({ fact: h, ...at(h.lock) }));
    if (!lock.r || (!lock.changed && !held.some((h) => h.changed))) continue;
    if (lock.r.inst.includes(UNKNOWN_INSTANCE)) continue;
    out.push({ fact, lock: lock.r, held: held.filter((h) => h.r).map((h) => ({ lock: h.r!, fact: h.fact })) });
  }
  return out;
}
