// Code Python runs on a thread that never called it: `__del__` finalizers, weakref and GC
// callbacks, signal handlers, and logging handlers reached from log calls made under a lock.
// Finds those entry points and the non-reentrant locks they may take.

import type { CallFact, ImportFact } from './events';
import type { Holding, Program, Taken } from './program';
import { dottedName, refText } from './refText';
import type { ClassInfo, FunctionInfo, ModuleInfo } from './symbols';
import { mapInstance } from './summaries';
import type { Location } from './types';
import { generatorCleanupLocks } from './generatorCleanup';
import { ownedObjectLock } from './ownedObjects';
import { feasibleTaken } from './flagPaths';

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
  /** For an inherited finalizer: the analyzed subclass whose override of a called method takes the lock. */
  subclass?: ClassInfo;
}

const REGISTRARS: Record<string, { mechanism: Mechanism; arg: number }> = {
  'weakref.ref': { mechanism: 'weakref', arg: 1 },
  'weakref.finalize': { mechanism: 'weakref', arg: 1 },
  'weakref.WeakMethod': { mechanism: 'weakref', arg: 1 },
  'multiprocessing.util.Finalize': { mechanism: 'weakref', arg: 1 },
  'gc.callbacks.append': { mechanism: 'gc', arg: 0 },
  'signal.signal': { mechanism: 'signal', arg: 1 },
};

/** The last names of the registrars (`finalize` of `weakref.finalize`). */
const REGISTRAR_ATTRS = new Set(Object.keys(REGISTRARS).map((name) => name.slice(name.lastIndexOf('.') + 1)));

const LOG_METHODS = new Set(['debug', 'info', 'warning', 'warn', 'error', 'exception', 'critical', 'fatal', 'log']);
const HANDLER_METHODS = new Set(['emit', 'handle', 'filter']);

/** Every entry point that may re-enter a lock its thread already holds. */
export function findReentries(program: Program): Reentry[] {
  const out: Reentry[] = [];
  for (const { entry, mechanism, registeredAt } of entryPoints(program)) {
    // A subclass's override reached from the entry's `self.m()` is the finalizer's concern only for that subclass (overridesTaken).
    const taken: { takes: Taken; subclass?: ClassInfo }[] = program.takenBy(entry.key).filter((t) => !t.strictSelf).map((takes) => ({ takes }));
    if (mechanism === 'finalizer') taken.push(...overridesTaken(program, entry));
    for (const { takes, subclass } of taken) addReentry(program, out, { entry, mechanism, registeredAt }, takes, subclass);
  }
  for (const { entry, takes } of generatorCleanupLocks(program)) addReentry(program, out, { entry, mechanism: 'generator' }, takes);
  return [...out, ...loggingReentries(program)];
}

/**
 * A finalizer taking its own object's instance lock through `self`, a lock only the class's
 * own methods hold, or the lock of an object it owns (ownedObjects.ts): a thread holding it is
 * inside a method of the object, so the object is alive and cannot be finalized.
 */
function ownLock(program: Program, entry: FunctionInfo, mechanism: Mechanism, takes: Taken, heldAt: { fn: FunctionInfo }[], subclass?: ClassInfo): boolean {
  const cls = entry.cls;
  if (mechanism === 'finalizer' && ownedObjectLock(program, entry, takes, subclass)) return true;
  if (mechanism !== 'finalizer' || !cls || !takes.lock.family || !entry.selfName || takes.inst !== entry.selfName) return false;
  const related = (c: ClassInfo | undefined) => !!c && (c === cls
    || !!program.symbols.findInClass(cls, (k) => (k === c ? k : undefined))
    || !!program.symbols.findInClass(c, (k) => (k === cls ? k : undefined)));
  return heldAt.every((h) => related(h.fn.cls));
}

/**
 * Virtual dispatch from an inherited finalizer: `self.m()` in `__del__` (or in a method it calls
 * on `self`) runs a subclass's override for an instance of that subclass. The locks those
 * overrides take, for each analyzed subclass that inherits the finalizer.
 */
function overridesTaken(program: Program, entry: FunctionInfo): { takes: Taken; subclass: ClassInfo }[] {
  const cls = entry.cls;
  if (!cls || entry.fact.name !== '__del__') return [];
  const out: { takes: Taken; subclass: ClassInfo }[] = [];
  for (const sub of subclassesOf(program, cls)) {
    if (sub.methods.has('__del__')) continue;
    for (const takes of overrideTakes(program, entry, sub, [], 0)) out.push({ takes, subclass: sub });
  }
  return out;
}

function overrideTakes(program: Program, fn: FunctionInfo, sub: ClassInfo, chain: Location[], depth: number): Taken[] {
  if (depth > 3 || !fn.selfName) return [];
  const out: Taken[] = [];
  for (const c of fn.module.facts.calls) {
    if (c.functionId !== fn.fact.id || c.callee.kind !== 'attr' || c.callee.base.kind !== 'name' || c.callee.base.name !== fn.selfName) continue;
    const name = c.callee.attr;
    const own = fn.cls && program.symbols.findInClass(fn.cls, (k) => k.methods.get(name));
    const virtual = program.symbols.findInClass(sub, (k) => k.methods.get(name));
    if (!virtual) continue;
    const at = [...chain, { file: fn.module.file, range: c.range }];
    if (virtual === own) {
      out.push(...overrideTakes(program, virtual, sub, at, depth + 1));
      continue;
    }
    for (const t of program.takenBy(virtual.key)) {
      out.push({ ...t, inst: mapInstance(t.inst, fn.selfName, virtual.selfName), chain: [...at, ...t.chain] });
    }
  }
  return out;
}

/** Analyzed classes deriving from a class, directly or not (computed once per program). */
function subclassesOf(program: Program, cls: ClassInfo): ClassInfo[] {
  let index = subclassIndex.get(program);
  if (!index) {
    index = new Map();
    for (const mod of program.symbols.modules.values()) {
      for (const c of mod.classes.values()) {
        for (const b of program.symbols.basesOf(c)) {
          const list = index.get(b);
          if (list) list.push(c);
          else index.set(b, [c]);
        }
      }
    }
    subclassIndex.set(program, index);
  }
  const out = new Set<ClassInfo>();
  const todo = [...(index.get(cls) ?? [])];
  while (todo.length && out.size < 200) {
    const c = todo.pop()!;
    if (out.has(c) || c === cls) continue;
    out.add(c);
    todo.push(...(index.get(c) ?? []));
  }
  return [...out];
}

const subclassIndex = new WeakMap<Program, Map<ClassInfo, ClassInfo[]>>();

/** An entry point's lock, when it is not reentrant, normal code elsewhere holds it, it is not the object's own (S2, F4) and some path to it can run (F6). */
function addReentry(program: Program, out: Reentry[], e: EntryPoint, found: Taken, subclass?: ClassInfo): void {
  if (found.lock.reentrant || found.inst.startsWith('?')) return;
  const heldAt = holdingSites(program, found.lock.id, e.mechanism !== 'signal').filter((h) => h.fn !== e.entry && h.fn !== found.fn);
  if (!heldAt.length || ownLock(program, e.entry, e.mechanism, found, heldAt, subclass)) return;
  // Only on a path whose `if flag:` branches can run for the constants passed along it (F6).
  const takes = subclass ? found : feasibleTaken(program, e.entry, found);
  if (!takes) return;
  out.push({ mechanism: e.mechanism, entry: e.entry, takes, heldAt: heldAt.slice(0, 3), registeredAt: e.registeredAt, subclass });
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
    // `x.m(...)` names `....m`: only a registrar's last name can make it one.
    // A bare name is one only through an import (`from weakref import finalize`).
    if (c.callee.kind === 'attr' ? !REGISTRAR_ATTRS.has(c.callee.attr) : c.callee.kind === 'name' && !imports.has(c.callee.name) && !c.callee.name.includes('.')) continue;
    const reg = REGISTRARS[dottedName(c.callee, imports) ?? ''];
    const arg = reg && c.args[reg.arg];
    if (!reg || !arg) continue;
    const caller = program.functionOf(mod.file, c.functionId);
    const target = caller && program.symbols.resolveCall(arg, program.scopeOf(caller));
    if (target) out.push({ entry: target.fn, mechanism: reg.mechanism, registeredAt: { file: mod.file, range: c.range } });
  }
  return out;
}

/**
 * Where normal code acquires a lock (at most ten sites, in program order); with `collecting`,
 * only regions where a garbage collection can start (a signal handler can run anywhere).
 */
function holdingSites(program: Program, lockId: string, collecting: boolean): { site: Location; fn: FunctionInfo }[] {
  return program.keyedScan(collecting ? 'collectingSites' : 'holdingSites', lockId,
    (file) => fileHoldingSites(program, program.symbols.modules.get(file)!, collecting)
      .map(({ id, site, fn }) => [id, { site, fn }]))
    // In file order, so the example named does not depend on the order files were added (CLI vs editor).
    .sort((a, b) => compareLocations(a.site, b.site)).slice(0, 10);
}

/**
 * One file's blocking acquisitions, resolved; with `collecting`, only those whose held region can
 * run a finalizer: it calls something, builds a container or drops a reference (`x = None`,
 * `del x`). One that only reads or assigns values cannot.
 */
function fileHoldingSites(program: Program, mod: ModuleInfo, collecting: boolean): { id: string; site: Location; fn: FunctionInfo }[] {
  const out: { id: string; site: Location; fn: FunctionInfo }[] = [];
  const calling = collecting ? regionsWithCalls(mod) : undefined;
  mod.facts.acquires.forEach((a, i) => {
    if (calling && !a.mayCollect && !calling.has(i)) return;
    const fn = program.functionOf(mod.file, a.functionId);
    const r = fn && a.blocking ? program.resolve(fn, a.lock) : undefined;
    if (fn && r) out.push({ id: r.lock.id, site: { file: mod.file, range: a.range }, fn });
  });
  return out;
}

/** Calls that cannot start a collection: they build no container and run no Python code. */
const HARMLESS_CALLS = new Set(['len', 'isinstance', 'issubclass', 'hasattr', 'id', 'callable', 'bool', 'release', 'notify', 'notify_all']);

/** The acquisitions (by index) in whose held region some call is made. */
function regionsWithCalls(mod: ModuleInfo): Set<number> {
  const out = new Set<number>();
  for (const c of mod.facts.calls) {
    if (c.held.length === 0) continue;
    const name = c.callee.kind === 'name' ? c.callee.name : c.callee.kind === 'attr' ? c.callee.attr : '';
    if (HARMLESS_CALLS.has(name)) continue;
    for (const h of c.held) out.add(h.acquireIndex);
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

function compareLocations(a: Location, b: Location): number {
  return a.file.localeCompare(b.file) || a.range.start.line - b.range.start.line
    || a.range.start.character - b.range.start.character;
}
