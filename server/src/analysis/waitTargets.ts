// Whom a blocking wait waits for, beyond threads stored where they are started: the `run()` of
// a `Thread` subclass instance (`self._worker = Worker(); ...; self._worker.join()`), every task
// submitted to an executor (`executor.shutdown()` waits for them), the consumers that mark a
// queue's items done (`q.join()`), and waits reached through calls (`self.monitor.stop()`
// joining its thread while the caller holds a lock).

import type { CallFact } from './events';
import type { Program } from './program';
import { refText } from './refText';
import type { FunctionInfo, ModuleInfo } from './symbols';
import { isThreadClass } from './threads';

/** What a wait call waits on: its kind and the functions whose progress it needs. */
export interface Awaited {
  /** `await` (TS/JS): a promise a call started; `settle`: a promise settled by calling its stored resolver; `notify`: an `Atomics.wait` a worker's `Atomics.notify` ends. */
  kind: 'join' | 'result' | 'get' | 'wait' | 'shutdown' | 'queue join' | 'await' | 'settle' | 'notify';
  others: FunctionInfo[];
}

/** Methods whose call waits for other threads, without a timeout. */
export const WAIT_METHODS = new Set(['join', 'result', 'get', 'wait', 'shutdown']);

/** Whether a call waits without a timeout: `t.join()`, `q.get()`, `executor.shutdown()` (not `wait=False`). */
export function isBlockingWait(program: Program, file: string, c: CallFact): boolean {
  if (c.callee.kind !== 'attr' || !WAIT_METHODS.has(c.callee.attr)) return false;
  if (c.callee.attr === 'get') return c.args.length === 0 && !c.keywords?.length;
  if (c.callee.attr !== 'shutdown') return c.args.length === 0 && !c.keywords?.includes('timeout');
  if (c.args.length === 0 && !c.keywords?.length) return true;
  return /^[^(]*\(\s*(wait\s*=\s*)?True\b/.test(callText(program, file, c));
}

/** The threads a `receiver.join()` joins that no `receiver = Thread(target=...)` names: a Thread subclass's `run`. */
export function threadRunOf(program: Program, fn: FunctionInfo, c: CallFact): FunctionInfo[] {
  if (c.callee.kind !== 'attr') return [];
  const typed = program.symbols.classOfExpr(c.callee.base, program.scopeOf(fn));
  if (!typed || typed.byName || !isThreadClass(program.symbols, typed.cls)) return [];
  const run = program.symbols.findInClass(typed.cls, (k) => k.methods.get('run'));
  return run ? [run] : [];
}

/** The functions submitted (`submit`, `map`) to the executor named `receiver` in a module. */
export function submittedTo(program: Program, mod: ModuleInfo, receiver: string): FunctionInfo[] {
  const out = new Set<FunctionInfo>();
  for (const t of mod.facts.threads) {
    if (t.how !== 'submit') continue;
    const call = mod.facts.calls.find((c) => c.range.start.line === t.range.start.line
      && c.range.start.character === t.range.start.character);
    if (call?.callee.kind !== 'attr' || refText(call.callee.base) !== receiver) continue;
    const scope = program.scopeOf(program.enclosingFunction(mod.file, t.range.start.line)!);
    const target = program.symbols.resolveCall(t.target, scope);
    if (target) out.add(target.fn);
  }
  return [...out];
}

/** A wait call's own functions to wait for, when the usual thread starts name none. */
export function awaitedBy(program: Program, fn: FunctionInfo, c: CallFact, started: FunctionInfo[]): Awaited | undefined {
  if (c.callee.kind !== 'attr') return undefined;
  const method = c.callee.attr;
  const receiver = refText(c.callee.base);
  if (method === 'shutdown') return { kind: 'shutdown', others: submittedTo(program, fn.module, receiver) };
  if (method !== 'join' && method !== 'result') return undefined;
  if (started.length) return { kind: method, others: started };
  if (method === 'result') return undefined;
  const run = threadRunOf(program, fn, c);
  if (run.length) return { kind: 'join', others: run };
  const consumers = callersOf(program, fn.module, receiver, 'task_done');
  return consumers.length ? { kind: 'queue join', others: consumers } : undefined;
}

/** Functions of a module that call `receiver.method(...)`. */
export function callersOf(program: Program, mod: ModuleInfo, receiver: string, method: string): FunctionInfo[] {
  const out = new Set<FunctionInfo>();
  for (const c of mod.facts.calls) {
    if (c.callee.kind !== 'attr' || c.callee.attr !== method || refText(c.callee.base) !== receiver) continue;
    const f = program.functionOf(mod.file, c.functionId);
    if (f) out.add(f);
  }
  return [...out];
}

function callText(program: Program, file: string, c: CallFact): string {
  const lines = program.textOf(file).split('\n').slice(c.range.start.line, c.range.end.line + 1);
  if (lines.length === 0) return '';
  lines[lines.length - 1] = lines[lines.length - 1].slice(0, c.range.end.character);
  lines[0] = lines[0].slice(c.range.start.character);
  return lines.join('\n');
}
