// The keys an async-lock `acquire()` or a Web Locks `request()` is given: a literal (`'a'`) or a
// constant naming one (`SESSION_LOCK`, from any module), a computed key (`user.id`), or an array
// of them. A literal array sorted in place (`['b', 'a'].sort()`) is taken in sorted order; an
// array of computed keys that is sorted, or any array held in a variable, is taken in an order
// this walk cannot see.

import { Node } from 'ts-morph';
import { declarationOf } from './locks';

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

/**
 * A key's value when it is a constant string: a literal (plain or a template without
 * substitutions), or a name for one, wherever it is defined: a `const` (`export const SESSION =
 * 'session'` in another module), a property of a `const` object literal (`LOCKS.session`), or a
 * string enum member. Anything that may hold another value at run time is no constant.
 */
export function literal(node: Node, depth = 0): string | undefined {
  if (Node.isStringLiteral(node) || Node.isNoSubstitutionTemplateLiteral(node)) return node.getLiteralValue();
  if (depth > 4) return undefined;
  if (Node.isParenthesizedExpression(node) || Node.isAsExpression(node) || Node.isSatisfiesExpression(node)) return literal(node.getExpression(), depth + 1);
  if (!Node.isIdentifier(node) && !Node.isPropertyAccessExpression(node)) return undefined;
  const decl = declarationOf(node);
  if (!decl) return undefined;
  if (Node.isVariableDeclaration(decl) || Node.isPropertyAssignment(decl) || Node.isEnumMember(decl)) {
    const init = decl.getInitializer();
    return init && constantHome(decl) ? literal(init, depth + 1) : undefined;
  }
  return undefined;
}

/** Whether a declaration's value never changes: a `const`, an enum member, or a property of an object a `const` holds. */
function constantHome(decl: Node): boolean {
  if (Node.isEnumMember(decl)) return true;
  let variable = Node.isVariableDeclaration(decl) ? decl : decl.getParent();
  if (variable !== decl && (!variable || !Node.isObjectLiteralExpression(variable))) return false;
  while (variable && !Node.isVariableDeclaration(variable)) {
    const up: Node | undefined = variable.getParent();
    if (!up || !(Node.isParenthesizedExpression(up) || Node.isAsExpression(up) || Node.isSatisfiesExpression(up) || Node.isVariableDeclaration(up))) return false;
    variable = up;
  }
  if (!variable || !Node.isVariableDeclaration(variable)) return false;
  return variable.getVariableStatement()?.getDeclarationKind() === 'const';
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
