// The class of an attribute set from a constructor parameter (`self.connection_pool =
// connection_pool`, FN2 of docs/realcode-findings.md): what the parameter holds in `__init__`
// (its annotation, or a local constructor call such as `pool = pool or Pool()`), else the one
// class every place building the class passes for it (`PubSub(self.connection_pool)`).

import type { Ref } from './events';
import { constructorCalls } from './injectedLocks';
import type { ClassInfo, FunctionInfo, Symbols } from './symbols';

/** A class an expression holds an instance of. */
type Typed = { cls: ClassInfo; byName?: boolean };

const known = new WeakMap<Symbols, Map<string, Typed | null>>();

/** The class `self.<attr>` holds when `cls.__init__` sets it from a parameter, if that is known. */
export function injectedType(symbols: Symbols, cls: ClassInfo, attr: string, depth: number): Typed | undefined {
  const init = cls.methods.get('__init__');
  const param = init?.fact.paramAttrs?.[attr];
  if (!init || !param || depth > 4) return undefined;
  let cache = known.get(symbols);
  if (!cache) known.set(symbols, (cache = new Map()));
  const key = `${cls.key}.${attr}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit ?? undefined;
  cache.set(key, null); // while it is worked out: a cycle through it knows nothing
  const found = symbols.classOfExpr({ kind: 'name', name: param }, { module: init.module, fn: init }, depth + 1)
    ?? passedType(symbols, cls, param, depth);
  cache.set(key, found ?? null);
  return found;
}

/** The one class every constructor call of `cls` passes for `param`; none when one passes something else or unknown. */
function passedType(symbols: Symbols, cls: ClassInfo, param: string, depth: number): Typed | undefined {
  const init = cls.methods.get('__init__')!;
  const index = init.fact.params.indexOf(param) - 1;
  let found: Typed | undefined;
  for (const { mod, call } of constructorCalls(symbols, cls)) {
    const caller = symbols.functionIn(mod.file, call.functionId);
    const scope = { module: mod, fn: caller?.fact.id === '<module>' ? undefined : caller };
    if (symbols.resolveCall(call.callee, scope)?.fn !== init) continue;
    const arg: Ref | undefined = call.kwargs?.[param] ?? (index >= 0 ? call.args[index] : undefined);
    const t = arg && symbols.classOfExpr(arg, scope, depth + 1);
    if (!t || (found && found.cls !== t.cls)) return undefined;
    found ??= t;
  }
  return found;
}

/**
 * Whether other classes' attribute types may depend on this function's body: an `__init__`
 * storing parameters, whose local constructor calls type them (an edit of it re-links the program).
 */
export function decidesAttrTypes(fn: FunctionInfo): boolean {
  return fn.fact.name === '__init__' && !!fn.fact.paramAttrs && Object.keys(fn.fact.paramAttrs).length > 0;
}
