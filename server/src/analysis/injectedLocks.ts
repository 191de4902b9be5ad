// One lock handed to several components: `self._lock = lock` in `__init__`, where every place
// that builds the class passes the same known lock (`NodesManager(..., lock=self._lock)`), makes
// `self._lock` that lock in the component's methods. When the places disagree, or one passes
// nothing, the attribute stays unknown.

import type { CallFact } from './events';
import { calleeName } from './relevance';
import { UNKNOWN_INSTANCE, type ClassInfo, type FunctionInfo, type ModuleInfo, type ResolvedLock, type Symbols } from './symbols';

/** Per linked program: calls by callee name (built once), and each class attribute's injected lock. */
interface State {
  calls: Map<string, { mod: ModuleInfo; call: CallFact }[]>;
  known: Map<string, ResolvedLock | null>;
}

const states = new WeakMap<Symbols, State>();

/** The lock every constructor call of `cls` hands to `__init__` for `self.<attr>`, if they agree. */
export function injectedLock(symbols: Symbols, cls: ClassInfo, attr: string, depth: number): ResolvedLock | undefined {
  const init = symbols.findInClass(cls, (c) => c.methods.get('__init__'));
  const param = init?.fact.paramAttrs?.[attr];
  if (!init || !param || depth > 4) return undefined;
  const state = stateOf(symbols);
  const key = `${cls.key}.${attr}`;
  const known = state.known.get(key);
  if (known !== undefined) return known ?? undefined;
  state.known.set(key, null);
  const index = init.fact.params.indexOf(param) - 1;
  let found: ResolvedLock | undefined;
  let sites = 0;
  for (const { mod, call } of constructorCalls(symbols, cls)) {
    const caller = symbols.functionIn(mod.file, call.functionId);
    const scope = { module: mod, fn: caller?.fact.id === '<module>' ? undefined : caller };
    if (symbols.resolveCall(call.callee, scope)?.fn !== init) continue;
    sites++;
    const arg = call.kwargs?.[param] ?? (index >= 0 ? call.args[index] : undefined);
    const r = arg && symbols.resolveLock(arg, scope, depth + 1);
    if (!r || (found && found.lock.id !== r.lock.id)) return undefined;
    found ??= r;
  }
  const lock = found && sites > 0 ? { ...found, inst: found.inst === 'g' ? 'g' : UNKNOWN_INSTANCE } : undefined;
  state.known.set(key, lock ?? null);
  return lock;
}

/** The calls (in every module) whose callee's last name is the class's name: candidate constructor calls. */
export function constructorCalls(symbols: Symbols, cls: ClassInfo): { mod: ModuleInfo; call: CallFact }[] {
  return stateOf(symbols).calls.get(cls.qualname.split('.').pop()!) ?? [];
}

/** Whether a name starts with `A`-`Z` or `_` (a class's name may). */
function startsCapitalized(name: string): boolean {
  const c = name.charCodeAt(0);
  return (c >= 65 && c <= 90) || c === 95;
}

function stateOf(symbols: Symbols): State {
  let state = states.get(symbols);
  if (!state) {
    const calls = new Map<string, { mod: ModuleInfo; call: CallFact }[]>();
    for (const mod of symbols.modules.values()) {
      for (const call of mod.facts.calls) {
        const name = calleeName(call.callee);
        if (!name || !startsCapitalized(name)) continue;
        const list = calls.get(name);
        if (list) list.push({ mod, call });
        else calls.set(name, [{ mod, call }]);
      }
    }
    states.set(symbols, (state = { calls, known: new Map() }));
  }
  return state;
}

/** Short names of classes whose `__init__` stores a parameter in an attribute, per linked program. */
const injecting = new WeakMap<Symbols, Set<string>>();

/**
 * Whether a function builds a class whose `__init__` stores a parameter (`Nodes(lock=...)`):
 * what it passes may decide another class's locks, so an edit of it re-links the program.
 */
export function buildsInjected(symbols: Symbols, fn: FunctionInfo): boolean {
  let names = injecting.get(symbols);
  if (!names) {
    names = new Set();
    for (const mod of symbols.modules.values()) {
      for (const cls of mod.classes.values()) {
        const params = cls.methods.get('__init__')?.fact.paramAttrs;
        if (params && Object.keys(params).length) names.add(cls.qualname.split('.').pop()!);
      }
    }
    injecting.set(symbols, names);
  }
  if (names.size === 0) return false;
  return fn.module.facts.calls.some((c) => c.functionId === fn.fact.id && names!.has(calleeName(c.callee) ?? ''));
}
