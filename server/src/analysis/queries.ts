// Questions asked of the linked program from outside the rules: which lock is at a position
// (hover), which locks come before and after it, and where a lock class is defined (fixes).

import type { LockDefFact } from './events';
import type { Program } from './program';
import type { ModuleInfo } from './symbols';
import type { LockClass, Position, Range } from './types';

/** The resolved lock whose reference or definition covers a position. */
export function lockAt(program: Program, file: string, pos: Position): { lock: LockClass; range: Range } | undefined {
  const mod = program.symbols.modules.get(file);
  if (!mod) return undefined;
  const inside = (r: Range) => before(r.start, pos) && before(pos, r.end);
  for (const a of mod.facts.acquires) {
    if (!inside(a.range)) continue;
    const fn = program.functionOf(file, a.functionId);
    const r = fn && program.resolve(fn, a.lock);
    if (r) return { lock: r.lock, range: a.range };
  }
  for (const d of mod.facts.lockDefs) {
    if (!inside(d.statementRange)) continue;
    const lock = program.symbols.lockClassOf(d, mod);
    if (lock) return { lock, range: d.statementRange };
  }
  return undefined;
}

/** Locks taken before (held when it is taken) or after (taken while it is held) a lock, with counts. */
export function neighbours(program: Program, lockId: string, side: 'before' | 'after'): [LockClass, number][] {
  const counts = new Map<string, [LockClass, number]>();
  for (const e of program.edges) {
    const [self, other] = side === 'after' ? [e.from, e.to] : [e.to, e.from];
    if (self.lock.id !== lockId || other.lock.id === lockId) continue;
    const entry = counts.get(other.lock.id) ?? [other.lock, 0];
    entry[1]++;
    counts.set(other.lock.id, entry);
  }
  return [...counts.values()].sort((a, b) => b[1] - a[1]);
}

/** Where a lock class is defined, for fixes at its constructor. */
export function defOf(program: Program, lockId: string): { def: LockDefFact; module: ModuleInfo } | undefined {
  for (const module of program.symbols.modules.values()) {
    for (const def of module.facts.lockDefs) {
      if (program.symbols.lockClassOf(def, module)?.id === lockId && !def.wraps) return { def, module };
    }
  }
  return undefined;
}

function before(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.character <= b.character);
}
