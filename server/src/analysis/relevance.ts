// Which calls can matter for locking: a call can only reach a function of the same name, so a
// call is worth resolving only if its callee's name belongs to a function that takes or gives
// back a lock, directly or through calls (a fixpoint over names, a cheap superset).

import type { FileFacts, Ref } from './events';

/** The last name of a callee: `f` for `f()`, `m` for `obj.m()`. */
export function calleeName(ref: Ref): string | undefined {
  return ref.kind === 'name' ? ref.name : ref.kind === 'attr' ? ref.attr : undefined;
}

/** Names of functions (and classes, for constructor calls) whose calls must be resolved. */
export function relevantNames(files: FileFacts[]): Set<string> {
  const relevant = new Set<string>();
  const callsBy = new Map<string, { name: string; callees: Set<string> }>();
  const classOf = new Map<string, string>();
  for (const f of files) {
    const names = new Map(f.functions.map((fn) => [fn.id, fn]));
    const mark = (functionId: string) => {
      const fn = names.get(functionId);
      if (fn) relevant.add(fn.name);
    };
    for (const a of f.acquires) mark(a.functionId);
    for (const r of f.releases) mark(r.functionId);
    for (const fn of f.functions) {
      if (fn.decorators?.length || fn.name === '__del__') relevant.add(fn.name);
      if (fn.className && fn.name === '__init__') classOf.set(`${f.path}#${fn.id}`, fn.className.split('.').pop()!);
    }
    for (const c of f.calls) {
      const fn = names.get(c.functionId);
      const name = calleeName(c.callee);
      if (!fn || !name) continue;
      const key = `${f.path}#${fn.id}`;
      const entry = callsBy.get(key) ?? { name: fn.name, callees: new Set<string>() };
      entry.callees.add(name);
      callsBy.set(key, entry);
    }
  }
  let changed = true;
  while (changed) {
    changed = false;
    // `Foo()` runs `Foo.__init__`: once any `__init__` matters, constructor calls do too.
    if (relevant.has('__init__')) {
      for (const cls of classOf.values()) {
        if (!relevant.has(cls)) {
          relevant.add(cls);
          changed = true;
        }
      }
    }
    for (const { name, callees } of callsBy.values()) {
      if (relevant.has(name)) continue;
      for (const c of callees) {
        if (relevant.has(c)) {
          relevant.add(name);
          changed = true;
          break;
        }
      }
    }
  }
  return relevant;
}
