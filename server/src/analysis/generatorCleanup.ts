// LO107 through generators: the cleanup code of an unfinished generator (its `finally:` or
// `except GeneratorExit:` after a `yield`) runs when the generator is collected, on whichever
// thread triggered it. A non-reentrant lock taken there, that normal code also holds, can be
// taken again by its own holder: the same deadlock as a `__del__` taking it.

import type { FunctionFact } from './events';
import type { Program, Taken } from './program';
import type { FunctionInfo } from './symbols';
import type { Location, Range } from './types';
import { suspendedUnderLock } from './heldSubgenerators';

/** A generator's cleanup code taking a lock: the generator and the lock it takes there. */
export interface CleanupLock {
  entry: FunctionInfo;
  takes: Taken;
}

/** Every lock some generator's cleanup code takes, directly or through the calls made there. */
export function generatorCleanupLocks(program: Program): CleanupLock[] {
  const out: CleanupLock[] = [];
  for (const mod of program.symbols.modules.values()) {
    for (const f of mod.facts.functions) {
      if (!f.cleanup?.length || f.isAsync || drivenToEnd(f)) continue;
      const entry = program.functionOf(mod.file, f.id);
      if (!entry) continue;
      for (const takes of program.takenBy(entry.key)) {
        if (!inCleanup(takes.chain[0] ?? takes.site, f.cleanup)) continue;
        if (!suspendedUnderLock(program, entry, takes)) out.push({ entry, takes });
      }
    }
  }
  return out;
}

/**
 * Generators that a framework always finishes: a `@contextmanager` runs its `finally:` in
 * `__exit__`, a test fixture after the test, on that thread, never at collection.
 */
const DRIVEN = new Set(['contextmanager', 'asynccontextmanager', 'fixture', 'yield_fixture']);

function drivenToEnd(f: FunctionFact): boolean {
  return (f.decorators ?? []).some((d) => {
    const r = d.ref.kind === 'call' ? d.ref.callee : d.ref;
    return DRIVEN.has(r.kind === 'name' ? r.name : r.kind === 'attr' ? r.attr : '');
  });
}

function inCleanup(at: Location, cleanup: Range[]): boolean {
  return cleanup.some((r) => before(r.start, at.range.start) && before(at.range.end, r.end));
}

function before(a: Range['start'], b: Range['start']): boolean {
  return a.line < b.line || (a.line === b.line && a.character <= b.character);
}
