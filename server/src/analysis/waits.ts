// Blocking waits made while holding a lock, on code that needs that lock: `t.join()` of a
// thread, `fut.result()` of a submitted task, `q.get()` on a queue filled by code taking the
// lock, `cond.wait()` on a condition notified by code taking the lock.

import type { CallFact } from './events';
import type { Program, Holding, Taken } from './program';
import { refText } from './python/refs';
import type { FunctionInfo, ModuleInfo } from './symbols';
import type { Location } from './types';

/** One wait under a lock that the awaited code needs. */
export interface WaitUnderLock {
  kind: 'join' | 'result' | 'get' | 'wait';
  /** The wait call, and its receiver's text (`t`, `self._worker`). */
  at: Location;
  receiver: string;
  fn: FunctionInfo;
  held: Holding;
  /** The code waited for, and where it takes the held lock. */
  other: FunctionInfo;
  takes: Taken;
}

const WAITS = new Set(['join', 'result', 'get', 'wait']);

/** Find every wait under a lock whose counterpart needs that lock. */
export function waitsUnderLocks(program: Program): WaitUnderLock[] {
  const out: WaitUnderLock[] = [];
  const sites = program.keyedScan('waitSites', '', (file) => waitSites(program, file).map((w): [string, WaitSite] => ['', w]));
  for (const w of sites) {
    for (const { held, other } of w.pairs) {
      const takes = program.takenBy(other.key).find((t) => t.lock.id === held.lock.id);
      if (takes) out.push({ kind: w.kind, at: w.at, receiver: w.receiver, fn: w.fn, held, other, takes });
    }
  }
  return out;
}

/** A wait under locks, with every (held lock, waited-for function) pair to check. */
interface WaitSite {
  kind: WaitUnderLock['kind'];
  at: Location;
  receiver: string;
  fn: FunctionInfo;
  pairs: { held: Holding; other: FunctionInfo }[];
}

/** Resolve one file's waits: what each holds and whom it waits for (summaries are looked at later). */
function waitSites(program: Program, file: string): WaitSite[] {
  const out: WaitSite[] = [];
  const mod = program.symbols.modules.get(file)!;
  const waits = blockingWaits(mod.facts.calls);
  if (waits.length === 0) return out;
  const starts = threadStarts(program, mod);
  for (const c of waits) {
    if (c.callee.kind !== 'attr') continue;
    const kind = c.callee.attr as WaitUnderLock['kind'];
    const fn = program.functionOf(file, c.functionId);
    if (!fn) continue;
    const receiver = refText(c.callee.base);
    if (kind === 'get' && c.nonEmpty && !otherConsumer(mod, c, receiver)) continue;
    const others = kind === 'join' || kind === 'result'
      ? starts.get(`${file}|${receiver}`) ?? []
      : counterparts(program, file, receiver, kind === 'get' ? ['put', 'put_nowait'] : ['notify', 'notify_all', 'set']);
    // `cond.wait()` releases the condition's own lock while it waits; only other locks stay held.
    const waitedLock = kind === 'wait' ? program.resolve(fn, c.callee.base)?.lock.id : undefined;
    const pairs: WaitSite['pairs'] = [];
    for (const held of program.heldAt(fn, file, c.held, c.range.start)) {
      if (held.lock.id === waitedLock) continue;
      for (const other of others) if (other !== fn) pairs.push({ held, other });
    }
    if (pairs.length) out.push({ kind, at: { file, range: c.range }, receiver, fn, pairs });
  }
  return out;
}

/** Calls that wait without a timeout while holding a lock: `t.join()`, `f.result()`, `q.get()`, `c.wait()`. */
function blockingWaits(calls: CallFact[]): CallFact[] {
  return calls.filter((c) => {
    if (c.callee.kind !== 'attr' || !WAITS.has(c.callee.attr) || c.held.length === 0) return false;
    if (c.callee.attr === 'get') return c.args.length === 0 && !c.keywords?.length;
    return c.args.length === 0 && !c.keywords?.includes('timeout');
  });
}

/** A file's thread and task starts by the name they are stored under: `file|t` → target functions. */
function threadStarts(program: Program, mod: ModuleInfo): Map<string, FunctionInfo[]> {
  const out = new Map<string, FunctionInfo[]>();
  for (const t of mod.facts.threads) {
    const target = t.boundTo && program.symbols.resolveCall(t.target, { module: mod, fn: program.enclosingFunction(mod.file, t.range.start.line) });
    if (!target) continue;
    const key = `${mod.file}|${t.boundTo}`;
    out.set(key, [...(out.get(key) ?? []), target.fn]);
  }
  return out;
}

/**
 * Whether code other than the function of a `q.get()` also takes items from `q`: then the item
 * the get was promised by `not q.empty()` may be gone, and the get may block.
 */
function otherConsumer(mod: ModuleInfo, get: CallFact, receiver: string): boolean {
  return mod.facts.calls.some((c) => c.functionId !== get.functionId && c.callee.kind === 'attr'
    && (c.callee.attr === 'get' || c.callee.attr === 'get_nowait') && refText(c.callee.base) === receiver);
}

/** Functions in the same file that call `receiver.put(...)` or `receiver.notify()`. */
function counterparts(program: Program, file: string, receiver: string, methods: string[]): FunctionInfo[] {
  const out = new Set<FunctionInfo>();
  for (const c of program.symbols.modules.get(file)?.facts.calls ?? []) {
    if (c.callee.kind === 'attr' && methods.includes(c.callee.attr) && refText(c.callee.base) === receiver) {
      const fn = program.functionOf(file, c.functionId);
      if (fn) out.add(fn);
    }
  }
  return [...out];
}
