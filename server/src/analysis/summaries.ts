// Per-function summaries: the locks a function may take, itself or through the functions it
// calls, each with the call chain that leads there. Computed as a fixpoint over the resolved
// calls, for the whole program or again for a set of functions after an edit.

import { UNKNOWN_INSTANCE, type FunctionInfo } from './symbols';
import type { ResolvedCall, Taken } from './model';

const SUMMARY_LIMIT = 64;

/** A lock a function takes itself, before propagation. */
export interface OwnTaken {
  fn: FunctionInfo;
  taken: Taken;
}

/** Function key → the locks it may take, keyed by `lock id|instance`. */
export class Summaries {
  private readonly byFn = new Map<string, Map<string, Taken>>();

  /**
   * How a lock taken through a call is named in the caller (a wrapper's inner lock reached
   * through a wrapper the caller stores, even in a local, is that store's lock); identity by default.
   */
  constructor(
    private readonly inCaller: (t: { lock: Taken['lock']; inst: string }, caller: FunctionInfo) => { lock: Taken['lock']; inst: string } = (t) => t,
    /** What a taken lock asks of the caller's `this` through a call (dispatch.ts); null: it cannot be taken from there. */
    private readonly selfClasses: (t: Taken, call: ResolvedCall) => Taken['selfClasses'] | null = () => undefined,
  ) {}

  /** The locks a function may take. */
  of(fnKey: string): Map<string, Taken> | undefined {
    return this.byFn.get(fnKey);
  }

  /**
   * (Re)compute the summaries of `scope` (every function when undefined): forget theirs, add
   * what they take themselves, then propagate callee summaries into callers inside the scope.
   * Functions outside the scope keep theirs, which must not depend on the scope.
   */
  compute(own: OwnTaken[], callers: Map<string, ResolvedCall[]>, calleesOf: Map<string, ResolvedCall[]>, scope?: Set<string>): void {
    if (scope) for (const key of scope) this.byFn.delete(key);
    else this.byFn.clear();
    for (const { fn, taken } of own) {
      const s = this.summaryOf(fn.key);
      const key = `${taken.lock.id}|${taken.inst}`;
      if (!s.has(key)) s.set(key, taken);
    }
    const queue = scope ? seeds(scope, calleesOf) : [...this.byFn.keys()];
    const queued = new Set(queue);
    for (let i = 0; i < queue.length; i++) {
      const key = queue[i];
      queued.delete(key);
      const taken = this.byFn.get(key);
      if (!taken) continue;
      for (const call of callers.get(key) ?? []) {
        if (scope && !scope.has(call.caller.key)) continue;
        if (this.mergeInto(call, taken) && !queued.has(call.caller.key)) {
          queue.push(call.caller.key);
          queued.add(call.caller.key);
        }
      }
    }
  }

  private summaryOf(key: string): Map<string, Taken> {
    let s = this.byFn.get(key);
    if (!s) this.byFn.set(key, (s = new Map()));
    return s;
  }

  private mergeInto(call: ResolvedCall, taken: Map<string, Taken>): boolean {
    const target = this.summaryOf(call.caller.key);
    let changed = false;
    for (const t of taken.values()) {
      if (target.size >= SUMMARY_LIMIT) break;
      const selfClasses = this.selfClasses(t, call);
      if (selfClasses === null) continue;
      const { lock, inst } = this.inCaller({ lock: t.lock, inst: mapInstance(t.inst, call.receiver, call.callee.selfName) }, call.caller);
      // One entry per class `this` must be (each with its own chain), none once any `this` will do.
      const base = `${lock.id}|${inst}`;
      for (const one of selfClasses ?? [undefined]) {
        const key = one ? `${base}|${one.key}` : base;
        if (target.has(base) || target.has(key)) continue;
        if (!one) for (const k of [...target.keys()]) if (k.startsWith(`${base}|`)) target.delete(k);
        target.set(key, {
          ...t, lock, inst, chain: [{ file: call.file, range: call.fact.range }, ...t.chain], byName: t.byName || call.byName, selfClasses: one && [one],
          strictSelf: one && (t.strictSelf || call.strictSelf) ? true : undefined,
        });
        changed = true;
      }
    }
    return changed;
  }
}

/** Where propagation restarts after an edit: the scope and every function it calls. */
function seeds(scope: Set<string>, calleesOf: Map<string, ResolvedCall[]>): string[] {
  const out = new Set<string>();
  for (const key of scope) {
    out.add(key);
    for (const c of calleesOf.get(key) ?? []) out.add(c.callee.key);
  }
  return [...out];
}

/** Map a callee-relative instance key into the caller through the call's receiver. */
export function mapInstance(inst: string, receiver: string, calleeSelf: string | undefined): string {
  if (inst === 'g') return 'g';
  if (inst === 'l') return `${UNKNOWN_INSTANCE}l`;
  const self = inst.split(/[[.]/)[0];
  if (receiver !== UNKNOWN_INSTANCE && calleeSelf && self === calleeSelf) return receiver + inst.slice(self.length);
  return UNKNOWN_INSTANCE;
}
