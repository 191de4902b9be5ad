// Generator cleanup code: a generator's `finally:` (or `except GeneratorExit:`) after a `yield`
// also runs when an unfinished generator is closed by the garbage collector, on whichever thread
// dropped it. The walker marks generator functions and records the ranges of that code.

import type { Node } from './syntax';
import type { FunctionFact } from '../events';
import { rangeOf } from './refs';
import type { WalkState } from './walkState';

const GENERATOR_EXIT = /^except\s*\(?\s*(\w+\s*,\s*)*GeneratorExit\b/;

/** A `yield` makes the innermost function a generator. */
export function onYield(st: WalkState): void {
  const fn = currentFunction(st);
  if (fn && !st.lambdas.length) fn.generator = true;
}

/** A `finally:` or `except GeneratorExit:` clause in a generator, after its first `yield`. */
export function onCleanupClause(st: WalkState, node: Node): void {
  if (node.type === 'except_clause' && !GENERATOR_EXIT.test(node.text)) return;
  const fn = currentFunction(st);
  if (fn?.generator) (fn.cleanup ??= []).push(rangeOf(node));
}

function currentFunction(st: WalkState): FunctionFact | undefined {
  const id = st.functionId();
  const fns = st.facts.functions;
  for (let i = fns.length - 1; i >= 0; i--) if (fns[i].id === id) return fns[i];
  return undefined;
}
