// Waits reached through calls: `with self._lock: self.monitor.stop()` where `stop()` joins the
// monitor's thread. A function that waits for a thread, a task or an executor (directly, or
// through the functions it calls, a few levels deep) makes each call to it a wait of its caller.

import type { CallFact } from './events';
import type { Program } from './program';
import { refText } from './refText';
import { callsNamed } from './callNames';
import type { FunctionInfo, ModuleInfo } from './symbols';
import type { Location } from './types';
import { awaitedBy, isBlockingWait, type Awaited } from './waitTargets';

/** How deep calls are followed from a lock holder down to the wait. */
const MAX_DEPTH = 3;

/** A wait inside a function: where it is, on what, and for whom. */
export interface InnerWait extends Awaited {
  at: Location;
  receiver: string;
  /** The function that makes the wait call. */
  waiter: FunctionInfo;
}

/** A call made under locks to a function that waits, with what it waits for. */
export interface WaitThroughCall {
  call: CallFact;
  fn: FunctionInfo;
  through: FunctionInfo;
  wait: InnerWait;
}

/** Thread and task starts of a module by the name they are stored under (`file|name` → targets). */
export type StartsOf = (mod: ModuleInfo) => Map<string, FunctionInfo[]>;

/** Every call made under a lock that reaches, through calls, a wait for other threads. */
export function waitsThroughCalls(program: Program, startsOf: StartsOf): WaitThroughCall[] {
  const waiters = directWaiters(program, startsOf);
  if (waiters.size === 0) return [];
  for (let depth = 1; depth < MAX_DEPTH; depth++) if (!spread(program, waiters)) break;
  const names = new Set([...waiters.values()].map((w) => w.fn.fact.name));
  const out: WaitThroughCall[] = [];
  for (const { mod, call } of callsNamed(program, names)) {
    // Made under a lock: a candidate for a wait reached through calls.
    if (call.held.length === 0) continue;
    const fn = program.functionOf(mod.file, call.functionId);
    const callee = fn && program.symbols.resolveCall(call.callee, program.scopeOf(fn));
    const found = callee && !callee.byName ? waiters.get(callee.fn.key) : undefined;
    if (fn && found) for (const wait of found.waits) out.push({ call, fn, through: found.fn, wait });
  }
  return out;
}

/** Methods that wait for a thread, a task or an executor. */
const THREAD_WAITS = new Set(['join', 'result', 'shutdown']);

interface Waiter {
  fn: FunctionInfo;
  waits: InnerWait[];
}

/** Functions that make a blocking wait for threads or tasks themselves (held lock or not). */
function directWaiters(program: Program, startsOf: StartsOf): Map<string, Waiter> {
  const out = new Map<string, Waiter>();
  let startsMod: ModuleInfo | undefined;
  let starts: Map<string, FunctionInfo[]> | undefined;
  for (const { mod, call: c } of callsNamed(program, THREAD_WAITS)) {
    if (c.callee.kind !== 'attr' || !isBlockingWait(program, mod.file, c)) continue;
    const fn = program.functionOf(mod.file, c.functionId);
    if (!fn || fn.fact.id === '<module>') continue;
    const receiver = refText(c.callee.base);
    if (startsMod !== mod) [startsMod, starts] = [mod, startsOf(mod)];
    const awaited = awaitedBy(program, fn, c, starts!.get(`${mod.file}|${receiver}`) ?? []);
    if (!awaited?.others.length) continue;
    const waiter = out.get(fn.key) ?? { fn, waits: [] };
    waiter.waits.push({ ...awaited, at: { file: mod.file, range: c.range }, receiver, waiter: fn });
    out.set(fn.key, waiter);
  }
  return out;
}

/** One more level: functions calling a waiter (outside any lock) wait too. Returns whether any was added. */
function spread(program: Program, waiters: Map<string, Waiter>): boolean {
  const names = new Set([...waiters.values()].map((w) => w.fn.fact.name));
  let added = false;
  for (const { mod, call: c } of callsNamed(program, names)) {
    const fn = program.functionOf(mod.file, c.functionId);
    if (!fn || fn.fact.id === '<module>' || waiters.has(fn.key)) continue;
    const callee = program.symbols.resolveCall(c.callee, program.scopeOf(fn));
    const inner = callee && !callee.byName ? waiters.get(callee.fn.key) : undefined;
    if (!inner || inner.fn === fn) continue;
    waiters.set(fn.key, { fn, waits: inner.waits });
    added = true;
  }
  return added;
}
