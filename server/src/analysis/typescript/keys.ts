// The keys an async-lock `acquire()` or a Web Locks `request()` is given: a literal (`'a'`), a
// computed key (`user.id`), or an array of them. A literal array sorted in place
// (`['b', 'a'].sort()`) is taken in sorted order; an array of computed keys that is sorted, or
// any array held in a variable, is taken in an order this walk cannot see.

import { Node } from 'ts-morph';

/** One key and where it is written; `key` is undefined when it is computed. */
export interface Key {
  key?: string;
  node: Node;
}

/** The keys in the order they are taken; `ordered` is false when that order is only known at run time. */
export interface Keys {
  keys: Key[];
  ordered: boolean;
}

/** A string literal's value (plain or a template without substitutions). */
export function literal(node: Node): string | undefined {
  return Node.isStringLiteral(node) || Node.isNoSubstitutionTemplateLiteral(node) ? node.getLiteralValue() : undefined;
}

/** The keys an argument names, in the order they are taken. */
export function keysOf(arg: Node): Keys {
  let sorted = false;
  let array: Node = arg;
  if (Node.isCallExpression(arg)) {
    const callee = arg.getExpression();
    if (Node.isPropertyAccessExpression(callee) && callee.getName() === 'sort' && arg.getArguments().length === 0) {
      array = callee.getExpression();
      sorted = true;
    }
  }
  if (!Node.isArrayLiteralExpression(array)) {
    const one = sorted ? undefined : literal(arg);
    // A computed key, or an array kept in a variable: one key of the family, in no order we know.
    return { keys: [{ key: one, node: arg }], ordered: one !== undefined };
  }
  const keys: Key[] = array.getElements().map((e) => ({ key: literal(e), node: e }));
  if (!sorted) return { keys, ordered: true };
  if (keys.some((k) => k.key === undefined)) return { keys: [{ node: arg }], ordered: false };
  return { keys: keys.sort((a, b) => (a.key! < b.key! ? -1 : a.key! > b.key! ? 1 : 0)), ordered: true };
}
