// Where an explicit acquisition's release function goes: the name it is stored in
// (`const release = await m.acquire()`, a semaphore's `[value, release]`, the releasers of a
// `Promise.all` batch), or nowhere, when it is called at once (`(await m.lock())()`).

import { Node, SyntaxKind } from 'ts-morph';

/**
 * The name `acquire()`'s release function is stored in: `const release = await m.acquire()`,
 * `release = await m.acquire()`, or the second element of a semaphore's `[value, release]`.
 */
export function releaserName(decl: Node | undefined): string | undefined {
  // `release = await m.acquire()`, assigned to a variable declared earlier (often outside a `try`).
  if (decl && Node.isBinaryExpression(decl) && decl.getOperatorToken().getKind() === SyntaxKind.EqualsToken) {
    const left = decl.getLeft();
    return Node.isIdentifier(left) ? left.getText() : undefined;
  }
  if (!decl || !Node.isVariableDeclaration(decl)) return undefined;
  const target = decl.getNameNode();
  if (Node.isIdentifier(target)) return target.getText();
  const second = Node.isArrayBindingPattern(target) ? target.getElements()[1] : undefined;
  return second && Node.isBindingElement(second) && Node.isIdentifier(second.getNameNode()) ? second.getName() : undefined;
}

/** The names a batch's releasers are stored in: `const [releaseA, releaseB] = await Promise.all([...])`. */
export function batchReleasers(call: Node): (string | undefined)[] {
  const up = call.getParent();
  const decl = up && Node.isAwaitExpression(up) ? up.getParent() : up;
  const target = decl && Node.isVariableDeclaration(decl) ? decl.getNameNode() : undefined;
  if (!target || !Node.isArrayBindingPattern(target)) return [];
  return target.getElements().map((e) => (Node.isBindingElement(e) && Node.isIdentifier(e.getNameNode()) ? e.getName() : undefined));
}

/** Whether an awaited acquisition's releaser is called at once: `(await m.lock())()`. */
export function calledAtOnce(awaited: Node): boolean {
  let n = awaited;
  while (n.getParent() && Node.isParenthesizedExpression(n.getParent()!)) n = n.getParent()!;
  const up = n.getParent();
  return !!up && Node.isCallExpression(up) && up.getExpression() === n;
}
