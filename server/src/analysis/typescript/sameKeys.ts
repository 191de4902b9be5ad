// The same computed key taken again while it is held: `lockFor(k).runExclusive(() =>
// lockFor(k).runExclusive(…))`. A computed key is one unknown member of its family (keyedLocks.ts),
// but when both are the very same `const` (or a parameter never assigned) the two name one lock,
// and the inner acquisition waits for the outer one: both are then recorded as that key, by its
// text, so the engine sees the lock taken twice (LO102).

import { Node, SyntaxKind } from 'ts-morph';
import type { HeldFact, Ref } from '../events';
import { declarationOf } from './locks';
import { touchScope } from './unitReuse';

/** The key expression each computed-key lock reference was made from. */
const keyNodes = new WeakMap<Ref, Node>();

/** Remember the key expression a family member's reference was made from. */
export function noteKey(ref: Ref, key: Node): Ref {
  keyNodes.set(ref, key);
  return ref;
}

/**
 * An acquisition of `lock` under `held`: when a held lock is the same family member by the same
 * unchanged key, both told apart as that key (the lock taken, and the held list recorded with it).
 */
export function keyAgain(lock: Ref, held: HeldFact[]): { lock: Ref; held: HeldFact[] } {
  const key = keyNodes.get(lock);
  const decl = key && stableKey(key);
  if (!decl || lock.kind !== 'index') return { lock, held };
  const at = held.findIndex((h) => {
    const other = keyNodes.get(h.lock);
    return h.lock.kind === 'index' && !!other && stableKey(other) === decl && JSON.stringify(h.lock.base) === JSON.stringify(lock.base);
  });
  if (at < 0) return { lock, held };
  const known = key.getText();
  const again = { ...lock, index: known };
  const out = [...held];
  out[at] = { ...held[at], lock: { ...(held[at].lock as typeof lock), index: known } };
  return { lock: again, held: out };
}

/** The declaration a key names when it cannot change: a `const`, or a parameter its function never assigns. */
function stableKey(key: Node): Node | undefined {
  if (!Node.isIdentifier(key)) return undefined;
  const decl = declarationOf(key);
  if (decl && Node.isVariableDeclaration(decl)) {
    const list = decl.getParent();
    return Node.isVariableDeclarationList(list) && list.getDeclarationKind() === 'const' && Node.isIdentifier(decl.getNameNode()) ? decl : undefined;
  }
  if (!decl || !Node.isParameterDeclaration(decl) || !Node.isIdentifier(decl.getNameNode())) return undefined;
  const fn = decl.getParent();
  touchScope(fn); // its body is scanned for assignments
  const name = decl.getName();
  const assigned = fn.getDescendantsOfKind(SyntaxKind.Identifier).some((id) => id.getText() === name && id !== decl.getNameNode() && writes(id));
  return assigned ? undefined : decl;
}

/** Whether an identifier is written: the left of an assignment, or `++`/`--`. */
function writes(id: Node): boolean {
  let up = id.getParent();
  // `[k] = pair`, `({ k } = o)`: an identifier in a pattern on an assignment's left.
  let n: Node = id;
  while (up && (Node.isArrayLiteralExpression(up) || Node.isObjectLiteralExpression(up) || Node.isShorthandPropertyAssignment(up)
    || Node.isPropertyAssignment(up) || Node.isSpreadElement(up) || Node.isParenthesizedExpression(up))) [n, up] = [up, up.getParent()];
  if (!up) return false;
  if ((Node.isForOfStatement(up) || Node.isForInStatement(up)) && up.getInitializer() === n) return true;
  if (n !== id) return Node.isBinaryExpression(up) && up.getLeft() === n && up.getOperatorToken().getText() === '=';
  if (Node.isBinaryExpression(up)) return up.getLeft() === id && /=$/.test(up.getOperatorToken().getText()) && !/^[=!<>]=+$/.test(up.getOperatorToken().getText());
  if (Node.isPrefixUnaryExpression(up) || Node.isPostfixUnaryExpression(up)) return [SyntaxKind.PlusPlusToken, SyntaxKind.MinusMinusToken].includes(up.getOperatorToken());
  return false;
}
