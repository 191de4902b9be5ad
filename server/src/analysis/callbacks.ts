// Code Python runs on a thread that never called it: `__del__` finalizers, weakref and GC
// callbacks, signal handlers, and logging handlers reached from log calls made under a lock.
// Finds those entry points and the non-reentrant locks they may take.

import type { CallFact, ImportFact } from './events';
import type { Holding, Program, Taken } from './program';
import { dottedName, refText } from './python/refs';
import type { FunctionInfo, ModuleInfo } from './symbols';
import type { Location } from './types';
import { generatorCleanupLocks } from './generatorCleanup';

/** How the re-entry happens. */
export type Mechanism = 'finalizer' | 'weakref' | 'gc' | 'signal' | 'logging' | 'generator';

/** One entry point and a non-reentrant lock it takes that normal code also holds. */
export interface Reentry {
  mechanism: Mechanism;
  entry: FunctionInfo;
  takes: Taken;
  /** Where normal code holds the lock (for logging: around the log call). */
  heldAt: { site: Location; fn: FunctionInfo }[];
  /** For logging: the log call made while holding the lock. */
  logCall?: Location;
  /** Where the entry point is registered (`signal.signal(...)`, `weakref.finalize(...)`). */
  registeredAt?: Location;
}

const REGISTRARS: Record<string, { mechanism: Mechanism; arg: number }> = {
  'weakref.ref': { mechanism: 'weakref', arg: 1 },
  'weakref.finalize': { mechanism: 'weakref', arg: 1 },
  'weakref.WeakMethod': { mechanism: 'weakref', arg: 1 },
  'multiprocessing.util.Finalize': { mechanism: 'weakref', arg: 1 },
  'gc.callbacks.append': { mechanism: 'gc', arg: 0 },
  'signal.signal': { mechanism: 'signal', arg: 1 },
};

const LOG_METHODS = new Set(['debug', 'info', 'warning', 'warn', 'error', 'exception', 'critical', 'fatal', 'log']);
const HANDLER_METHODS = new Set(['emit', 'handle', 'filter']);

/** Every entry point that may re-enter a lock its thread already holds. */
export function findReentries(program: Program): Reentry[] {
  const out: Reentry[] = [];
  for (const { entry, mechanism, registeredAt } of entryPoints(program)) {
    for (const takes of program.takenBy(entry.key)) addReentry(program, out, { entry, mechanism, registeredAt }, takes);
  }
  for (const { entry, takes } of generatorCleanupLocks(program)) addReentry(program, out, { entry, mechanism: 'generator' }, takes);
  return [...out, ...loggingReentries(program)];
}

/** An entry point's lock, when it is not reentrant and normal code elsewhere holds it. */
function addReentry(program: Program, out: Reentry[], e: EntryPoint, takes: Taken): void {
  if (takes.lock.reentrant || takes.inst.startsWith('?')) return;
  const heldAt = holdingSites(program, takes.lock.id).filter((h) => h.fn !== e.entry && h.fn !== takes.fn);
  if (heldAt.length) out.push({ mechanism: e.mechanism, entry: e.entry, takes, heldAt: heldAt.slice(0, 3), registeredAt: e.registeredAt });
}

function importsOf(mod: ModuleInfo): Map<string, ImportFact> {
  return new Map(mod.facts.imports.map((i) => [i.local, i]));
}

type EntryPoint = { entry: FunctionInfo; mechanism: Mechanism; registeredAt?: Location };

function entryPoints(program: Program): EntryPoint[] {
  return program.keyedScan('entryPoints', '', (file) => fileEntryPoints(program, program.symbols.modules.get(file)!).map((e) => ['', e]));
}

/** One file's finalizers and registered callbacks. */
function fileEntryPoints(program: Program, mod: ModuleInfo): EntryPoint[] {
  const out: EntryPoint[] = [];
  for (const f of mod.facts.functions) {
    const fn = f.name === '__del__' ? program.functionOf(mod.file, f.id) : undefined;
    if (fn?.cls) out.push({ entry: fn, mechanism: 'finalizer' });
  }
  const imports = importsOf(mod);
  for (const c of mod.facts.calls) {
    const reg = REGISTRARS[dottedName(c.callee, imports) ?? ''];
    const arg = reg && c.args[reg.arg];
    if (!reg || !arg) continue;
    const caller = program.functionOf(mod.file, c.functionId);
    const target = caller && program.symbols.resolveCall(arg, program.scopeOf(caller));
    if (target) out.push({ entry: target.fn, mechanism: reg.mechanism, registeredAt: { file: mod.file, range: c.range } });
  }
  return out;
}

/** Where normal code acquires a lock (at most ten sites, in program order). */
function holdingSites(program: Program, lockId: string): { site: Location; fn: FunctionInfo }[] {
  return program.keyedScan('holdingSites', lockId, (file) => fileHoldingSites(program, program.symbols.modules.get(file)!)
    .map(({ id, site, fn }) => [id, { site, fn }])).slice(0, 10);
}

/** One file's blocking acquisitions, resolved. */
function fileHoldingSites(program: Program, mod: ModuleInfo): { id: string; site: Location; fn: FunctionInfo }[] {
  const out: { id: string; site: Location; fn: FunctionInfo }[] = [];
  for (const a of mod.facts.acquires) {
    const fn = program.functionOf(mod.file, a.functionId);
    const r = fn && a.blocking ? program.resolve(fn, a.lock) : undefined;
    if (fn && r) out.push({ id: r.lock.id, site: { file: mod.file, range: a.range }, fn });
  }
  return out;
}

/** Log calls made while holding a lock that a logging handler of the analyzed code takes. */
function loggingReentries(program: Program): Reentry[] {
  const handlers = loggingHandlers(program);
  if (handlers.length === 0) return [];
  const out: Reentry[] = [];
  for (const { c, fn, held } of program.keyedScan('logCalls', '', (file) => logCalls(program, program.symbols.modules.get(file)!))) {
    for (const h of held) out.push(...handlersTaking(program, handlers, h, fn, { file: fn.module.file, range: c.range }));
  }
  return out;
}

type LogCall = { c: CallFact; fn: FunctionInfo; held: Holding[] };

/** One file's log calls (`logger.info(...)`) made while holding locks, with what they hold. */
function logCalls(program: Program, mod: ModuleInfo): [string, LogCall][] {
  const out: [string, LogCall][] = [];
  for (const c of mod.facts.calls) {
    if (c.callee.kind !== 'attr' || !LOG_METHODS.has(c.callee.attr) || !isLogger(refText(c.callee.base))) continue;
    const fn = program.functionOf(mod.file, c.functionId);
    const held = fn ? program.heldAt(fn, mod.file, c.held, c.range.start) : [];
    if (fn && held.length) out.push(['', { c, fn, held }]);
  }
  return out;
}

function handlersTaking(program: Program, handlers: FunctionInfo[], h: Holding, fn: FunctionInfo, logCall: Location): Reentry[] {
  if (h.lock.reentrant) return [];
  const out: Reentry[] = [];
  for (const entry of handlers) {
    const takes = program.takenBy(entry.key).find((t) => t.lock.id === h.lock.id);
    if (takes) out.push({ mechanism: 'logging', entry, takes, heldAt: [{ site: h.site, fn }], logCall });
  }
  return out;
}

function isLogger(base: string): boolean {
  return base === 'logging' || /(^|\.)_*(log|logger|LOG|LOGGER|log_|logger_)\w*$/i.test(base) || /getLogger\(/.test(base);
}

/** `emit`/`handle`/`filter` of classes deriving (by name) from logging's Handler or Filter. */
function loggingHandlers(program: Program): FunctionInfo[] {
  return program.keyedScan('loggingHandlers', '', (file): [string, FunctionInfo][] => {
    const mod = program.symbols.modules.get(file)!;
    if (mod.name === 'logging' || mod.name.startsWith('logging.')) return [];
    const own: [string, FunctionInfo][] = [];
    for (const cls of mod.classes.values()) {
      if (!derivesFromLogging(program, cls)) continue;
      for (const [name, m] of cls.methods) if (HANDLER_METHODS.has(name)) own.push(['', m]);
    }
    return own;
  });
}

function derivesFromLogging(program: Program, cls: Parameters<Program['symbols']['basesOf']>[0], depth = 0): boolean {
  if (depth > 5) return false;
  if (cls.baseNames.some((b) => /Handler$|^Filter$/.test(b))) return true;
  return program.symbols.basesOf(cls).some((b) => derivesFromLogging(program, b, depth + 1));
}
