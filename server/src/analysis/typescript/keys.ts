// The keys an async-lock `acquire()` is given, when they are literal: `'a'`, `['a', 'b']`, or a
// literal array sorted in place (`['b', 'a'].sort()`), which is taken in sorted order.

import { Node } from 'ts-morph';

/** One key and where it is written. */
export interface LiteralKey {
  key: string;
  node: Node;
}

/** A string literal's value (plain or a template without substitutions). */
function literal(node: Node): string | undefined {
  return Node.isStringLiteral(node) || Node.isNoSubstitutionTemplateLiteral(node) ? node.getLiteralValue() : undefined;
}

/** The keys in the order they are taken, or undefined when any of them is computed. */
export function literalKeys(arg: Node): LiteralKey[] | undefined {
  const one = literal(arg);
  if (one !== undefined) return [{ key: one, node: arg }];
  let sorted = false;
  let array: Node = arg;
  if (Node.isCallExpression(arg)) {
    const callee = arg.getExpression();
    if (!Node.isPropertyAccessExpression(callee) || callee.getName() !== 'sort' || arg.getArguments().length > 0) return undefined;
    array = callee.getExpression();
    sorted = true;
  }
  if (!Node.isArrayLiteralExpression(array)) return undefined;
  const keys: LiteralKey[] = [];
  for (const e of array.getElements()) {
    const key = literal(e);
    if (key === undefined) return undefined;
    keys.push({ key, node: e });
  }
  return sorted ? keys.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)) : keys;
}
