// Finds thread entry points (`Thread(target=...)`, `Thread` subclasses' `run`, `submit`,
// `Timer`) and labels every function they reach with the threads' names.

import type { ResolvedCall } from './program';
import type { FunctionInfo, Symbols } from './symbols';

const THREAD_BASES = new Set(['Thread', 'Process']);
const MAX_LABELS = 3;

/** Function key → names of the threads that may run it. */
export function threadLabels(symbols: Symbols, calls: ResolvedCall[]): Map<string, string[]> {
  const roots: { fn: FunctionInfo; name: string }[] = [];
  for (const mod of symbols.modules.values()) {
    for (const t of mod.facts.threads) {
      const caller = symbols.enclosingFunction(mod.file, t.range.start.line);
      const target = symbols.resolveCall(t.target, { module: mod, fn: caller });
      if (target) roots.push({ fn: target.fn, name: t.threadName ?? target.fn.fact.qualname });
    }
    for (const cls of mod.classes.values()) {
      const run = cls.methods.get('run');
      if (run && isThreadClass(symbols, cls)) roots.push({ fn: run, name: run.fact.qualname });
    }
  }
  const callees = new Map<string, FunctionInfo[]>();
  for (const c of calls) {
    const list = callees.get(c.caller.key) ?? [];
    list.push(c.callee);
    callees.set(c.caller.key, list);
  }
  const labels = new Map<string, string[]>();
  for (const root of roots) {
    const stack = [root.fn];
    const seen = new Set<string>();
    while (stack.length) {
      const fn = stack.pop()!;
      if (seen.has(fn.key)) continue;
      seen.add(fn.key);
      const list = labels.get(fn.key) ?? [];
      if (list.length < MAX_LABELS && !list.includes(root.name)) list.push(root.name);
      labels.set(fn.key, list);
      stack.push(...(callees.get(fn.key) ?? []));
    }
  }
  return labels;
}

/** Whether a class derives from `Thread` or `Process`, directly or through analysed bases. */
export function isThreadClass(symbols: Symbols, cls: Parameters<Symbols["basesOf"]>[0]): boolean {
  if (cls.baseNames.some((b) => THREAD_BASES.has(b))) return true;
  return symbols.basesOf(cls).some((b) => isThreadClass(symbols, b));
}
