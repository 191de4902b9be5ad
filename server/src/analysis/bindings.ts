// Parameters bound at call sites: `worker(a, b)` in one place and `worker(b, a)` in another,
// or `Thread(target=worker, args=(a, b))`. The callee's acquisitions of its parameters are
// re-resolved with the caller's arguments, one call level deep.

import type { AcquireFact, Ref, ThreadStartFact } from './events';
import { rebind } from './hidden';
import type { Holding, ResolvedCall } from './model';
import type { Program } from './program';
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

/** A binding, with the locks the caller holds at the call. */
export type HeldBinding = Binding & { held: Holding[] };

/** Calls and thread starts of one function that pass arguments to a function, followed through forwarding calls. */
export function bindingsOf(
  program: Program, calls: ResolvedCall[], caller: FunctionInfo, threads: ThreadStartFact[], calleesOf: Map<string, ResolvedCall[]>,
): HeldBinding[] {
  const out: HeldBinding[] = [];
  for (const c of calls) {
    const b = bindingOf(c);
    if (b) out.push({ ...b, held: c.fact.held.length ? program.holdings(c.caller, c.file, c.fact.held) : [] });
  }
  for (const t of threads) {
    if (t.args.length === 0) continue;
    const target = program.symbols.resolveCall(t.target, program.scopeOf(caller));
    if (!target) continue;
    const boundSelf = !!target.fn.fact.className && t.target.kind === 'attr';
    out.push({ caller, callee: target.fn, args: t.args, boundSelf, at: { file: caller.module.file, range: t.range }, held: [] });
  }
  return [...out, ...forwarded(out, calleesOf)];
}

/** The binding a call makes, if it passes arguments. */
function bindingOf(c: ResolvedCall): Binding | undefined {
  if (c.fact.args.length === 0 && !c.fact.kwargs) return undefined;
  const boundSelf = !!c.callee.fact.className && c.fact.callee.kind === 'attr';
  return {
    caller: c.caller, callee: c.callee, args: c.fact.args, keywords: c.fact.kwargs, boundSelf,
    at: { file: c.file, range: c.fact.range },
  };
}

/** Bindings carried through functions that pass their parameters on, up to three calls deep. */
function forwarded(first: HeldBinding[], calleesOf: Map<string, ResolvedCall[]>): HeldBinding[] {
  const out: HeldBinding[] = [];
  let level = first;
  for (let depth = 0; depth < 3 && level.length; depth++) {
    const next: HeldBinding[] = [];
    for (const b of level) {
      for (const call of calleesOf.get(b.callee.key) ?? []) {
        const inner = bindingOf(call);
        const f = inner && forward(b, inner);
        if (f && next.length + out.length < 10000) next.push({ ...f, held: b.held });
      }
    }
    out.push(...next);
    level = next;
  }
  return out;
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
