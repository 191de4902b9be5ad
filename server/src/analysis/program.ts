// The linked program: resolves every file's lock events, computes per-function summaries
// of the locks each function may take (transitively, with the call chain), and derives the
// lock-order edges and re-acquisitions that rules consume.

import type { AcquireFact, AcquireVia, FileFacts } from './events';
import { Symbols, UNKNOWN_INSTANCE, type FunctionInfo, type ResolvedLock, type Scope } from './symbols';
import { threadLabels } from './threads';
import { OrderGraph } from './orderGraph';
import type { ExplicitAcquire, Holding, OrderEdge, Reacquire, ResolvedCall, Taken } from './model';
import { HiddenLocks } from './hidden';
import { Ownership } from './ownership';
import { calleeName, relevantNames } from './relevance';
import type { DeclaredOrder } from './orderFile';
import { boundAcquires, bindingsOf, type HeldBinding } from './bindings';
import type { LockClass, Location, Position } from './types';

export type { ExplicitAcquire, Holding, OrderEdge, Reacquire, ResolvedCall, Taken } from './model';

const SUMMARY_LIMIT = 64;

/** The whole program, linked. */
export class Program {
  readonly symbols: Symbols;
  readonly edges: OrderEdge[] = [];
  readonly reacquires: Reacquire[] = [];
  readonly explicitAcquires: ExplicitAcquire[] = [];
  readonly graph: OrderGraph;
  /** The declared lock hierarchy of the current analysis, if any (set per run by the project). */
  declared?: DeclaredOrder;

  /** Who takes and gives back which lock: signal locks and hand-off helpers. */
  readonly ownership: Ownership;
  private summaries = new Map<string, Map<string, Taken>>();
  private hidden: HiddenLocks;
  private implicit = new Map<string, Holding[]>();
  private labels: Map<string, string[]>;

  /** `textOf` gives a file's source text, for fixes that move code. */
  constructor(files: FileFacts[], readonly textOf: (file: string) => string = () => '') {
    this.symbols = new Symbols(files);
    // Every lock created anywhere is known, used or not (hover, completion, order-file checks).
    for (const mod of this.symbols.modules.values()) for (const d of mod.facts.lockDefs) this.symbols.lockClassOf(d, mod);
    this.hidden = new HiddenLocks(this.symbols);
    this.ownership = new Ownership(this);
    const calls = this.resolveCalls();
    this.calls = calls;
    this.summarise(calls);
    this.labels = threadLabels(this.symbols, calls);
    this.deriveEdges(calls);
    this.graph = new OrderGraph(this.edges);
  }

  /** The locks a function may take, directly or through calls. */
  takenBy(fnKey: string): Taken[] {
    return [...(this.summaries.get(fnKey)?.values() ?? [])];
  }

  private orderedOnly?: OrderGraph;

  /** The graph of edges where both locks are taken by nested `lockorder.acquire()` groups. */
  get orderedGraph(): OrderGraph {
    this.orderedOnly ??= new OrderGraph(this.edges.filter((e) => e.from.via === 'ordered' && e.to.via === 'ordered'));
    return this.orderedOnly;
  }

  /** The resolved calls of the program (for rules about waits and callbacks). */
  readonly calls: ResolvedCall[];

  /** The function a fact of `file` belongs to. */
  functionOf(file: string, functionId: string): FunctionInfo | undefined {
    return this.fnOf(file, functionId);
  }

  /** Resolve the locks held at a call or acquisition at `pos`: decorators, hand-off helpers, and its own. */
  heldAt(fn: FunctionInfo, file: string, held: AcquireFact['held'], pos: Position): Holding[] {
    const handoff = this.ownership.heldAt(fn, pos).map((h) => ({
      lock: h.lock.lock, inst: h.lock.inst, site: h.site, via: 'acquire' as const, hidden: true,
    }));
    const implicit = this.implicitHeld(fn);
    if (held.length === 0 && handoff.length === 0) return implicit;
    return [...implicit, ...handoff, ...this.holdings(fn, file, held)];
  }

  /** Every file's facts, by path. */
  get files(): FileFacts[] {
    return [...this.symbols.modules.values()].map((m) => m.facts);
  }

  /** The function a fact belongs to. */
  private fnOf(file: string, functionId: string): FunctionInfo | undefined {
    return this.symbols.functions.get(`${file}#${functionId}`);
  }

  /** The scope a function's references are resolved in. */
  scopeOf(fn: FunctionInfo): Scope {
    return { module: fn.module, fn: fn.fact.id === '<module>' ? undefined : fn };
  }

  /** Resolve a lock reference of a fact in its function. */
  resolve(fn: FunctionInfo, ref: AcquireFact['lock']): ResolvedLock | undefined {
    return this.resolveIn(ref, this.scopeOf(fn));
  }

  /** Resolve a lock reference in a scope: a lock, or a context manager that takes one. */
  private resolveIn(ref: AcquireFact['lock'], scope: Scope): ResolvedLock | undefined {
    return this.symbols.resolveLock(ref, scope) ?? this.hidden.contextLock(ref, scope)
      ?? this.hidden.acquireMethodLock(ref, scope);
  }

  /** Locks a function's decorators hold around its body (the `synchronized` pattern). */
  implicitHeld(fn: FunctionInfo): Holding[] {
    let held = this.implicit.get(fn.key);
    if (!held) {
      const site = { file: fn.module.file, range: fn.fact.nameRange };
      held = fn.fact.decorators?.length
        ? this.hidden.decoratorLocks(fn).map((r) => ({ lock: r.lock, inst: r.inst, site, via: 'with' as const, hidden: true }))
        : [];
      this.implicit.set(fn.key, held);
    }
    return held;
  }

  /** Whether an acquisition is a wait on a signal lock rather than locking. */
  private isSignalWait(lock: LockClass, via: AcquireVia): boolean {
    return this.ownership.isSignalWait(lock.id, via);
  }

  private resolveCalls(): ResolvedCall[] {
    const out: ResolvedCall[] = [];
    const relevant = relevantNames([...this.symbols.modules.values()].map((m) => m.facts));
    for (const mod of this.symbols.modules.values()) {
      for (const c of mod.facts.calls) {
        const name = calleeName(c.callee);
        if (!name || !relevant.has(name)) continue;
        const fn = this.fnOf(mod.file, c.functionId);
        if (!fn) continue;
        const callee = this.symbols.resolveCall(c.callee, this.scopeOf(fn));
        if (callee) {
          out.push({ caller: fn, callee: callee.fn, receiver: callee.receiver, fact: c, file: mod.file, byName: callee.byName });
          const site = { file: mod.file, range: c.range };
          this.ownership.noteCall(fn, callee.fn, site, (inst) => mapInstance(inst, callee.receiver, callee.fn.selfName));
        }
      }
    }
    return out;
  }

  private ownTaken(): void {
    for (const fn of this.symbols.functions.values()) {
      for (const h of this.implicitHeld(fn)) {
        this.summaryOf(fn.key).set(`${h.lock.id}|${h.inst}`, { ...h, fn, chain: [] });
      }
    }
    for (const mod of this.symbols.modules.values()) {
      for (const a of mod.facts.acquires) {
        const fn = this.fnOf(mod.file, a.functionId);
        const r = fn && this.resolve(fn, a.lock);
        if (!fn || !r) continue;
        if (a.via === 'acquire') this.explicitAcquires.push({ fact: a, lock: r.lock, fn, file: mod.file });
        if (!a.blocking) continue;
        const summary = this.summaryOf(fn.key);
        const key = `${r.lock.id}|${r.inst}`;
        if (!summary.has(key)) {
          summary.set(key, {
            lock: r.lock, inst: r.inst, site: { file: mod.file, range: a.range }, via: a.via, fn, chain: [], byName: r.byName,
          });
        }
      }
    }
  }

  private summaryOf(key: string): Map<string, Taken> {
    let s = this.summaries.get(key);
    if (!s) this.summaries.set(key, (s = new Map()));
    return s;
  }

  /** Propagate callee summaries into callers until nothing changes. */
  private summarise(calls: ResolvedCall[]): void {
    this.ownTaken();
    const callers = new Map<string, ResolvedCall[]>();
    for (const c of calls) {
      const list = callers.get(c.callee.key) ?? [];
      list.push(c);
      callers.set(c.callee.key, list);
    }
    const queue = [...this.summaries.keys()];
    const queued = new Set(queue);
    while (queue.length) {
      const key = queue.shift()!;
      queued.delete(key);
      const taken = this.summaries.get(key);
      if (!taken) continue;
      for (const call of callers.get(key) ?? []) {
        if (this.mergeInto(call, taken) && !queued.has(call.caller.key)) {
          queue.push(call.caller.key);
          queued.add(call.caller.key);
        }
      }
    }
  }

  private mergeInto(call: ResolvedCall, taken: Map<string, Taken>): boolean {
    const target = this.summaryOf(call.caller.key);
    let changed = false;
    for (const t of taken.values()) {
      if (target.size >= SUMMARY_LIMIT) break;
      const inst = mapInstance(t.inst, call.receiver, call.callee.selfName);
      const key = `${t.lock.id}|${inst}`;
      if (target.has(key)) continue;
      target.set(key, {
        ...t, inst, chain: [{ file: call.file, range: call.fact.range }, ...t.chain], byName: t.byName || call.byName,
      });
      changed = true;
    }
    return changed;
  }

  /** Edges and re-acquisitions from every acquisition and call made while holding locks. */
  private deriveEdges(calls: ResolvedCall[]): void {
    for (const mod of this.symbols.modules.values()) {
      for (const a of mod.facts.acquires) {
        const fn = this.fnOf(mod.file, a.functionId);
        if (!fn || !a.blocking) continue;
        const held = this.heldAt(fn, mod.file, a.held, a.range.start);
        if (held.length === 0) continue;
        const r = this.resolve(fn, a.lock);
        if (!r) continue;
        const site = { file: mod.file, range: a.range };
        const taken: Taken = { lock: r.lock, inst: r.inst, site, via: a.via, fn, chain: [], byName: r.byName, hidden: r.hidden };
        this.addAll(fn, held, taken, site);
      }
    }
    for (const c of calls) {
      const held = this.heldAt(c.caller, c.file, c.fact.held, c.fact.range.start);
      if (held.length === 0) continue;
      const at = { file: c.file, range: c.fact.range };
      for (const t of this.summaries.get(c.callee.key)?.values() ?? []) {
        const taken = {
          ...t, inst: mapInstance(t.inst, c.receiver, c.callee.selfName), chain: [at, ...t.chain], byName: t.byName || c.byName,
        };
        this.addAll(c.caller, held, taken, at);
      }
    }
    for (const b of bindingsOf(this, calls)) this.addBound(b);
  }

  private addBound(b: HeldBinding): void {
    for (const ba of boundAcquires(b, (ref, scope) => this.resolveIn(ref, scope))) {
      const file = b.callee.module.file;
      const taken: Taken = {
        lock: ba.lock.lock, inst: ba.lock.inst, site: { file, range: ba.fact.range }, via: ba.fact.via, fn: b.callee,
        chain: [], boundAt: b.at,
      };
      const held = ba.held.map((h) => ({ lock: h.lock.lock, inst: h.lock.inst, site: { file, range: h.fact.range }, via: h.fact.via }));
      this.addAll(b.callee, held, taken, b.at);
      if (b.held.length) this.addAll(b.caller, b.held, { ...taken, chain: [b.at] }, b.at);
    }
  }

  /** The innermost function of a file containing a line. */
  enclosingFunction(file: string, line: number): FunctionInfo | undefined {
    return this.symbols.enclosingFunction(file, line);
  }

  /** Resolve the held locks a fact records (without decorators and hand-offs). */
  holdings(fn: FunctionInfo, file: string, held: AcquireFact['held']): Holding[] {
    const out: Holding[] = [];
    for (const h of held) {
      const r = this.resolve(fn, h.lock);
      if (r) out.push({ lock: r.lock, inst: r.inst, site: { file, range: h.range }, via: h.via, byName: r.byName, hidden: r.hidden });
    }
    return out;
  }

  private addAll(fn: FunctionInfo, allHeld: Holding[], taken: Taken, at: Location): void {
    if (this.isSignalWait(taken.lock, taken.via)) return;
    const held = allHeld.filter((h) => !this.isSignalWait(h.lock, h.via));
    // Re-entering a reentrant lock this thread already holds takes nothing new and waits for nothing.
    if (taken.lock.reentrant && held.some((h) => h.lock.id === taken.lock.id && h.inst === taken.inst)) return;
    for (const h of held) {
      if (h.lock.id === taken.lock.id) {
        this.sameClass(fn, h, taken, at);
        continue;
      }
      const alsoHeld = held.filter((o) => o !== h && o.lock.id !== taken.lock.id).map((o) => o.lock.id);
      this.edges.push({ from: h, to: taken, fn, alsoHeld });
    }
  }

  private sameClass(fn: FunctionInfo, h: Holding, taken: Taken, at: Location): void {
    const unknown = h.inst.includes(UNKNOWN_INSTANCE) || taken.inst.includes(UNKNOWN_INSTANCE)
      || (taken.inst === 'l' && taken.chain.length > 0);
    if (unknown) return;
    if (h.inst === taken.inst) {
      if (!h.lock.reentrant) this.reacquires.push({ held: h, again: taken, fn, at });
      return;
    }
    this.edges.push({ from: h, to: taken, fn, alsoHeld: [] });
  }

  /** How messages name the code a function runs in: its name, and the threads that run it. */
  where(fn: FunctionInfo): string {
    if (fn.fact.id === '<module>') return 'module-level code';
    const name = `\`${fn.fact.qualname}\``;
    const threads = this.labels.get(fn.key);
    if (!threads?.length) return name;
    if (threads.length === 1 && threads[0] === fn.fact.qualname) return `thread ${name}`;
    return `${name} (thread ${threads.map((t) => `\`${t}\``).join(', ')})`;
  }
}

/** Map a callee-relative instance key into the caller through the call's receiver. */
function mapInstance(inst: string, receiver: string, calleeSelf: string | undefined): string {
  if (inst === 'g') return 'g';
  if (inst === 'l') return `${UNKNOWN_INSTANCE}l`;
  const self = inst.split(/[[.]/)[0];
  if (receiver !== UNKNOWN_INSTANCE && calleeSelf && self === calleeSelf) return receiver + inst.slice(self.length);
  return UNKNOWN_INSTANCE;
}
