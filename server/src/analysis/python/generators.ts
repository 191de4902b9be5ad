// Generator cleanup code: a generator's `finally:` (or `except GeneratorExit:`) after a `yield`
// also runs when an unfinished generator is closed by the garbage collector, on whichever thread
// dropped it. The walker marks generator functions and records the ranges of that code.

import type { Node } from './syntax';
import type { FunctionFact, YieldFact } from '../events';
import { rangeOf } from './refs';
import type { WalkState } from './walkState';

const GENERATOR_EXIT = /^except\s*\(?\s*(\w+\s*,\s*)*GeneratorExit\b/;

/** A `yield` makes the innermost function a generator; it is recorded with what it runs under. */
export function onYield(st: WalkState, node: Node): void {
  const fn = currentFunction(st);
  if (!fn || st.lambdas.length) return;
  fn.generator = true;
  const y: YieldFact = { range: rangeOf(node), held: st.heldAt(node.startIndex), within: iteratedCalls(node) };
  (fn.yields ??= []).push(y);
}

/** The calls a `yield` is iterating over: `yield from f()`, and `for x in f():` around it, up to its function. */
function iteratedCalls(node: Node): YieldFact['within'] {
  const out: YieldFact['within'] = [];
  const from = node.child(1)?.type === 'from' ? node.namedChild(0) : null;
  if (from?.type === 'call') out.push(rangeOf(from));
  let child: Node = node;
  for (let p = node.parent; p && p.type !== 'function_definition' && p.type !== 'lambda'; child = p, p = p.parent) {
    if (p.type !== 'for_statement' || p.childForFieldName('body')?.id !== child.id) continue;
    const over = p.childForFieldName('right');
    if (over?.type === 'call') out.push(rangeOf(over));
  }
  return out;
}

/** A `finally:` or `except GeneratorExit:` clause in a generator, after its first `yield`. */
export function onCleanupClause(st: WalkState, node: Node): void {
  if (node.type === 'except_clause' && !GENERATOR_EXIT.test(node.text)) return;
  const fn = currentFunction(st);
  if (fn?.generator) (fn.cleanup ??= []).push(rangeOf(node));
}

/** `for x in f(...):` in a function: the call iterated and the body (run while a generator `f` is suspended). */
export function onFor(st: WalkState, node: Node): void {
  const over = node.childForFieldName('right');
  const body = node.childForFieldName('body');
  const fn = currentFunction(st);
  if (over?.type !== 'call' || !body || !fn || st.lambdas.length) return;
  (fn.loops ??= []).push({ over: rangeOf(over), body: rangeOf(body) });
}

/** The facts of the function the walk is in, if any. */
export function currentFunction(st: WalkState): FunctionFact | undefined {
  const id = st.functionId();
  const fns = st.facts.functions;
  for (let i = fns.length - 1; i >= 0; i--) if (fns[i].id === id) return fns[i];
  return undefined;
}
