// The program's calls by their callee's last name (`m` for `obj.m()`), so a rule looking for
// calls of a few names reads those calls instead of every call of every file.

import type { CallFact } from './events';
import type { Program } from './program';
import { calleeName } from './relevance';
import type { ModuleInfo } from './symbols';

/** A call of the program, with its module. */
export interface NamedCall {
  mod: ModuleInfo;
  call: CallFact;
}

interface Index {
  /** After how many in-place edits it was made (an edit changes calls). */
  edits: number;
  /** Every named call, and its module at the same position. */
  calls: CallFact[];
  mods: ModuleInfo[];
  /** Name → positions in `calls` (ascending). */
  byName: Map<string, number[]>;
}

const indexes = new WeakMap<Program, Index>();

/** The calls of any of these names, in program order (module by module, each in its facts' order). */
export function callsNamed(program: Program, names: ReadonlySet<string>): NamedCall[] {
  const index = indexOf(program);
  const at: number[] = [];
  for (const name of names) for (const i of index.byName.get(name) ?? []) at.push(i);
  at.sort((a, b) => a - b);
  return at.map((i) => ({ mod: index.mods[i], call: index.calls[i] }));
}

function indexOf(program: Program): Index {
  let index = indexes.get(program);
  if (index && index.edits === program.inPlaceUpdates) return index;
  index = { edits: program.inPlaceUpdates, calls: [], mods: [], byName: new Map() };
  for (const mod of program.symbols.modules.values()) {
    for (const call of mod.facts.calls) {
      const name = calleeName(call.callee);
      if (name === undefined) continue;
      const list = index.byName.get(name);
      if (list) list.push(index.calls.length);
      else index.byName.set(name, [index.calls.length]);
      index.calls.push(call);
      index.mods.push(mod);
    }
  }
  indexes.set(program, index);
  return index;
}
