// Task targets that are not named directly: `functools.partial(f, a)` handed to a thread or an
// executor runs `f(a, ...)`, and `executor.map(f, items)` runs `f` on the executor's threads.

import type { Node } from './syntax';
import type { Ref } from '../events';
import { dottedName, refOf } from './refs';
import type { WalkState } from './walkState';

/** A receiver named like a thread or process pool: `executor.map(f, xs)`, `self._pool.map(f, xs)`. */
export function isExecutorLike(callee: Ref): boolean {
  if (callee.kind !== 'attr') return false;
  const base = callee.base.kind === 'name' ? callee.base.name : callee.base.kind === 'attr' ? callee.base.attr : '';
  return /executor|pool/i.test(base);
}

/** `functools.partial(f, a, b)`: the function `f` and the arguments bound first. */
export function partialCall(st: WalkState, node: Node): { fn: Node; args: Ref[] } | undefined {
  if (node.type !== 'call') return undefined;
  const callee = node.childForFieldName('function');
  const dotted = callee && dottedName(refOf(callee), st.imports);
  if (dotted !== 'functools.partial') return undefined;
  const positional = (node.childForFieldName('arguments')?.namedChildren ?? [])
    .filter((a): a is Node => !!a && a.type !== 'keyword_argument');
  const fn = positional[0];
  return fn && { fn, args: positional.slice(1).map(refOf) };
}
