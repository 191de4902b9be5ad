// Who takes and who gives back each lock across functions: locks used as signals (released
// by code that never takes them), and hand-off helpers such as logging's `_acquireLock()` /
// `_releaseLock()`, whose calls take or release a lock for their caller.

import type { AcquireFact, Ref } from './events';
import type { FunctionInfo, ModuleInfo, ResolvedLock, Scope, Symbols } from './symbols';
import type { Location, Position } from './types';

/** Functions whose name says they give a lock back for their caller. */
const RELEASE_HELPER = /release|unlock|__exit__|__aexit__/i;

/** A lock held through a hand-off helper call. */
export interface HandoffHolding {
  lock: ResolvedLock;
  site: Location;
}

interface HandoffEvent {
  at: Position;
  kind: 'take' | 'give';
  lock: ResolvedLock;
  site: Location;
}

/** The resolution services ownership needs from the program. */
export interface OwnershipHost {
  symbols: Symbols;
  functionOf(file: string, functionId: string): FunctionInfo | undefined;
  resolve(fn: FunctionInfo, ref: Ref): ResolvedLock | undefined;
  scopeOf(fn: FunctionInfo): Scope;
  enclosingFunction(file: string, line: number): FunctionInfo | undefined;
}

/** Lock ownership facts of the whole program. */
export class Ownership {
  /** Function key → lock ids it releases explicitly. */
  readonly releasedIn = new Map<string, Set<string>>();
  /** Function key → lock ids it acquires (any way). */
  readonly acquiredIn = new Map<string, Set<string>>();
  /** Locks used as signals: their explicit acquisitions are waits for an event, not locking. */
  readonly signalLocks = new Set<string>();
  /** Functions that take a lock and leave it held for their caller. */
  readonly takers = new Map<string, ResolvedLock>();
  private events = new Map<string, HandoffEvent[]>();

  constructor(private host: OwnershipHost) {
    for (const mod of host.symbols.modules.values()) this.scan(mod);
    const afterFork = afterForkHooks(host);
    for (const [fnKey, ids] of this.releasedIn) {
      const fn = host.symbols.functions.get(fnKey);
      if (fn && (RELEASE_HELPER.test(fn.fact.name) || afterFork.has(fnKey))) continue;
      for (const id of ids) if (!this.acquiredIn.get(fnKey)?.has(id)) this.signalLocks.add(id);
    }
  }

  private scan(mod: ModuleInfo): void {
    const explicit = new Map<string, ResolvedLock>();
    for (const a of mod.facts.acquires) {
      const fn = this.host.functionOf(mod.file, a.functionId);
      const r = fn && this.host.resolve(fn, a.lock);
      if (!fn || !r) continue;
      add(this.acquiredIn, fn.key, r.lock.id);
      if (a.via === 'acquire' && a.blocking && !explicit.has(fn.key)) explicit.set(fn.key, r);
    }
    for (const rel of mod.facts.releases) {
      const fn = this.host.functionOf(mod.file, rel.functionId);
      const r = fn && this.host.resolve(fn, rel.lock);
      if (!fn || !r) continue;
      if (rel.deferred) this.signalLocks.add(r.lock.id);
      else add(this.releasedIn, fn.key, r.lock.id);
    }
    for (const [fnKey, r] of explicit) {
      const fn = this.host.symbols.functions.get(fnKey);
      if (fn && !fn.fact.name.startsWith('__') && !this.releasedIn.get(fnKey)?.has(r.lock.id)) this.takers.set(fnKey, r);
    }
    this.passedToThreads(mod);
  }

  /**
   * What one module's code (or some of its functions') contributes to ownership (locks released per function, the locks
   * those functions also take, deferred releases, candidate hand-off takers), as a string: an
   * edit that keeps it unchanged leaves every conclusion of this class valid.
   */
  contribution(mod: ModuleInfo, only?: Set<string>): string {
    const rel = new Map<string, Set<string>>();
    const acq = new Map<string, Set<string>>();
    const out: string[] = [];
    for (const r of mod.facts.releases) {
      if (only && !only.has(r.functionId)) continue;
      const fn = this.host.functionOf(mod.file, r.functionId);
      const lock = fn && this.host.resolve(fn, r.lock);
      if (fn && lock) add(rel, fn.key, `${r.deferred ? 'deferred ' : ''}${lock.lock.id}`);
    }
    const explicit = new Set<string>();
    for (const a of mod.facts.acquires) {
      if (only && !only.has(a.functionId)) continue;
      const fn = this.host.functionOf(mod.file, a.functionId);
      const candidate = a.via === 'acquire' && a.blocking && !explicit.has(fn?.key ?? '');
      if (!fn || (!candidate && !rel.has(fn.key))) continue;
      const r = this.host.resolve(fn, a.lock);
      if (!r) continue;
      if (rel.has(fn.key)) add(acq, fn.key, r.lock.id);
      if (a.via === 'acquire' && a.blocking && !explicit.has(fn.key)) {
        explicit.add(fn.key);
        out.push(`taker ${fn.key} ${r.lock.id} ${r.inst}`);
      }
    }
    for (const [key, ids] of rel) out.push(`${key} gives ${[...ids].sort()} takes ${[...(acq.get(key) ?? [])].sort()}`);
    return out.join('\n');
  }

  /** Forget the hand-off calls recorded for these callers (their calls are resolved again). */
  forgetCalls(callerKeys: Iterable<string>): void {
    for (const key of callerKeys) this.events.delete(key);
  }

  /** A lock handed to a new thread whose target releases something is a signal between threads. */
  private passedToThreads(mod: ModuleInfo): void {
    for (const t of mod.facts.threads) {
      if (t.args.length === 0) continue;
      const caller = this.host.enclosingFunction(mod.file, t.range.start.line);
      const target = caller && this.host.symbols.resolveCall(t.target, this.host.scopeOf(caller));
      if (!caller || !target) continue;
      if (!target.fn.module.facts.releases.some((r) => r.functionId === target.fn.fact.id)) continue;
      for (const arg of t.args) {
        const r = this.host.symbols.resolveLock(arg, this.host.scopeOf(caller));
        if (r) this.signalLocks.add(r.lock.id);
      }
    }
  }

  /** Whether an acquisition is a wait on a signal lock rather than locking. */
  isSignalWait(lockId: string, via: AcquireFact['via']): boolean {
    return via === 'acquire' && this.signalLocks.has(lockId);
  }

  /** Whether calls of this function are hand-off events (`noteCall` records nothing for the others). */
  handsOff(callee: FunctionInfo): boolean {
    return this.takers.has(callee.key) || (!!this.releasedIn.get(callee.key)?.size && RELEASE_HELPER.test(callee.fact.name));
  }

  /** Record a call to a hand-off helper (`_acquireLock()`, `self.release()`), as the program resolves it. */
  noteCall(caller: FunctionInfo, callee: FunctionInfo, site: Location, mapInst: (inst: string) => string): void {
    const taken = this.takers.get(callee.key);
    const gives = RELEASE_HELPER.test(callee.fact.name) ? this.releasedIn.get(callee.key) : undefined;
    if (!taken && !gives?.size) return;
    const list = this.events.get(caller.key) ?? [];
    if (taken) list.push({ at: site.range.start, kind: 'take', lock: { ...taken, inst: mapInst(taken.inst) }, site });
    for (const id of gives ?? []) {
      const lock = this.host.symbols.locks.get(id);
      if (lock) list.push({ at: site.range.start, kind: 'give', lock: { lock, inst: '' }, site });
    }
    this.events.set(caller.key, list);
  }

  /** Whether a function calls a hand-off helper (else `heldAt` is empty everywhere in it). */
  hasHandoffs(fn: FunctionInfo): boolean {
    return this.events.has(fn.key);
  }

  /** Locks taken through hand-off helpers and not yet given back at a position of a function. */
  heldAt(fn: FunctionInfo, pos: Position): HandoffHolding[] {
    const list = this.events.get(fn.key);
    if (!list) return [];
    const held: HandoffHolding[] = [];
    for (const e of [...list].sort((a, b) => a.at.line - b.at.line || a.at.character - b.at.character)) {
      if (!before(e.at, pos)) break;
      if (e.kind === 'take') held.push({ lock: e.lock, site: e.site });
      else {
        const i = held.findIndex((h) => h.lock.lock.id === e.lock.lock.id);
        if (i >= 0) held.splice(i, 1);
      }
    }
    return held;
  }
}

/** Functions registered as `after_in_parent=`/`after_in_child=` at-fork hooks: they give back what the `before=` hook took. */
function afterForkHooks(host: OwnershipHost): Set<string> {
  const out = new Set<string>();
  for (const mod of host.symbols.modules.values()) {
    for (const h of mod.facts.forkHooks ?? []) {
      const fn = host.functionOf(mod.file, h.functionId);
      for (const ref of h.after ?? []) {
        const target = fn && host.symbols.resolveCall(ref, host.scopeOf(fn));
        if (target) out.add(target.fn.key);
      }
    }
  }
  return out;
}

function add(map: Map<string, Set<string>>, key: string, id: string): void {
  const set = map.get(key) ?? new Set<string>();
  set.add(id);
  map.set(key, set);
}

function before(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}
