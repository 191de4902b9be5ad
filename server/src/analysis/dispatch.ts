// Calls that may run one of several methods: a front end that knows the types (TS/JS) lists,
// on a call of an interface method or of a method subclasses override, the classes whose
// method of that name the call may run (CallFact.dispatch). Each is one more callee of the
// call, on the same receiver: `this.onFlush()` runs a subclass's `onFlush` on `this`.

import type { CallFact } from './events';
import type { ResolvedCall, Taken } from './model';
import { refText } from './refText';
import type { ClassInfo, FunctionInfo, Scope, Symbols } from './symbols';

/** A callee a call may dispatch to, and the class it was picked for. */
export interface Dispatched {
  fn: FunctionInfo;
  receiver: string;
  cls: ClassInfo;
}

/** The methods a call may dispatch to, each with how the caller's receiver maps into it. */
export function dispatchedCallees(symbols: Symbols, call: CallFact, scope: Scope): Dispatched[] {
  const callee = call.callee;
  if (!call.dispatch?.length || callee.kind !== 'attr') return [];
  const self = scope.fn?.selfName;
  const receiver = callee.base.kind === 'name' && self !== undefined && callee.base.name === self ? self : refText(callee.base);
  const out: Dispatched[] = [];
  for (const ref of call.dispatch) {
    const sym = symbols.symbolOfRef(ref, scope);
    const fn = sym?.kind === 'class' ? symbols.findInClass(sym.cls, (c) => c.methods.get(callee.attr)) : undefined;
    if (fn && sym?.kind === 'class' && !out.some((o) => o.fn === fn)) out.push({ fn, receiver, cls: sym.cls });
  }
  return out;
}

/**
 * A call's callees as resolved otherwise, with the dispatched ones. When the front end listed
 * them (even none), they replace a guess by the method's name alone.
 */
export function withDispatched<T extends { fn: FunctionInfo; receiver: string; byName?: boolean }>(resolved: T[], call: CallFact, dispatched: Dispatched[]): { fn: FunctionInfo; receiver: string; byName?: boolean; cls?: ClassInfo }[] {
  if (call.dispatch === undefined) return resolved;
  const out: { fn: FunctionInfo; receiver: string; byName?: boolean; cls?: ClassInfo }[] = resolved.filter((r) => !r.byName);
  for (const d of dispatched) if (!out.some((o) => o.fn === d.fn)) out.push(d);
  return out;
}

/**
 * What a lock taken by a callee asks of the caller's `this`, read through a call: a method
 * dispatched to class D runs on a D; a call on `this` passes that on to the caller, whose own
 * `this` is an instance of its class K. Null when no object can be both (a base-class method
 * reached from subclass A does not run subclass B's override); undefined when nothing is asked.
 * The lock is taken when `this` is any one of the classes returned.
 */
export function selfClassThrough(symbols: Symbols, t: Taken, call: ResolvedCall): ClassInfo[] | undefined | null {
  const asked: (ClassInfo | undefined)[] = t.selfClasses ?? [undefined];
  const out: ClassInfo[] = [];
  for (const need of asked) {
    const one = throughOne(symbols, need, call, !!t.strictSelf);
    if (one === undefined) return undefined;
    if (one && !out.includes(one)) out.push(one);
  }
  return out.length ? out : null;
}

/** `selfClassThrough` for one class asked (or none). */
function throughOne(symbols: Symbols, asked: ClassInfo | undefined, call: ResolvedCall, strict: boolean): ClassInfo | undefined | null {
  let need = asked;
  if (call.dispatchedTo) {
    if (need && !related(symbols, need, call.dispatchedTo)) return null;
    if (!need || isA(symbols, call.dispatchedTo, need)) need = call.dispatchedTo;
    strict ||= !!call.strictSelf;
  }
  // `C()`: the object is a C, so it runs the overrides C has.
  if (need && call.exactSelf) return call.exactSelf.some((c) => isA(symbols, c, need)) ? undefined : null;
  const self = call.caller.selfName;
  // About another object: not followed, unless the override was found from the class hierarchy alone.
  if (!need || self === undefined || call.receiver !== self) return need && strict ? null : undefined;
  const own = call.caller.cls;
  if (!own || isA(symbols, own, need)) return undefined;
  return isA(symbols, need, own) ? need : null;
}

/** Whether class `a` is `b` or inherits from it. */
function isA(symbols: Symbols, a: ClassInfo, b: ClassInfo): boolean {
  return a === b || !!symbols.findInClass(a, (c) => (c === b ? true : undefined));
}

function related(symbols: Symbols, a: ClassInfo, b: ClassInfo): boolean {
  return isA(symbols, a, b) || isA(symbols, b, a);
}
