// Two locks of one family held by locals that one call made and keeps to itself (F8 of
// docs/realcode-findings.md): `a = SerializableLock(); b = SerializableLock(); with a: with b:`.
// The objects are new in this call and never handed on, so no other thread can take them, in
// either order: the nesting is not a potential inversion. Decided on the function's text, and
// only when it is plain: each name is bound once by a constructor call and used once more.

import type { Program } from './program';
import type { FunctionInfo } from './symbols';

/** Whether `held` and `taken` (instance expressions) are both such fresh, unshared locals of `fn`. */
export function freshLocalPair(program: Program, fn: FunctionInfo, held: string, taken: string): boolean {
  if (fn.fact.id === '<module>' || held === taken || !isLocalName(fn, held) || !isLocalName(fn, taken)) return false;
  const text = bodyText(program, fn);
  return text !== undefined && isFresh(text, held) && isFresh(text, taken);
}

function isLocalName(fn: FunctionInfo, name: string): boolean {
  return /^[A-Za-z_]\w*$/.test(name) && name !== fn.selfName && !fn.fact.params.includes(name);
}

/** Bound once by `name = Something(...)`, and named once more (the `with`), nowhere else. */
function isFresh(text: string, name: string): boolean {
  const bound = text.match(new RegExp(`^[ \\t]*${name}[ \\t]*=[ \\t]*[A-Za-z_][\\w.]*\\(`, 'gm'))?.length ?? 0;
  const uses = text.match(new RegExp(`(?<![\\w.])${name}(?!\\w)`, 'g'))?.length ?? 0;
  return bound === 1 && uses === 2;
}

function bodyText(program: Program, fn: FunctionInfo): string | undefined {
  const text = program.textOf(fn.module.file);
  if (!text) return undefined;
  const { start, end } = fn.fact.range;
  return text.split('\n').slice(start.line, end.line + 1).join('\n');
}
