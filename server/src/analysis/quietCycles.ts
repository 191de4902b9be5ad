// Cycles of the lock-order graph that cannot deadlock for reasons outside the functions that
// nest the locks: a gate lock held by every caller up the call chain, or the cycle's edges
// running in different processes (a child started by `multiprocessing.Process` has its own
// copy of every `threading` lock), or `Promise.all` batches of acquisitions that alone cannot
// deadlock.

import type { Cycle } from './orderGraph';
import type { OrderEdge, Program } from './program';
import type { FunctionInfo } from './symbols';

/**
 * Every edge of the cycle comes from `Promise.all` batches of acquisitions only: each batch is
 * queued in one synchronous step, first come first served, so batches alone cannot deadlock.
 */
function onlyBatches(witnesses: OrderEdge[][]): boolean {
  return witnesses.every((list) => list.every((w) => w.from.batch));
}

/** Answers, for one program state, whether a cycle is made harmless by its callers or processes. */
export class QuietCycles {
  private gates = new Map<string, Set<string>>();
  private roots?: { threads: Set<string>; children: Set<string> };

  constructor(private readonly program: Program) {}

  /** Whether the cycle cannot deadlock: gated up the call chain, or split across processes. */
  isQuiet(cycle: Cycle): boolean {
    const witnesses = cycle.edges.map((e) => this.program.graph.witnesses(e.from.lock.id, e.to.lock.id));
    return this.gatedByCallers(cycle, witnesses) || this.splitAcrossProcesses(witnesses) || onlyBatches(witnesses);
  }

  /** One lock, outside the cycle, held around every witness, in its function or by all its callers. */
  private gatedByCallers(cycle: Cycle, witnesses: OrderEdge[][]): boolean {
    const inCycle = new Set(cycle.edges.map((e) => e.from.lock.id));
    let common: Set<string> | undefined;
    for (const list of witnesses) {
      for (const w of list) {
        const gates = new Set([...w.alsoHeld, ...this.callerGates(w.fn)].filter((g) => !inCycle.has(g)));
        common = common ? new Set([...common].filter((g) => gates.has(g))) : gates;
        if (common.size === 0) return false;
      }
    }
    return !!common && common.size > 0;
  }

  /** Locks every call path into a function holds (none for thread targets and uncalled functions). */
  private callerGates(fn: FunctionInfo): Set<string> {
    const known = this.gates.get(fn.key);
    if (known) return known;
    const none = new Set<string>();
    this.gates.set(fn.key, none); // recursion: assume nothing while this one is computed
    const callers = this.program.callersOf(fn.key);
    if (callers.length === 0 || this.entries().threads.has(fn.key)) return none;
    let common: Set<string> | undefined;
    for (const c of callers) {
      const held = this.program.heldAt(c.caller, c.file, c.fact.held, c.fact.range.start).map((h) => h.lock.id);
      const here = new Set([...held, ...this.callerGates(c.caller)]);
      common = common ? new Set([...common].filter((g) => here.has(g))) : here;
      if (common.size === 0) break;
    }
    const out = common ?? none;
    this.gates.set(fn.key, out);
    return out;
  }

  /** Some edge runs only in child processes, and another never does: no one process has both. */
  private splitAcrossProcesses(witnesses: OrderEdge[][]): boolean {
    if (this.entries().children.size === 0) return false;
    const { children, parent } = this.reach();
    const childOnly = witnesses.some((list) => list.every((w) => children.has(w.fn.key) && !parent.has(w.fn.key)));
    const parentOnly = witnesses.some((list) => list.every((w) => !children.has(w.fn.key)));
    return childOnly && parentOnly;
  }

  /** Thread and task targets, and child-process targets, by function key. */
  private entries(): { threads: Set<string>; children: Set<string> } {
    if (!this.roots) {
      const threads = new Set<string>();
      const children = new Set<string>();
      const symbols = this.program.symbols;
      for (const mod of symbols.modules.values()) {
        for (const t of mod.facts.threads) {
          const caller = symbols.enclosingFunction(mod.file, t.range.start.line);
          const target = symbols.resolveCall(t.target, { module: mod, fn: caller });
          if (target) (t.process ? children : threads).add(target.fn.key);
        }
        for (const cls of mod.classes.values()) {
          const run = cls.methods.get('run');
          if (run && cls.baseNames.includes('Process')) children.add(run.key);
        }
      }
      this.roots = { threads, children };
    }
    return this.roots;
  }

  private reached?: { children: Set<string>; parent: Set<string> };

  /** Functions a child process may run, and functions this process may run (from every other root). */
  private reach(): { children: Set<string>; parent: Set<string> } {
    if (!this.reached) {
      const { children } = this.entries();
      const fromChildren = this.closure([...children]);
      const roots = [...this.program.symbols.functions.values()]
        .filter((fn) => this.entries().threads.has(fn.key) || (!children.has(fn.key) && this.program.callersOf(fn.key).length === 0))
        .map((fn) => fn.key);
      this.reached = { children: fromChildren, parent: this.closure(roots) };
    }
    return this.reached;
  }

  private closure(keys: string[]): Set<string> {
    const seen = new Set<string>();
    const stack = [...keys];
    while (stack.length) {
      const k = stack.pop()!;
      if (seen.has(k)) continue;
      seen.add(k);
      for (const c of this.program.calleesOf(k)) stack.push(c.callee.key);
    }
    return seen;
  }
}
