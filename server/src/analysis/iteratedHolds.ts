// FN3 of docs/realcode-findings.md: a loop over a generator that holds a `Lock` at each of its
// `yield`s runs its body with that lock held (the suspended generator holds it for this thread).
// A body that takes the same lock again, directly or through calls, waits for itself: pyroute2's
// generator mode hangs so when a request is made while iterating another on the same socket.

import type { Program, Reacquire, ResolvedCall, Taken } from './program';
import type { FunctionInfo } from './symbols';
import { heldWhileIterating, sameRange } from './heldSubgenerators';
import { mapInstance } from './summaries';
import type { Range } from './types';

/** Re-acquisitions, in the bodies of loops over generators, of the lock those generators hold. */
export function iteratedReacquires(program: Program): Reacquire[] {
  const out: Reacquire[] = [];
  for (const mod of program.symbols.modules.values()) {
    for (const f of mod.facts.functions) {
      const fn = f.loops?.length ? program.functionOf(mod.file, f.id) : undefined;
      if (!fn) continue;
      const callees = program.calleesOf(fn.key);
      for (const loop of f.loops!) {
        const held = heldWhileIterating(program, callees, loop.over, true);
        if (held.length === 0) continue;
        const generator = callees.find((c) => sameRange(c.fact.range, loop.over))!.callee;
        const iterated = { generator, loop: { file: mod.file, range: loop.over } };
        for (const again of takenIn(program, fn, callees, loop.body)) {
          const h = held.find((x) => x.lock.id === again.lock.id && x.inst === again.inst);
          if (h) out.push({ held: h, again, fn, at: again.chain[0] ?? again.site, iterated });
        }
      }
    }
  }
  return out;
}

/** The locks `fn` takes within `body`: its own blocking acquisitions there, and through the calls it makes there. */
function takenIn(program: Program, fn: FunctionInfo, callees: ResolvedCall[], body: Range): Taken[] {
  const file = fn.module.file;
  const out: Taken[] = [];
  for (const a of fn.module.facts.acquires) {
    if (a.functionId !== fn.fact.id || !a.blocking || !inside(a.range, body)) continue;
    const r = program.resolve(fn, a.lock);
    if (r) out.push({ lock: r.lock, inst: r.inst, site: { file, range: a.range }, via: a.via, fn, chain: [], byName: r.byName });
  }
  for (const c of callees) {
    if (!inside(c.fact.range, body) || c.byName) continue;
    for (const t of program.takenBy(c.callee.key)) {
      const inst = mapInstance(t.inst, c.receiver, c.callee.selfName);
      out.push({ ...t, inst, chain: [{ file, range: c.fact.range }, ...t.chain] });
    }
  }
  return out.filter((t) => !t.byName);
}

function inside(r: Range, body: Range): boolean {
  const after = (a: Range['start'], b: Range['start']) => a.line > b.line || (a.line === b.line && a.character >= b.character);
  return after(r.start, body.start) && after(body.end, r.end);
}
