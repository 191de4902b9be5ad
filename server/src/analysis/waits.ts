// Blocking waits made while holding a lock, on code that needs that lock: `t.join()` of a
// thread, `fut.result()` of a submitted task, `q.get()` on a queue filled by code taking the
// lock, `cond.wait()` on a condition notified by code taking the lock.

import { awaitedBy, isBlockingWait, type Awaited } from './waitTargets';
import { waitsThroughCalls } from './waitChains';
import { promiseWaitSites } from './promiseWaits';
import type { CallFact } from './events';
import type { Program, Holding, Taken } from './program';
import { refText } from './refText';
import type { FunctionInfo, ModuleInfo } from './symbols';
import type { Location } from './types';

/** One wait under a lock that the awaited code needs. */
export interface WaitUnderLock {
  kind: Awaited['kind'];
  /** The wait call, and its receiver's text (`t`, `self._worker`). */
  at: Location;
  receiver: string;
  fn: FunctionInfo;
  held: Holding;
  /** The code waited for, and where it takes the held lock. */
  other: FunctionInfo;
  takes: Taken;
  /** The function called under the lock that makes the wait (`self.monitor.stop()`), if not `fn` itself. */
  through?: FunctionInfo;
  /** With `through`: where the wait call itself is, and the function making it. */
  waitAt?: Location;
  waitIn?: FunctionInfo;
  /** The wait as written when it is no method call (TS/JS: `await this.ready`). */
  waitText?: string;
}


/** Find every wait under a lock whose counterpart needs that lock. */
export function waitsUnderLocks(program: Program): WaitUnderLock[] {
  const out: WaitUnderLock[] = [];
  const sites = program.keyedScan('waitSites', '', (file) => waitSites(program, file).map((w): [string, WaitSite] => ['', w]));
  const reported = new Set<string>();
  for (const w of [...sites, ...chainSites(program), ...promiseWaitSites(program)]) {
    for (const { held, other, takes: known } of w.pairs) {
      // One finding per wait and held lock: the first awaited function that needs it is named.
      const key = `${w.at.file}:${w.at.range.start.line}:${w.at.range.start.character}|${held.lock.id}`;
      if (reported.has(key)) continue;
      const takes = known ?? program.takenBy(other.key).find((t) => t.lock.id === held.lock.id);
      if (takes) reported.add(key);
      if (takes) out.push({ kind: w.kind, at: w.at, receiver: w.receiver, fn: w.fn, held, other, takes, through: w.through, waitAt: w.waitAt, waitIn: w.waitIn, waitText: w.waitText });
    }
  }
  return out;
}

/** A wait under locks, with every (held lock, waited-for function) pair to check (and where it takes the lock, when known). */
export interface WaitSite {
  kind: WaitUnderLock['kind'];
  at: Location;
  receiver: string;
  fn: FunctionInfo;
  pairs: { held: Holding; other: FunctionInfo; takes?: Taken }[];
  waitText?: string;
  through?: FunctionInfo;
  /** With `through`: where the wait call itself is, and the function making it. */
  waitAt?: Location;
  waitIn?: FunctionInfo;
}

/** Resolve one file's waits: what each holds and whom it waits for (summaries are looked at later). */
function waitSites(program: Program, file: string): WaitSite[] {
  const out: WaitSite[] = [];
  const mod = program.symbols.modules.get(file)!;
  const waits = mod.facts.calls.filter((c) => c.held.length > 0 && isBlockingWait(program, file, c));
  if (waits.length === 0) return out;
  const starts = threadStarts(program, mod);
  for (const c of waits) {
    if (c.callee.kind !== 'attr') continue;
    let kind = c.callee.attr as WaitUnderLock['kind'];
    const fn = program.functionOf(file, c.functionId);
    if (!fn) continue;
    const receiver = refText(c.callee.base);
    if (kind === 'get' && c.nonEmpty && !otherConsumer(mod, c, receiver)) continue;
    let others = kind === 'join' || kind === 'result' || kind === 'shutdown'
      ? starts.get(`${file}|${receiver}`) ?? []
      : counterparts(program, file, receiver, kind === 'get' ? ['put', 'put_nowait'] : ['notify', 'notify_all', 'set']);
    const awaited = kind === 'get' || kind === 'wait' ? undefined : awaitedBy(program, fn, c, others);
    if (awaited) ({ kind, others } = awaited);
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

/** Waits reached through a call made under a lock, as wait sites at that call. */
function chainSites(program: Program): WaitSite[] {
  const out: WaitSite[] = [];
  for (const t of waitsThroughCalls(program, (mod) => threadStarts(program, mod))) {
    const pairs: WaitSite['pairs'] = [];
    for (const held of program.heldAt(t.fn, t.fn.module.file, t.call.held, t.call.range.start)) {
      for (const other of t.wait.others) if (other !== t.fn) pairs.push({ held, other });
    }
    const at = { file: t.fn.module.file, range: t.call.range };
    if (pairs.length) out.push({ kind: t.wait.kind, at, receiver: t.wait.receiver, fn: t.fn, pairs, through: t.through, waitAt: t.wait.at, waitIn: t.wait.waiter });
  }
  return out;
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
