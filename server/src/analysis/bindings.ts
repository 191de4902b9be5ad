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
  useful: Usefulness,
): HeldBinding[] {
  const out: HeldBinding[] = [];
  for (const c of calls) {
    // An override followed from the class hierarchy alone (virtualCalls.ts) binds nothing: its locks need the receiver's class.
    if (c.strictSelf) continue;
    // Asked first: most calls pass nothing, or to a function where nothing can come of it.
    if (!passesArguments(c) || !useful(c.callee, FORWARD_DEPTH)) continue;
    const b = bindingOf(c)!;
    (b as HeldBinding).held = c.fact.held.length ? program.holdings(c.caller, c.file, c.fact.held) : [];
    out.push(b as HeldBinding);
  }
  for (const t of threads) {
    if (t.args.length === 0) continue;
    const target = program.symbols.resolveCall(t.target, program.scopeOf(caller));
    if (!target) continue;
    const boundSelf = !!target.fn.fact.className && t.target.kind === 'attr';
    out.push({ caller, callee: target.fn, args: t.args, boundSelf, at: { file: caller.module.file, range: t.range }, held: [] });
  }
  if (out.length === 0) return out;
  for (const f of forwarded(out, calleesOf, useful)) out.push(f);
  return out;
}

/** How many calls deep a binding is carried through functions that pass their parameters on. */
const FORWARD_DEPTH = 3;

/** Whether a binding of a function's parameters can matter, `depth` calls deep at most (see `usefulness`). */
export type Usefulness = (fn: FunctionInfo, depth: number) => boolean;

/**
 * Whether a binding of a function's parameters can matter: the function takes a lock, or one
 * it passes its parameters to does, within `depth` more calls. Bindings that cannot are never
 * made (recursive parsers would otherwise make thousands). Memoized: valid while the calls and
 * acquisitions it was made for do not change (one linking of the program, or of an edit).
 */
export function usefulness(calleesOf: Map<string, ResolvedCall[]>): Usefulness {
  const memo: Map<FunctionInfo, boolean>[] = [];
  const useful = (fn: FunctionInfo, depth: number): boolean => {
    const atDepth = (memo[depth] ??= new Map());
    let v = atDepth.get(fn);
    if (v === undefined) {
      v = blockingAcquires(fn.module.facts.acquires).has(fn.fact.id)
        || (depth > 0 && passingParameters(fn, calleesOf.get(fn.key)).some((c) => useful(c.callee, depth - 1)));
      atDepth.set(fn, v);
    }
    return v;
  };
  return useful;
}

/** Whether a call passes arguments (makes a binding). */
function passesArguments(c: ResolvedCall): boolean {
  return c.fact.args.length > 0 || !!c.fact.kwargs;
}

/** The binding a call makes, if it passes arguments. */
function bindingOf(c: ResolvedCall): Binding | undefined {
  if (!passesArguments(c)) return undefined;
  const boundSelf = !!c.callee.fact.className && c.fact.callee.kind === 'attr';
  return {
    caller: c.caller, callee: c.callee, args: c.fact.args, keywords: c.fact.kwargs, boundSelf,
    at: { file: c.file, range: c.fact.range },
  };
}

/** Bindings carried through functions that pass their parameters on, up to three calls deep. */
function forwarded(
  first: HeldBinding[], calleesOf: Map<string, ResolvedCall[]>, useful: Usefulness,
): HeldBinding[] {
  const out: HeldBinding[] = [];
  let level = first;
  for (let depth = 0; depth < FORWARD_DEPTH && level.length; depth++) {
    const next: HeldBinding[] = [];
    for (const b of level) {
      for (const call of passingParameters(b.callee, calleesOf.get(b.callee.key))) {
        const inner = passesArguments(call) && useful(call.callee, FORWARD_DEPTH - depth - 1) ? bindingOf(call) : undefined;
        const f = inner && forward(b, inner);
        if (f && next.length + out.length < 10000) next.push({ ...f, held: b.held });
      }
    }
    out.push(...next);
    level = next;
  }
  return out;
}

/** Per list of calls (which an edit may append to): its length and function when filtered, and the result. */
const passing = new WeakMap<ResolvedCall[], { length: number; fact: FunctionInfo['fact']; out: ResolvedCall[] }>();

/**
 * The calls of a function that pass one of its own parameters on (`nest(a, b.x)` in
 * `worker(a, b)`): only those can forward a binding.
 */
function passingParameters(fn: FunctionInfo, calls: ResolvedCall[] | undefined): ResolvedCall[] {
  if (!calls) return [];
  const cached = passing.get(calls);
  if (cached && cached.length === calls.length && cached.fact === fn.fact) return cached.out;
  const params = new Set(fn.fact.params);
  const passes = (ref: Ref): boolean => {
    const root = rootName(ref);
    return root !== undefined && params.has(root);
  };
  const out = calls.filter((c) => c.fact.args.some(passes) || Object.values(c.fact.kwargs ?? {}).some(passes));
  passing.set(calls, { length: calls.length, fact: fn.fact, out });
  return out;
}

/** The name a reference starts from: `a` for `a`, `a.b[0].c`. */
function rootName(ref: Ref): string | undefined {
  let r = ref;
  while (r.kind === 'attr' || r.kind === 'index') r = r.base;
  return r.kind === 'name' ? r.name : undefined;
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
  for (const fact of blockingAcquires(b.callee.module.facts.acquires).get(b.callee.fact.id) ?? []) {
    const lock = at(fact.lock);
    const held = fact.held.map((h) => ({ fact: h, ...at(h.lock) }));
    if (!lock.r || (!lock.changed && !held.some((h) => h.changed))) continue;
    if (lock.r.inst.includes(UNKNOWN_INSTANCE)) continue;
    out.push({ fact, lock: lock.r, held: held.filter((h) => h.r).map((h) => ({ lock: h.r!, fact: h.fact })) });
  }
  return out;
}

const byFunction = new WeakMap<AcquireFact[], Map<string, AcquireFact[]>>();

/** A module's blocking acquisitions grouped by function id (a module's facts are replaced, never changed, by an edit). */
function blockingAcquires(acquires: AcquireFact[]): Map<string, AcquireFact[]> {
  let out = byFunction.get(acquires);
  if (!out) {
    out = new Map();
    for (const a of acquires) {
      if (!a.blocking) continue;
      const list = out.get(a.functionId);
      if (list) list.push(a);
      else out.set(a.functionId, [a]);
    }
    byFunction.set(acquires, out);
  }
  return out;
}
