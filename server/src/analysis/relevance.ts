// Which calls can matter for locking: a call can only reach a function of the same name, so a
// call is worth resolving only if its callee's name belongs to a function that takes or gives
// back a lock, or settles a stored promise, directly or through calls (a fixpoint over names, a
// cheap superset).

import type { FileFacts, Ref } from './events';

/** The last name of a callee: `f` for `f()`, `m` for `obj.m()`. */
export function calleeName(ref: Ref): string | undefined {
  return ref.kind === 'name' ? ref.name : ref.kind === 'attr' ? ref.attr : undefined;
}

/**
 * Names of functions (and classes, for constructor calls) whose calls must be resolved: the
 * least fixpoint, found with a worklist over "name is called by a function named ...".
 */
export function relevantNames(files: FileFacts[]): Set<string> {
  const relevant = new Set<string>();
  const pending: string[] = [];
  const mark = (name: string) => {
    if (relevant.has(name)) return;
    relevant.add(name);
    pending.push(name);
  };
  // Callee name → names of functions calling it (repeats possible: marking twice is harmless).
  const callersOf = new Map<string, string[]>();
  const initClasses = new Set<string>();
  // A fork runs the at-fork hooks (forkHooks.ts): where some are registered, forking matters.
  const hooks = files.some((f) => f.forkHooks?.length);
  for (const f of files) {
    const names = new Map<string, string>();
    for (const fn of f.functions) names.set(fn.id, fn.name);
    for (const a of f.acquires) markId(names, a.functionId, mark);
    for (const r of f.releases) markId(names, r.functionId, mark);
    for (const fn of f.functions) {
      if (fn.decorators?.length || fn.name === '__del__') mark(fn.name);
      if (fn.className && fn.name === '__init__') initClasses.add(fn.className.split('.').pop()!);
    }
    // Calls come function by function: look the caller up once per run of calls.
    let id: string | undefined;
    let caller: string | undefined;
    for (const c of f.calls) {
      // A function settling a stored promise matters to its callers' locks (LO105: promiseWaits.ts).
      if (c.settles || (hooks && c.forks)) markId(names, c.functionId, mark);
      if (c.functionId !== id) {
        id = c.functionId;
        caller = names.get(id);
      }
      const callee = calleeName(c.callee);
      if (caller === undefined || callee === undefined) continue;
      const callers = callersOf.get(callee);
      if (!callers) callersOf.set(callee, [caller]);
      else if (callers[callers.length - 1] !== caller) callers.push(caller);
    }
  }
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    for (const caller of callersOf.get(name) ?? []) mark(caller);
    // `Foo()` runs `Foo.__init__`: once any `__init__` matters, constructor calls do too.
    if (name === '__init__') initClasses.forEach(mark);
  }
  return relevant;
}

function markId(names: Map<string, string>, functionId: string, mark: (name: string) => void): void {
  const name = names.get(functionId);
  if (name !== undefined) mark(name);
}
