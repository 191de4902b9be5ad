// The shape of a TS/JS acquisition, for the fixes that reorder locks (WithShape in events.ts):
// the locks a literal async-lock key array takes one after the other (`['b', 'a']`, each key an
// item), and a `runExclusive` nested as the whole body of another's callback (each receiver an
// item: swapping the two receivers swaps the order, and nothing else runs under a different lock).

import { Node } from 'ts-morph';
import type { WithShape } from '../events';
import { rangeOf } from './refs';

/** The shape of the acquisition of key `index` of a literal key array (undefined for one key or a sorted array). */
export function keyArrayShape(keyArg: Node, index: number): WithShape | undefined {
  if (!Node.isArrayLiteralExpression(keyArg) || keyArg.getElements().length < 2) return undefined;
  const statement = keyArg.getFirstAncestor((a) => Node.isStatement(a)) ?? keyArg;
  return {
    statementRange: rangeOf(statement), items: keyArg.getElements().map(rangeOf), itemIndex: index,
    indent: '', bodyRange: rangeOf(keyArg.getParent() ?? keyArg),
  };
}

/** A receiver that is safe to evaluate later or earlier than written: names and property reads only. */
const PLAIN = /^[\w$]+(?:\??\.[\w$#]+)*$/;

/** The shape of `m.runExclusive(cb)`: its receiver, and the outer `runExclusive` whose callback is only this call. */
export function runExclusiveShape(call: Node): WithShape | undefined {
  if (!Node.isCallExpression(call)) return undefined;
  const callee = call.getExpression();
  if (!Node.isPropertyAccessExpression(callee)) return undefined;
  const receiver = callee.getExpression();
  const cb = call.getArguments()[0];
  if (!PLAIN.test(receiver.getText()) || !takesNothing(cb)) return undefined;
  const shape: WithShape = {
    statementRange: rangeOf(call), items: [rangeOf(receiver)], itemIndex: 0, indent: '', bodyRange: rangeOf(cb),
  };
  const outer = enclosingRunExclusive(call);
  if (outer) shape.nestedDirectlyIn = outer;
  return shape;
}

/** Whether a callback takes no parameters (a semaphore passes its value: swapped receivers would change it). */
function takesNothing(cb: Node | undefined): boolean {
  return !!cb && (Node.isArrowFunction(cb) || Node.isFunctionExpression(cb)) && cb.getParameters().length === 0;
}

/**
 * The outer `x.runExclusive(async () => { await inner; })` when `inner` is its callback's whole
 * body (awaited, returned, or the arrow's expression); `bodyOnlyThis` is false when the body
 * holds other statements too.
 */
function enclosingRunExclusive(inner: Node): WithShape['nestedDirectlyIn'] | undefined {
  let n: Node = inner;
  let up = n.getParent();
  while (up && (Node.isAwaitExpression(up) || Node.isParenthesizedExpression(up))) {
    n = up;
    up = up.getParent();
  }
  let only = true;
  if (up && (Node.isExpressionStatement(up) || Node.isReturnStatement(up))) {
    const block = up.getParent();
    if (!block || !Node.isBlock(block)) return undefined;
    only = block.getStatements().length === 1;
    up = block.getParent();
  }
  if (!up || !(Node.isArrowFunction(up) || Node.isFunctionExpression(up)) || !takesNothing(up)) return undefined;
  const call = up.getParent();
  if (!call || !Node.isCallExpression(call) || call.getArguments()[0] !== up) return undefined;
  const callee = call.getExpression();
  if (!Node.isPropertyAccessExpression(callee) || callee.getName() !== 'runExclusive') return undefined;
  const receiver = callee.getExpression();
  if (!PLAIN.test(receiver.getText())) return undefined;
  return { statementRange: rangeOf(call), items: [rangeOf(receiver)], bodyOnlyThis: only };
}
