// The linked program: resolves every file's lock events, computes per-function summaries
// of the locks each function may take (transitively, with the call chain), and derives the
// lock-order edges and re-acquisitions that rules consume. Derived facts are kept per file,
// so an edit that changes only function bodies re-links in place (`update`).

import { freshLocalPair } from './freshLocals';
import type { AcquireFact, AcquireVia, CallFact, FileFacts, ThreadStartFact } from './events';
import { AtFork } from './forkHooks';
import { Symbols, UNKNOWN_INSTANCE, type ClassInfo, type FunctionInfo, type ResolvedLock, type Scope } from './symbols';
import { threadLabels } from './threads';
import { OrderGraph } from './orderGraph';
import { batchSelfEdge, familyBatchEdges } from './familyBatches';
import type { ExplicitAcquire, Holding, OrderEdge, Reacquire, ResolvedCall, Taken } from './model';
import { Ownership } from './ownership';
import { calleeName, relevantNames } from './relevance';
import type { DeclaredOrder } from './orderFile';
import { boundAcquires, bindingsOf, usefulness, type HeldBinding, type Usefulness } from './bindings';
import { mapInstance, Summaries, type OwnTaken } from './summaries';
import { CallIndex } from './callIndex';
import { ElementTypes } from './elementTypes';
import { VirtualCalls } from './virtualCalls';
import { bodyEdit } from './bodyEdit';
import { dispatchedCallees, selfClassThrough, withDispatched } from './dispatch';
import { Scans, type KeyedValues } from './scans';
import { HiddenLocks, isHiddenLockSource } from './hidden';
import { returnedLock } from './accessors';
import { buildsInjected } from './injectedLocks';
import { decidesAttrTypes } from './injectedTypes';
import type { LockClass, Location, Position } from './types';

export type { ExplicitAcquire, Holding, OrderEdge, Reacquire, ResolvedCall, Taken } from './model';

/** What one function's (or file's) code contributes to the program's edges and findings. */
interface Derived {
  edges: OrderEdge[];
  reacquires: Reacquire[];
  explicit: ExplicitAcquire[];
  /** See `Program.quietNestings`. */
  nestings: OrderEdge[];
}

/** The contribution of most functions, shared. */
const NOTHING: Derived = Object.freeze({ edges: [], reacquires: [], explicit: [], nestings: [] }) as Derived;

/** The whole program, linked. */
export class Program {
  readonly symbols: Symbols;
  edges: OrderEdge[] = [];
  reacquires: Reacquire[] = [];
  explicitAcquires: ExplicitAcquire[] = [];
  /**
   * Two instances of one lock class nested where every thread takes them in one order, or where
   * the order is not known: element after element in a loop (`for f in fs: f.lock.acquire()`),
   * names bound in sorted order, a recursion down a structure, fresh locals of one call. They
   * are real nestings (the runtime sees them) but no rule weighs them and the graph leaves them
   * out; `Project.orderEdges` lists them as self-edges.
   */
  quietNestings: OrderEdge[] = [];
  graph: OrderGraph;
  /** The declared lock hierarchy of the current analysis, if any (set per run by the project). */
  declared?: DeclaredOrder;

  /** Who takes and gives back which lock: signal locks and hand-off helpers. */
  readonly ownership: Ownership;
  private summaries = new Summaries((t, caller) => this.hidden.throughStore(t, this.scopeOf(caller)), (t, call) => selfClassThrough(this.symbols, t, call));
  private hidden: HiddenLocks;
  private implicit = new Map<FunctionInfo, Holding[]>();
  private labels: Map<string, string[]>;
  private index = new CallIndex();
  private elements: ElementTypes;
  private virtual: VirtualCalls;
  private atFork: AtFork;
  private relevant: Set<string>;
  /** Per function, and per file (its functions' in order). */
  private derivedFns = new Map<FunctionInfo, Derived>();
  private derived = new Map<string, Derived>();
  /** Which functions' parameter bindings can matter, shared by every function derived in one linking. */
  private useful: Usefulness | undefined;
  /** Results of rules' scans, dropped for files an edit touches. */
  private scans: Scans;
  private moduleOrder = new Map<string, number>();
  /** How many times `update` re-linked in place (for tests and benchmarks). */
  inPlaceUpdates = 0;

  /** `textOf` gives a file's source text, for fixes that move code. */
  constructor(files: FileFacts[], readonly textOf: (file: string) => string = () => '') {
    this.symbols = new Symbols(files);
    [...this.symbols.modules.keys()].forEach((file, i) => this.moduleOrder.set(file, i));
    this.scans = new Scans(() => this.symbols.modules.keys(), (file) => this.moduleOrder.get(file) ?? 0);
    // Every lock created anywhere is known, used or not (hover, completion, order-file checks).
    for (const mod of this.symbols.modules.values()) for (const d of mod.facts.lockDefs) this.symbols.lockClassOf(d, mod);
    this.hidden = new HiddenLocks(this.symbols);
    this.elements = new ElementTypes(this.symbols);
    this.virtual = new VirtualCalls(this.symbols);
    this.atFork = new AtFork(this.symbols, (ref, scope) => this.resolveIn(ref, scope), (key) => this.takenBy(key), (key) => this.ownership.takers.get(key));
    this.hidden.makeWrapperLocks();
    this.ownership = new Ownership(this);
    this.relevant = relevantNames(files);
    for (const mod of this.symbols.modules.values()) this.index.set(mod.file, this.resolveCalls(mod.file, () => true));
    this.summaries.compute(this.ownTaken(), this.index.callers, this.index.callees);
    this.labels = threadLabels(this.symbols, this.index.callees);
    for (const mod of this.symbols.modules.values()) this.deriveFile(mod.file, () => true);
    this.graph = this.assemble();
  }

  /**
   * Re-link after `facts` replaced a file's facts, in place when only function bodies changed
   * and nothing others rely on (hand-off helpers, context managers, which names matter) did.
   * Returns false when the program must be built again.
   */
  update(facts: FileFacts): boolean {
    this.resolved.clear();
    const mod = this.symbols.modules.get(facts.path);
    const edit = mod && bodyEdit(mod.facts, facts);
    if (!mod || !edit) return false;
    const key = (id: string) => `${facts.path}#${id}`;
    const changed = [...edit.changed].map((id) => this.symbols.functions.get(key(id))).filter((f): f is FunctionInfo => !!f);
    if (changed.some((fn) => isHiddenLockSource(fn) || this.decidesOthersLocks(fn))) return false;
    const ownershipBefore = this.ownership.contribution(mod, edit.changed);
    const relevantBefore = changed.map((fn) => this.relevance(fn)).join(',');
    const previous = mod.facts;
    facts.lockDefs = previous.lockDefs; // equal, and lock classes are keyed by these objects
    this.symbols.replaceBodies(facts);
    this.resolved.clear();
    if (this.ownership.contribution(mod, edit.changed) !== ownershipBefore || changed.some((fn) => isHiddenLockSource(fn) || this.decidesOthersLocks(fn))) return false;
    if (changed.map((fn) => this.relevance(fn)).join(',') !== relevantBefore && this.newlyRelevant(changed)) return false;
    this.relinkFile(facts.path, changed);
    this.inPlaceUpdates++;
    return true;
  }

  /** Whether other code's locks depend on this function's body: it returns a lock, hands one to a constructor, types a stored parameter, or puts an object of a known class in a container attribute. */
  private decidesOthersLocks(fn: FunctionInfo): boolean {
    return !!returnedLock(this.symbols, fn, 0) || buildsInjected(this.symbols, fn) || decidesAttrTypes(fn)
      || this.elements.fills(fn);
  }

  /** Re-resolve the changed functions' calls, recompute the summaries that depend on them, re-derive. */
  private relinkFile(file: string, changed: FunctionInfo[]): void {
    const keys = new Set(changed.map((fn) => fn.key));
    const oldPairs = this.index.pairsOf(file);
    this.ownership.forgetCalls(keys);
    this.index.set(file, this.resolveCalls(file, (fn) => keys.has(fn.key)));
    const scope = this.index.callersClosure([...keys]);
    this.summaries.compute(this.ownTaken(scope), this.index.callers, this.index.callees, scope);
    if (this.index.pairsOf(file) !== oldPairs) this.labels = threadLabels(this.symbols, this.index.callees);
    this.useful = undefined; // the calls changed
    const redo = new Set([...scope, ...this.threadStartersReaching(scope)]);
    const files = new Set([file, ...[...redo].map((k) => this.symbols.functions.get(k)!.module.file)]);
    for (const f of files) this.deriveFile(f, (fn) => redo.has(fn.key));
    this.scans.drop(files);
    this.graph = this.assemble();
  }

  /** A function's part in which callee names matter: whether it locks, and what it calls. */
  private relevance(fn: FunctionInfo): string {
    const f = fn.module.facts;
    const locks = f.acquires.some((a) => a.functionId === fn.fact.id) || f.releases.some((r) => r.functionId === fn.fact.id)
      || f.calls.some((c) => c.forks && c.functionId === fn.fact.id);
    const callees = new Set(f.calls.filter((c) => c.functionId === fn.fact.id).map((c) => calleeName(c.callee) ?? ''));
    return `${locks}:${[...callees].sort().join(' ')}`;
  }

  /** Whether an edited function's name now matters where it did not (its callers must be resolved too). */
  private newlyRelevant(changed: FunctionInfo[]): boolean {
    return changed.some((fn) => {
      if (this.relevant.has(fn.fact.name)) return false;
      const [locks, callees] = this.relevance(fn).split(':');
      return locks === 'true' || callees.split(' ').some((n) => this.relevant.has(n));
    });
  }

  private threadTargets?: Map<string, Set<string>>;

  /** Functions that start a thread on one of these functions (their bindings depend on its body). */
  private threadStartersReaching(scope: Set<string>): string[] {
    if (!this.threadTargets) {
      this.threadTargets = new Map();
      for (const mod of this.symbols.modules.values()) {
        for (const t of mod.facts.threads) {
          const caller = this.enclosingFunction(mod.file, t.range.start.line);
          const target = caller && this.symbols.resolveCall(t.target, this.scopeOf(caller));
          if (!caller || !target) continue;
          const starters = this.threadTargets.get(target.fn.key) ?? new Set<string>();
          starters.add(caller.key);
          this.threadTargets.set(target.fn.key, starters);
        }
      }
    }
    const out = new Set<string>();
    for (const key of scope) for (const k of this.threadTargets.get(key) ?? []) out.add(k);
    return [...out];
  }

  /** Concatenate per-file results in module order and build the graph. */
  private assemble(): OrderGraph {
    this.edges = [];
    this.reacquires = [];
    this.explicitAcquires = [];
    this.quietNestings = [];
    for (const file of this.symbols.modules.keys()) {
      const d = this.derived.get(file);
      if (!d) continue;
      for (const e of d.edges) this.edges.push(e);
      for (const r of d.reacquires) this.reacquires.push(r);
      for (const x of d.explicit) this.explicitAcquires.push(x);
      for (const n of d.nestings) this.quietNestings.push(n);
    }
    const unsure = this.edges.filter((e) => e.from.unsure);
    if (unsure.length) this.edges = this.edges.filter((e) => !e.from.unsure);
    this.edges.push(...familyBatchEdges(this.edges, unsure));
    this.orderedOnly = undefined;
    return new OrderGraph(this.edges);
  }

  /** A rule's scan of one file, computed once until an edit touches the file. */
  scanOf<T>(name: string, file: string, compute: () => T): T {
    return this.scans.of(name, file, compute);
  }

  /** What a rule's keyed scan found under `key` in every file, in program order (kept between edits). */
  keyedScan<V>(name: string, key: string, compute: (file: string) => KeyedValues<V>): V[] {
    return this.scans.keyed(name, key, compute);
  }

  /** The locks a function may take, directly or through calls. */
  takenBy(fnKey: string): Taken[] {
    return [...(this.summaries.of(fnKey)?.values() ?? [])];
  }

  private orderedOnly?: OrderGraph;

  /** The graph of edges where both locks are taken by nested `lockorder.acquire()` groups. */
  get orderedGraph(): OrderGraph {
    this.orderedOnly ??= new OrderGraph(this.edges.filter((e) => e.from.via === 'ordered' && e.to.via === 'ordered'));
    return this.orderedOnly;
  }

  /** The resolved calls that reach a function. */
  callersOf(fnKey: string): ResolvedCall[] {
    return this.index.callers.get(fnKey) ?? [];
  }

  /** The resolved calls a function makes. */
  calleesOf(fnKey: string): ResolvedCall[] {
    return this.index.callees.get(fnKey) ?? [];
  }

  /** The resolved calls of the program (for rules about waits and callbacks). */
  get calls(): ResolvedCall[] {
    return this.index.all();
  }

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
    return this.symbols.functionIn(file, functionId);
  }

  /** The scope a function's references are resolved in. */
  scopeOf(fn: FunctionInfo): Scope {
    return { module: fn.module, fn: fn.fact.id === '<module>' ? undefined : fn };
  }

  /** Per function and reference of its facts, the lock it resolves to (null: none); emptied when an edit changes facts. */
  private resolved = new Map<FunctionInfo, Map<AcquireFact['lock'], ResolvedLock | null>>();

  /** Resolve a lock reference of a fact in its function. */
  resolve(fn: FunctionInfo, ref: AcquireFact['lock']): ResolvedLock | undefined {
    let byRef = this.resolved.get(fn);
    if (!byRef) this.resolved.set(fn, (byRef = new Map()));
    let r = byRef.get(ref);
    if (r === undefined) byRef.set(ref, (r = this.resolveIn(ref, this.scopeOf(fn)) ?? null));
    return r ?? undefined;
  }

  /** Resolve a lock reference in a scope: a lock, or a context manager that takes one. */
  private resolveIn(ref: AcquireFact['lock'], scope: Scope): ResolvedLock | undefined {
    const direct = this.symbols.resolveLock(ref, scope);
    if (direct) return this.hidden.throughStore(direct, scope);
    return this.hidden.contextLock(ref, scope) ?? this.hidden.acquireMethodLock(ref, scope);
  }

  /** Locks a function's decorators hold around its body (the `synchronized` pattern). */
  implicitHeld(fn: FunctionInfo): Holding[] {
    // Without decorators, nothing (not kept: most functions have none).
    if (!fn.fact.decorators?.length) return [];
    let held = this.implicit.get(fn);
    if (!held) {
      const site = { file: fn.module.file, range: fn.fact.nameRange };
      held = this.hidden.decoratorLocks(fn).map((r) => ({ lock: r.lock, inst: r.inst, site, via: 'with' as const, hidden: true }));
      this.implicit.set(fn, held);
    }
    return held;
  }

  /** Whether an acquisition is a wait on a signal lock rather than locking. */
  private isSignalWait(lock: LockClass, via: AcquireVia): boolean {
    return this.ownership.isSignalWait(lock.id, via);
  }

  /**
   * One file's resolved calls, function by function: resolved again for functions `fresh`
   * accepts, kept from before for the others.
   */
  private resolveCalls(file: string, fresh: (fn: FunctionInfo) => boolean): ResolvedCall[] {
    const mod = this.symbols.modules.get(file)!;
    // Only forks and calls of names that matter are looked at.
    const byFn = groupBy(mod.facts.calls, (c) => !!c.forks || this.relevant.has(calleeName(c.callee) ?? ''));
    const out: ResolvedCall[] = [];
    for (const fn of mod.byId.values()) {
      if (!fresh(fn)) {
        for (const c of this.index.callees.get(fn.key) ?? []) out.push(c);
        continue;
      }
      const calls = byFn.size ? byFn.get(fn.fact.id) : undefined;
      if (!calls) continue;
      const scope = this.scopeOf(fn);
      for (const c of calls) {
        // `os.fork()` runs the functions registered as `before=` hooks (not hand-offs: the parent gets their locks back after the fork).
        if (c.forks) for (const h of this.atFork.hooks()) if (h.fn) out.push({ caller: fn, callee: h.fn, receiver: UNKNOWN_INSTANCE, fact: c, file: mod.file });
        const name = calleeName(c.callee);
        if (!name || !this.relevant.has(name)) continue;
        const one = this.symbols.resolveCall(c.callee, scope);
        // What a container attribute holds beats a method name alone.
        const listed = !one || one.byName ? this.elements.callees(c.callee, scope) : [];
        const byClass = !one && !listed.length ? this.virtual.classAttrCallees(c.callee, scope) : [];
        const targets = listed.length ? listed : byClass.length ? byClass : one ? [one] : [];
        const callees: Callee[] = c.dispatch !== undefined ? withDispatched(targets, c, dispatchedCallees(this.symbols, c, scope))
          : withOverrides(targets, this.virtual.overrides(c, scope, one?.fn));
        for (const callee of callees) {
          const call: ResolvedCall = { caller: fn, callee: callee.fn, receiver: callee.receiver, fact: c, file: mod.file, byName: callee.byName, dispatchedTo: callee.cls };
          if (callee.strict) call.strictSelf = true;
          if (callee.exact) call.exactSelf = callee.exact;
          out.push(call);
          if (c.detached || !this.ownership.handsOff(callee.fn)) continue;
          const site = { file: mod.file, range: c.range };
          this.ownership.noteCall(fn, callee.fn, site, (inst) => mapInstance(inst, callee.receiver, callee.fn.selfName));
        }
      }
    }
    return out;
  }

  /** What functions take themselves: decorator locks and blocking acquisitions (of `scope` only, if given). */
  private ownTaken(scope?: Set<string>): OwnTaken[] {
    const out: OwnTaken[] = [];
    const fns = scope ? [...scope].map((k) => this.symbols.functions.get(k)!) : [...this.symbols.functions.values()];
    for (const fn of fns) {
      for (const h of this.implicitHeld(fn)) out.push({ fn, taken: { ...h, fn, chain: [] } });
    }
    const files = scope ? new Set(fns.map((fn) => fn.module.file)) : this.symbols.modules.keys();
    for (const file of files) {
      const mod = this.symbols.modules.get(file)!;
      for (const c of mod.facts.calls) {
        const fn = c.forks ? this.fnOf(mod.file, c.functionId) : undefined;
        if (fn && (!scope || scope.has(fn.key))) for (const taken of this.atFork.hookLocks(fn, c)) out.push({ fn, taken });
      }
      for (const a of mod.facts.acquires) {
        if (!a.blocking) continue;
        const fn = this.fnOf(mod.file, a.functionId);
        if (!fn || (scope && !scope.has(fn.key))) continue;
        const r = this.resolve(fn, a.lock);
        if (!r) continue;
        out.push({ fn, taken: { lock: r.lock, inst: r.inst, site: { file: mod.file, range: a.range }, via: a.via, fn, chain: [], byName: r.byName } });
      }
    }
    return out;
  }

  /** Derive again the functions of a file that `redo` accepts, and the file's concatenation. */
  private deriveFile(file: string, redo: (fn: FunctionInfo) => boolean): void {
    const mod = this.symbols.modules.get(file)!;
    const acquires = groupBy(mod.facts.acquires);
    const threads = new Map<string, ThreadStartFact[]>();
    for (const t of mod.facts.threads) {
      const key = this.enclosingFunction(file, t.range.start.line)?.key ?? '';
      threads.set(key, [...(threads.get(key) ?? []), t]);
    }
    const forks = groupBy(mod.facts.calls.filter((c) => c.forks));
    const all: Derived = { edges: [], reacquires: [], explicit: [], nestings: [] };
    for (const fn of mod.byId.values()) {
      let d = redo(fn) ? undefined : this.derivedFns.get(fn);
      if (!d) {
        d = this.derive(fn, (acquires.size && acquires.get(fn.fact.id)) || [], (threads.size && threads.get(fn.key)) || [], (forks.size && forks.get(fn.fact.id)) || []);
        this.derivedFns.set(fn, d);
      }
      for (const e of d.edges) all.edges.push(e);
      for (const r of d.reacquires) all.reacquires.push(r);
      for (const x of d.explicit) all.explicit.push(x);
      for (const n of d.nestings) all.nestings.push(n);
    }
    this.derived.set(file, all);
  }

  /** Edges, re-acquisitions and explicit acquisitions from one function's code. */
  private derive(fn: FunctionInfo, acquires: AcquireFact[], threads: ThreadStartFact[], forks: CallFact[]): Derived {
    const calls = this.index.callees.get(fn.key) ?? [];
    // Nothing to take, call or start: nothing to derive (most functions).
    if (!acquires.length && !calls.length && !threads.length && !forks.length) return NOTHING;
    const out: Derived = { edges: [], reacquires: [], explicit: [], nestings: [] };
    const file = fn.module.file;
    for (const a of acquires) {
      if (a.via === 'acquire') {
        const r = this.resolve(fn, a.lock);
        if (r) out.explicit.push({ fact: a, lock: r.lock, fn, file });
      }
      if (!a.blocking) continue;
      const held = this.heldAt(fn, file, a.held, a.range.start);
      if (held.length === 0 && !a.manyAtOnce && !a.eachIteration) continue;
      const r = this.resolve(fn, a.lock);
      if (!r) continue;
      const site = { file, range: a.range };
      const taken: Taken = { lock: r.lock, inst: r.inst, site, via: a.via, fn, chain: [], byName: r.byName, hidden: r.hidden };
      if (a.eachIteration && r.lock.family) out.nestings.push({ from: { ...taken, inst: `${taken.inst}'` }, to: taken, fn, alsoHeld: [] });
      if (a.manyAtOnce && r.lock.family) out.edges.push(batchSelfEdge(fn, taken, held.map((h) => h.lock.id)));
      this.addAll(out, fn, held, taken, site);
    }
    // A caller without decorator locks or hand-off helpers holds at a call only what the call's fact records.
    const plain = this.implicitHeld(fn).length === 0 && !this.ownership.hasHandoffs(fn);
    for (const c of calls) {
      if (plain && c.fact.held.length === 0) continue;
      const held = this.heldAt(c.caller, c.file, c.fact.held, c.fact.range.start);
      if (held.length === 0) continue;
      const at = { file: c.file, range: c.fact.range };
      for (const t of this.summaries.of(c.callee.key)?.values() ?? []) {
        const selfClasses = selfClassThrough(this.symbols, t, c);
        if (selfClasses === null) continue;
        const seen = this.hidden.throughStore({ lock: t.lock, inst: mapInstance(t.inst, c.receiver, c.callee.selfName) }, this.scopeOf(c.caller));
        const taken = { ...t, ...seen, chain: [at, ...t.chain], byName: t.byName || c.byName, selfClasses };
        this.addAll(out, c.caller, held, taken, at);
      }
    }
    this.useful ??= usefulness(this.index.callees);
    for (const b of bindingsOf(this, calls, fn, threads, this.index.callees, this.useful)) this.addBound(out, b);
    for (const c of forks) this.addFork(out, fn, c);
    return out.edges.length || out.reacquires.length || out.explicit.length || out.nestings.length ? out : NOTHING;
  }

  private addBound(out: Derived, b: HeldBinding): void {
    for (const ba of boundAcquires(b, (ref, scope) => this.resolveIn(ref, scope))) {
      const file = b.callee.module.file;
      const taken: Taken = {
        lock: ba.lock.lock, inst: ba.lock.inst, site: { file, range: ba.fact.range }, via: ba.fact.via, fn: b.callee,
        chain: [], boundAt: b.at,
      };
      const held = ba.held.map((h) => ({ lock: h.lock.lock, inst: h.lock.inst, site: { file, range: h.fact.range }, via: h.fact.via }));
      this.addAll(out, b.callee, held, taken, b.at);
      if (b.held.length) this.addAll(out, b.caller, b.held, { ...taken, chain: [b.at] }, b.at);
    }
  }

  /**
   * A fork call: the lock hooks' locks under the locks held there (function hooks are resolved
   * calls), and each hook's locks under those of the hooks that ran before it and keep theirs.
   */
  private addFork(out: Derived, fn: FunctionInfo, call: CallFact): void {
    const at = { file: fn.module.file, range: call.range };
    const held = this.heldAt(fn, fn.module.file, call.held, call.range.start);
    if (held.length) for (const t of this.atFork.hookLocks(fn, call)) this.addAll(out, fn, held, t, at);
    for (const { holding, taken } of this.atFork.betweenHooks()) this.addAll(out, fn, [holding], taken, at);
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
      if (r) out.push({ lock: r.lock, inst: r.inst, site: { file, range: h.range }, via: h.via, byName: r.byName, hidden: r.hidden, ...(h.batch ? { batch: true } : {}),
        ...(h.afterEachLoop ? { afterEachLoop: true } : {}) });
    }
    return out;
  }

  private addAll(out: Derived, fn: FunctionInfo, allHeld: Holding[], taken: Taken, at: Location): void {
    if (this.isSignalWait(taken.lock, taken.via)) return;
    // A lock a loop took for each element, after the loop, may name any element: it orders other classes only.
    const held = allHeld.filter((h) => !this.isSignalWait(h.lock, h.via) && !(h.afterEachLoop && h.lock.id === taken.lock.id));
    // Re-entering a reentrant lock this thread already holds takes nothing new and waits for nothing,
    // unless it is a counting semaphore whose every permit the thread already holds.
    if (taken.lock.reentrant && held.some((h) => h.lock.id === taken.lock.id && h.inst === taken.inst)) {
      const same = held.filter((h) => h.lock.id === taken.lock.id && h.inst === taken.inst);
      if (taken.lock.slots !== undefined && same.length >= taken.lock.slots) out.reacquires.push({ held: same[0], again: taken, fn, at });
      return;
    }
    for (const h of held) {
      if (h.lock.id === taken.lock.id) {
        this.sameClass(out, fn, h, taken, at);
        continue;
      }
      const alsoHeld = held.filter((o) => o !== h && o.lock.id !== taken.lock.id).map((o) => o.lock.id);
      out.edges.push({ from: h, to: taken, fn, alsoHeld });
    }
  }

  private sameClass(out: Derived, fn: FunctionInfo, h: Holding, taken: Taken, at: Location): void {
    const unknown = h.inst.includes(UNKNOWN_INSTANCE) || taken.inst.includes(UNKNOWN_INSTANCE)
      || (taken.inst === 'l' && taken.chain.length > 0);
    if (unknown && h.inst !== taken.inst && taken.chain.length === 0 && !sameSite(h.site, taken.site)) {
      out.edges.push({ from: { ...h, unsure: true }, to: taken, fn, alsoHeld: [] }); // see familyBatchEdges
    }
    if (unknown || this.symbols.isBackReference(h.inst, taken.inst, taken.lock)) return;
    if (sameSite(h.site, taken.site) || inSortedOrder(fn, h.inst, taken.inst) || freshLocalPair(fn, h.inst, taken.inst)) {
      if (h.inst !== taken.inst) out.nestings.push({ from: h, to: taken, fn, alsoHeld: [] });
      return;
    }
    if (h.inst === taken.inst) {
      if (!h.lock.reentrant) out.reacquires.push({ held: h, again: taken, fn, at });
      return;
    }
    out.edges.push({ from: h, to: taken, fn, alsoHeld: [] });
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

/**
 * One acquisition site reached again (a recursive call on another object of the same class):
 * the same `with` is not two locks' sites, and it takes them in the structure's own order.
 */
function sameSite(a: Location, b: Location): boolean {
  return a.file === b.file && a.range.start.line === b.range.start.line && a.range.start.character === b.range.start.character;
}

/** `with first.lock: with second.lock:` after `first, second = sorted(...)`: one order for every thread. */
function inSortedOrder(fn: FunctionInfo, held: string, taken: string): boolean {
  const names = fn.fact.sortedNames;
  if (!names) return false;
  const i = names.indexOf(held.split(/[.[]/)[0]);
  const j = names.indexOf(taken.split(/[.[]/)[0]);
  return i >= 0 && j >= 0 && i < j;
}

/** A callee of a call as resolved, with what it asks of the receiver's class (dispatch.ts). */
interface Callee {
  fn: FunctionInfo;
  receiver: string;
  byName?: boolean;
  cls?: ClassInfo;
  strict?: boolean;
  exact?: ClassInfo[];
}

/** A call's targets, then the overrides it may run instead (strict: they need the receiver's class). */
function withOverrides(targets: Callee[], overrides: Callee[]): Callee[] {
  if (!overrides.length) return targets;
  return [...targets, ...overrides.map((d) => ({ ...d, strict: true }))];
}

/** Facts (those `keep` accepts) grouped by the function they belong to, in document order. */
function groupBy<T extends { functionId: string }>(facts: T[], keep?: (fact: T) => boolean): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const f of facts) {
    if (keep && !keep(f)) continue;
    const list = out.get(f.functionId);
    if (list) list.push(f);
    else out.set(f.functionId, [f]);
  }
  return out;
}
