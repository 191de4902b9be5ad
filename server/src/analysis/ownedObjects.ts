// Objects a class keeps to itself (F4 of docs/realcode-findings.md): `self.in_buffer = Pipe()`
// where nothing else in the program ever reads `.in_buffer` except the class's own methods
// through `self`, nothing hands the pipe out and the pipe does not hand itself out. A thread
// holding such an object's lock is inside a method of the object called through its owner, so
// the owner is alive and its finalizer cannot run: the S2, one ownership step further.

import { MODULE_FUNCTION, type Ref } from './events';
import type { Taken } from './model';
import type { Program } from './program';
import type { ClassInfo, FunctionInfo } from './symbols';
import type { LockClass } from './types';

/** Builtins that look at an object without keeping it (`len(self.buf)`). */
const LOOKING = new Set(['len', 'str', 'repr', 'bool', 'id', 'isinstance', 'hasattr', 'getattr', 'type', 'hash', 'super']);

/**
 * Whether a finalizer's lock belongs to an object its own object owns: the lock's instance is
 * `self.a` (or `self.a.b`, each step owned by the previous one) and it is that object's own
 * instance lock. For an inherited finalizer, `subclass` is the class of the object finalized.
 */
export function ownedObjectLock(program: Program, entry: FunctionInfo, takes: Taken, subclass?: ClassInfo): boolean {
  const parts = takes.inst.split('.');
  if (!entry.cls || !entry.selfName || !takes.lock.family || parts.length < 2 || parts[0] !== entry.selfName) return false;
  let holder: ClassInfo = subclass ?? entry.cls;
  for (const attr of parts.slice(1)) {
    if (!/^\w+$/.test(attr)) return false;
    const owned = ownedClass(program, holder, attr);
    if (!owned || leaksItself(program, owned, takes.lock)) return false;
    holder = owned;
  }
  return definesLock(program, holder, takes.lock);
}

/** The analyzed class of `holder`'s attribute, when `holder` builds it and keeps it to itself. */
function ownedClass(program: Program, holder: ClassInfo, attr: string): ClassInfo | undefined {
  const { symbols } = program;
  const typed = symbols.findInClass(holder, (c) => {
    const type = c.attrTypes.get(attr);
    return type && { type, c };
  });
  const sym = typed && symbols.symbolOfRef(typed.type, { module: typed.c.module });
  if (sym?.kind !== 'class' || !keptPrivate(program, holder, attr)) return undefined;
  return sym.cls;
}

/** Whether every use of `.attr` in the program is its holder's own, through `self`, and harmless. */
function keptPrivate(program: Program, holder: ClassInfo, attr: string): boolean {
  const key = `${holder.key}.${attr}`;
  let cache = privateCache.get(program);
  // An edit re-linked in place may change any use: start again after each.
  if (!cache || cache.edits !== program.inPlaceUpdates) privateCache.set(program, (cache = { edits: program.inPlaceUpdates, kept: new Map() }));
  let kept = cache.kept.get(key);
  if (kept === undefined) cache.kept.set(key, (kept = scanUses(program, holder, attr)));
  return kept;
}

const privateCache = new WeakMap<Program, { edits: number; kept: Map<string, boolean> }>();

function scanUses(program: Program, holder: ClassInfo, attr: string): boolean {
  const use = new RegExp(`(\\w*)\\s*\\.\\s*${attr}\\b`, 'g');
  // Every use holds `.attr`: a text without one is skipped (quicker to find than a use, which may start at any word).
  const dotted = new RegExp(`\\.\\s*${attr}\\b`);
  let built = false;
  for (const mod of program.symbols.modules.values()) {
    const text = program.textOf(mod.file);
    if (!text.includes(attr) || !dotted.test(text)) continue;
    const lines = lineStarts(text);
    for (const m of text.matchAll(use)) {
      const start = m.index ?? 0;
      const line = lineOf(lines, start);
      if (text.slice(lines[line], start).includes('#')) continue; // a comment
      const method = methodAt(program, mod.file, line);
      if (method?.fact.id === MODULE_FUNCTION && m[1] === 'self') continue; // module text: a docstring
      if (!method?.cls || m[1] !== method.selfName) return false;
      if (!related(program, method.cls, holder)) continue; // another class's own attribute of that name
      const before = text.slice(Math.max(0, start - 40), start);
      const after = text.slice(start + m[0].length, start + m[0].length + 80);
      const how = useKind(before, after);
      if (how === 'store' && !buildsHere(program, mod.file, line, attr)) return false;
      if (how === 'store') built = true;
      if (how === 'out') return false;
    }
  }
  return built;
}

/** How `self.attr` is used, from the text around it: looked into, stored, or handed out. */
function useKind(before: string, after: string): 'look' | 'store' | 'out' {
  if (/^\s*=(?!=)/.test(after)) return /^\s*=\s*None\b/.test(after) ? 'look' : 'store';
  if (/^\s*[.[(]/.test(after) || /^\s*(is|==|!=|<|>)/.test(after)) return 'look';
  if (/\b(if|elif|while|not|and|or|assert|del)\s+$/.test(before)) return 'look';
  const call = /\b(\w+)\(\s*$/.exec(before);
  if (call && LOOKING.has(call[1]) && /^\s*[),]/.test(after)) return 'look';
  return 'out';
}

/** Whether the assignment on `line` builds an analyzed class's instance right there (`self.x = Pipe()`). */
function buildsHere(program: Program, file: string, line: number, attr: string): boolean {
  const mod = program.symbols.modules.get(file)!;
  return mod.facts.types.some((t) => t.owner === 'instance' && t.name === attr && !!t.range
    && t.range.start.line === line && program.symbols.symbolOfRef(t.type, { module: mod })?.kind === 'class');
}

/** The method a line belongs to (the method around a nested function or lambda). */
function methodAt(program: Program, file: string, line: number): FunctionInfo | undefined {
  let fn = program.enclosingFunction(file, line);
  while (fn && !fn.cls && fn.fact.parent) fn = program.symbols.functionIn(file, fn.fact.parent);
  return fn;
}

/** A class and another in one hierarchy (either derives from the other). */
function related(program: Program, a: ClassInfo, b: ClassInfo): boolean {
  const { symbols } = program;
  return a === b || !!symbols.findInClass(a, (k) => (k === b ? k : undefined)) || !!symbols.findInClass(b, (k) => (k === a ? k : undefined));
}

/** Whether the class (or a base) creates this lock as an instance attribute. */
function definesLock(program: Program, cls: ClassInfo, lock: LockClass): boolean {
  return !!program.symbols.findInClass(cls, (c) => [...c.lockAttrs.values()]
    .find((d) => d.target.scope === 'instance' && program.symbols.lockClassOf(d, c.module)?.id === lock.id));
}

/**
 * Whether an object of this class hands itself or its lock out, so another thread may hold the
 * lock without going through the owner: `self` (or its lock, or a bound method that takes the
 * lock, such as a thread target) passed to a call, or returned.
 */
function leaksItself(program: Program, cls: ClassInfo, lock: LockClass): boolean {
  const classes = new Set<ClassInfo>([cls, ...ancestors(program, cls)]);
  for (const c of classes) {
    const facts = c.module.facts;
    for (const fn of c.methods.values()) {
      const self = fn.selfName;
      if (!self) continue;
      const inside = (id: string) => id === fn.fact.id || id.startsWith(`${fn.fact.id}.`);
      const leaks = (r: Ref) => r.kind === 'name' ? r.name === self
        : r.kind === 'attr' && r.base.kind === 'name' && r.base.name === self && takesLock(program, c, r.attr, lock);
      for (const call of facts.calls) {
        if (!inside(call.functionId)) continue;
        const name = call.callee.kind === 'name' ? call.callee.name : '';
        if (LOOKING.has(name)) continue;
        if ([...call.args, ...Object.values(call.kwargs ?? {})].some(leaks)) return true;
      }
      if (facts.aliases.some((a) => inside(a.functionId) && a.name === 'return' && leaks(a.value))) return true;
      if (facts.threads.some((t) => t.range.start.line >= fn.fact.range.start.line && t.range.end.line <= fn.fact.range.end.line && leaks(t.target))) return true;
    }
  }
  return false;
}

/** `self.name` is the lock itself, or a method that takes it. */
function takesLock(program: Program, cls: ClassInfo, name: string, lock: LockClass): boolean {
  const { symbols } = program;
  const def = symbols.findInClass(cls, (c) => c.lockAttrs.get(name) && { d: c.lockAttrs.get(name)!, c });
  if (def && symbols.lockClassOf(def.d, def.c.module)?.id === lock.id) return true;
  const m = symbols.findInClass(cls, (c) => c.methods.get(name));
  return !!m && program.takenBy(m.key).some((t) => t.lock.id === lock.id);
}

function ancestors(program: Program, cls: ClassInfo, depth = 0): ClassInfo[] {
  if (depth > 8) return [];
  return program.symbols.basesOf(cls).flatMap((b) => [b, ...ancestors(program, b, depth + 1)]);
}

function lineStarts(text: string): number[] {
  const out = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) out.push(i + 1);
  return out;
}

function lineOf(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
