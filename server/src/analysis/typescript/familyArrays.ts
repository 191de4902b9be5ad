// The locks of a family gathered in an array: `keys.map((k) => lockFor(k))` (or `this.locks.get(k)`,
// `mutexes[k]`), and the element an array method's callback (or a `for … of` loop) is given,
// `ms.map((m) => m.acquire())`: each is one member of the family its lookup names.

import { Node } from 'ts-morph';
import { declarationOf } from './locks';
import { mapLockOf, type MapLock } from './mapLocks';
import { touchScope } from './unitReuse';

/** Array methods that hand each element to their callback. */
const EACH = /^(?:map|forEach|flatMap)$/;

/** A parameter (or loop variable) given the elements of an array of a family's locks: the lookup that made them. */
export function arrayElement(id: Node, depth: number): MapLock | undefined {
  const decl = declarationOf(id);
  if (!decl) return undefined;
  if (Node.isParameterDeclaration(decl)) {
    const fn = decl.getParent();
    const call = fn?.getParent();
    if (!fn || !call || !Node.isCallExpression(call) || call.getArguments()[0] !== fn) return undefined;
    if (!(Node.isArrowFunction(fn) || Node.isFunctionExpression(fn)) || fn.getParameters()[0] !== decl) return undefined;
    const callee = call.getExpression();
    return Node.isPropertyAccessExpression(callee) && EACH.test(callee.getName()) ? familyArray(callee.getExpression(), depth + 1) : undefined;
  }
  const loop = Node.isVariableDeclaration(decl) ? decl.getParent()?.getParent() : undefined;
  return loop && Node.isForOfStatement(loop) ? familyArray(loop.getExpression(), depth + 1) : undefined;
}

/** The lookup each element of an array is made by: `keys.map((k) => lockFor(k))`, or a `const` holding one. */
export function familyArray(array: Node, depth: number): MapLock | undefined {
  if (depth > 3) return undefined;
  if (Node.isIdentifier(array)) {
    const decl = declarationOf(array);
    const init = decl && Node.isVariableDeclaration(decl) && decl.getVariableStatement()?.getDeclarationKind() === 'const' ? decl.getInitializer() : undefined;
    if (init) touchScope(decl!); // its value may be written in another unit
    return init ? familyArray(init, depth + 1) : undefined;
  }
  if (Node.isAwaitExpression(array)) return familyArray(array.getExpression(), depth + 1);
  if (!Node.isCallExpression(array)) return undefined;
  const callee = array.getExpression();
  const cb = array.getArguments()[0];
  // `await this.guard.runExclusive(() => keys.map(…))`: the array the callback run under a guard returns.
  if (Node.isPropertyAccessExpression(callee) && callee.getName() === 'runExclusive' && cb) {
    const value = returnedValue(cb);
    return value ? familyArray(value, depth + 1) : undefined;
  }
  if (!Node.isPropertyAccessExpression(callee) || callee.getName() !== 'map' || !cb || !(Node.isArrowFunction(cb) || Node.isFunctionExpression(cb))) return undefined;
  const value = returnedValue(cb);
  return value ? mapLockOf(value, depth + 1) : undefined;
}

/** What a callback returns: its expression body, or the value of its one `return`. */
export function returnedValue(cb: Node): Node | undefined {
  if (!Node.isArrowFunction(cb) && !Node.isFunctionExpression(cb)) return undefined;
  const body = cb.getBody();
  if (!Node.isBlock(body)) return body;
  const statements = body.getStatements();
  const last = statements.length === 1 ? statements[0] : undefined;
  return last && Node.isReturnStatement(last) ? last.getExpression() : undefined;
}
