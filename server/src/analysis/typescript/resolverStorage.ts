// Where a promise's resolver is stored (promiseAwaits.ts), and the key the await and every call
// of the resolver share: a variable (`ready`), a class member (`this.ready`), or a member of an
// object a variable holds (`state.ready`, for `const state = { ready: undefined as … }`).

import { Node, SyntaxKind } from 'ts-morph';
import { positionAt } from './refs';

/** `this.x` → `this.x`, `x` → `x`, `state.x` → `state.x`; anything else has no storage name. */
export function storageText(node: Node): string | undefined {
  if (Node.isIdentifier(node)) return node.getText();
  if (!Node.isPropertyAccessExpression(node)) return undefined;
  const base = node.getExpression();
  if (base.getKind() === SyntaxKind.ThisKeyword) return `this.${node.getName()}`;
  return Node.isIdentifier(base) ? `${base.getText()}.${node.getName()}` : undefined;
}

/** The name a storage declaration is written with: `this.x` for a class member, `x` for a variable, `state.x` for an object's member. */
export function storageName(decl: Node): string | undefined {
  if (Node.isPropertyDeclaration(decl)) return `this.${decl.getName()}`;
  if (Node.isBinaryExpression(decl)) return storageText(decl.getLeft());
  if (Node.isVariableDeclaration(decl) && Node.isIdentifier(decl.getNameNode())) return decl.getName();
  const holder = objectHolder(decl);
  return holder && Node.isPropertyAssignment(decl) ? `${holder.getName()}.${decl.getName()}` : undefined;
}

/** The variable holding the object literal a property is written in (`const state = { ready: … }`). */
function objectHolder(decl: Node): (Node & { getName(): string }) | undefined {
  const literal = Node.isPropertyAssignment(decl) ? decl.getParent() : undefined;
  let up = literal?.getParent();
  while (up && (Node.isAsExpression(up) || Node.isSatisfiesExpression(up) || Node.isParenthesizedExpression(up))) up = up.getParent();
  return up && Node.isVariableDeclaration(up) && Node.isIdentifier(up.getNameNode()) ? up : undefined;
}

/** Where a storage is written: its class for a member, else the function or file declaring the variable. */
export function storageScope(decl: Node): Node | undefined {
  if (storageName(decl)?.startsWith('this.')) return decl.getFirstAncestor((a) => Node.isClassDeclaration(a) || Node.isClassExpression(a));
  const at = objectHolder(decl) ?? decl;
  return at.getFirstAncestor((a) => Node.isFunctionLikeDeclaration(a) || Node.isArrowFunction(a) || Node.isFunctionExpression(a))
    ?? decl.getSourceFile();
}

/** `this.x`, `state.x` → `x`: the word every use of a storage is written with (unitReuse.ts). */
export function bareName(name: string): string {
  return name.slice(name.lastIndexOf('.') + 1);
}

/** A storage's key: its file and the class member or variable it is. */
export function keyOf(decl: Node): string | undefined {
  const name = storageName(decl);
  const scope = storageScope(decl);
  if (!name || !scope) return undefined;
  // By line and column, not offset: an edit above that keeps the lines keeps the key (unitReuse.ts).
  const at = Node.isSourceFile(scope) ? undefined : positionAt(scope.getSourceFile(), scope.getStart());
  const where = at ? `@${at.line}:${at.character}` : '';
  return `${decl.getSourceFile().getFilePath()}${where}#${name}`;
}

/** A member of an object a variable holds, given no value yet (`ready: undefined as undefined | (() => void)`, `null`): a slot for a callback. */
export function emptySlot(decl: Node): boolean {
  if (!Node.isPropertyAssignment(decl) || !objectHolder(decl)) return false;
  let value = decl.getInitializer();
  while (value && (Node.isAsExpression(value) || Node.isParenthesizedExpression(value) || Node.isNonNullExpression(value))) value = value.getExpression();
  return !!value && (value.getText() === 'undefined' || value.getKind() === SyntaxKind.NullKeyword);
}
