// Finds thread entry points (`Thread(target=...)`, `Thread` subclasses' `run`, `submit`,
// `Timer`) and labels every function they reach with the threads' names.

import type { ResolvedCall } from './program';
import type { FunctionInfo, Symbols } from './symbols';

const THREAD_BASES = new Set(['Thread', 'Process']);
const MAX_LABELS = 3;

/** A thread entry point: the function it runs, its label, and whether a test starts it. */
interface Root {
  fn: FunctionInfo;
  name: string;
  test: boolean;
}

/**
 * Function key → names of the threads that may run it. The same for any order the files were
 * added in (the CLI and the editor add them differently): threads are taken in name order. A
 * thread started by a test labels only test code: a library function is not "run by thread
 * `test_foo`" nor by a test's `Thread(target=event.wait)`. `callees`: each function's resolved calls, by its key.
 */
export function threadLabels(symbols: Symbols, callees: ReadonlyMap<string, ResolvedCall[]>): Map<string, string[]> {
  const roots = threadRoots(symbols).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.fn.key < b.fn.key ? -1 : 1));
  const labels = new Map<string, string[]>();
  for (const root of roots) {
    const stack = [root.fn];
    const seen = new Set<string>();
    while (stack.length) {
      const fn = stack.pop()!;
      if (seen.has(fn.key)) continue;
      seen.add(fn.key);
      if (!root.test || isTestFile(fn.module.file)) {
        const list = labels.get(fn.key) ?? [];
        if (list.length < MAX_LABELS && !list.includes(root.name)) list.push(root.name);
        labels.set(fn.key, list);
      }
      for (const c of callees.get(fn.key) ?? []) stack.push(c.callee);
    }
  }
  return labels;
}

function threadRoots(symbols: Symbols): Root[] {
  const roots: Root[] = [];
  for (const mod of symbols.modules.values()) {
    const test = isTestFile(mod.file);
    for (const t of mod.facts.threads) {
      const caller = symbols.enclosingFunction(mod.file, t.range.start.line);
      const target = symbols.resolveCall(t.target, { module: mod, fn: caller });
      if (target) roots.push({ fn: target.fn, name: t.threadName ?? target.fn.fact.qualname, test });
    }
    for (const cls of mod.classes.values()) {
      const run = cls.methods.get('run');
      if (run && isThreadClass(symbols, cls)) roots.push({ fn: run, name: run.fact.qualname, test });
    }
  }
  return roots;
}

/** A test module: `test_*.py`, `*_test.py`, `conftest.py`, or a file right in a `test`/`tests` folder. */
export function isTestFile(file: string): boolean {
  const parts = file.split(/[\\/]/);
  const base = parts[parts.length - 1];
  const folder = parts[parts.length - 2];
  return /^test_.*\.py$|_test\.py$|^conftest\.py$/.test(base) || folder === 'test' || folder === 'tests';
}

/** Whether a class derives from `Thread` or `Process`, directly or through analysed bases. */
export function isThreadClass(symbols: Symbols, cls: Parameters<Symbols["basesOf"]>[0],
  seen = new Set<unknown>()): boolean {
  if (seen.has(cls)) return false; // a cycle of bases (a wrongly resolved import) ends here
  seen.add(cls);
  if (cls.baseNames.some((b) => THREAD_BASES.has(b))) return true;
  return symbols.basesOf(cls).some((b) => isThreadClass(symbols, b, seen));
}
