// Objects kept in container attributes: `f._waiters.append(waiter)` records what a list or set
// attribute holds, and `for waiter in self._waiters:` records the loop variable, so that
// `waiter.add_result(self)` in the loop can be resolved to the methods of the classes put there
// (listeners kept in a list and called while a lock is held).

import type { Node } from './syntax';
import type { Ref } from '../events';
import { refOf } from './refs';
import { currentFunction } from './generators';
import type { WalkState } from './walkState';

/** Methods that put one object in a list or set. */
const PUT = new Set(['append', 'add', 'appendleft']);

/**
 * `X.attr.append(value)` with a local or a constructor call as the value. `calleeRef`, when
 * `onCall` read it, rules out most calls without a node read (null: the call has no callee).
 */
export function onElementCall(st: WalkState, call: Node, calleeRef?: Ref | null): void {
  if (calleeRef === null || (calleeRef && (calleeRef.kind !== 'attr' || !PUT.has(calleeRef.attr)))) return;
  const callee = call.childForFieldName('function');
  if (callee?.type !== 'attribute' || !PUT.has(callee.childForFieldName('attribute')?.text ?? '')) return;
  const container = callee.childForFieldName('object');
  const args = call.childForFieldName('arguments')?.namedChildren ?? [];
  const value = args[0];
  if (container?.type !== 'attribute' || args.length !== 1 || !value || (value.type !== 'identifier' && value.type !== 'call')) return;
  (st.facts.elements ??= []).push({ functionId: st.functionId(), container: refOf(container), value: refOf(value) });
}

/** `for name in X.attr:` in a function: the loop variable and the attribute iterated. */
export function onForElements(st: WalkState, node: Node): void {
  const left = node.childForFieldName('left');
  const over = node.childForFieldName('right');
  const fn = currentFunction(st);
  if (left?.type !== 'identifier' || over?.type !== 'attribute' || !fn || st.lambdas.length) return;
  (fn.loopVars ??= []).push({ name: left.text, over: refOf(over) });
}
