// Calls that may run one of several methods: a front end that knows the types (TS/JS) lists,
// on a call of an interface method or of a method subclasses override, the classes whose
// method of that name the call may run (CallFact.dispatch). Each is one more callee of the
// call, on the same receiver: `this.onFlush()` runs a subclass's `onFlush` on `this`.

import type { CallFact } from './events';
import { refText } from './refText';
import type { FunctionInfo, Scope, Symbols } from './symbols';

/** The methods a call may dispatch to, each with how the caller's receiver maps into it. */
export function dispatchedCallees(symbols: Symbols, call: CallFact, scope: Scope): { fn: FunctionInfo; receiver: string }[] {
  const callee = call.callee;
  if (!call.dispatch?.length || callee.kind !== 'attr') return [];
  const self = scope.fn?.selfName;
  const receiver = callee.base.kind === 'name' && self !== undefined && callee.base.name === self ? self : refText(callee.base);
  const out: { fn: FunctionInfo; receiver: string }[] = [];
  for (const ref of call.dispatch) {
    const sym = symbols.symbolOfRef(ref, scope);
    const fn = sym?.kind === 'class' ? symbols.findInClass(sym.cls, (c) => c.methods.get(callee.attr)) : undefined;
    if (fn && !out.some((o) => o.fn === fn)) out.push({ fn, receiver });
  }
  return out;
}

/**
 * A call's callees as resolved otherwise, with the dispatched ones. When the front end listed
 * them (even none), they replace a guess by the method's name alone.
 */
export function withDispatched<T extends { fn: FunctionInfo; receiver: string; byName?: boolean }>(resolved: T[], call: CallFact, dispatched: { fn: FunctionInfo; receiver: string }[]): { fn: FunctionInfo; receiver: string; byName?: boolean }[] {
  if (call.dispatch === undefined) return resolved;
  const out: { fn: FunctionInfo; receiver: string; byName?: boolean }[] = resolved.filter((r) => !r.byName);
  for (const d of dispatched) if (!out.some((o) => o.fn === d.fn)) out.push(d);
  return out;
}
