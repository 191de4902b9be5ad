// Blocking waits made while holding a lock, on code that needs that lock: `t.join()` of a
// thread, `fut.result()` of a submitted task, `q.get()` on a queue filled by code taking the
// lock, `cond.wait()` on a condition notified by code taking the lock.

import type { Program, Holding, Taken } from './program';
import { refText } from './python/refs';
import type { FunctionInfo } from './symbols';
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
  const starts = threadStarts(program);
  for (const mod of program.symbols.modules.values()) {
    for (const c of mod.facts.calls) {
      if (c.callee.kind !== 'attr' || !WAITS.has(c.callee.attr) || c.held.length === 0) continue;
      const kind = c.callee.attr as WaitUnderLock['kind'];
      if (kind === 'get' && (c.args.length > 0 || c.keywords?.length)) continue;
      if ((kind === 'join' || kind === 'result' || kind === 'wait') && (c.args.length > 0 || c.keywords?.includes('timeout'))) continue;
      const fn = program.functionOf(mod.file, c.functionId);
      if (!fn) continue;
      const receiver = refText(c.callee.base);
      const others = kind === 'join' || kind === 'result'
        ? starts.get(`${mod.file}|${receiver}`) ?? []
        : counterparts(program, mod.file, receiver, kind === 'get' ? ['put', 'put_nowait'] : ['notify', 'notify_all', 'set']);
      // `cond.wait()` releases the condition's own lock while it waits; only other locks stay held.
      const waitedLock = kind === 'wait' ? program.resolve(fn, c.callee.base)?.lock.id : undefined;
      for (const held of program.heldAt(fn, mod.file, c.held, c.range.start)) {
        if (held.lock.id === waitedLock) continue;
        for (const other of others) {
          const takes = program.takenBy(other.key).find((t) => t.lock.id === held.lock.id);
          if (takes && other !== fn) {
            out.push({ kind, at: { file: mod.file, range: c.range }, receiver, fn, held, other, takes });
          }
        }
      }
    }
  }
  return out;
}

/** Thread and task starts by the name they are stored under: `file|t` → target functions. */
function threadStarts(program: Program): Map<string, FunctionInfo[]> {
  const out = new Map<string, FunctionInfo[]>();
  for (const mod of program.symbols.modules.values()) {
    for (const t of mod.facts.threads) {
      if (!t.boundTo) continue;
      const target = program.symbols.resolveCall(t.target, { module: mod, fn: program.enclosingFunction(mod.file, t.range.start.line) });
      if (!target) continue;
      const key = `${mod.file}|${t.boundTo}`;
      out.set(key, [...(out.get(key) ?? []), target.fn]);
    }
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
