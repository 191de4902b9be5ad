// Mutexes kept by key in a plain object a module or class holds (`const mutexes: Record<string,
// Mutex> = {}`, `private locks: { [k: string]: Mutex } = {}`), filled on first use:
// `mutexes[k] ??= new Mutex()`, `mutexes[k] ||= …`, `if (!mutexes[k]) mutexes[k] = new Mutex()`,
// `mutexes[k] = mutexes[k] || new Mutex()`, or a local made so (`m = new Mutex(); this.locks[k] = m`).
// `mutexes[key]` is then a lock named by the key, as a Map's `locks.get(key)` is (mapLocks.ts).

import { Node, SyntaxKind } from 'ts-morph';
import { constructorValue, declarationOf, madeLock, type MadeLock } from './locks';
import { heldLock } from './mapLocks';
import { touchScope } from './unitReuse';

/** A lookup `X[key]` in an object of locks: the object's declaration, what its values are, and the key. */
export interface ObjectLookup {
  map: Node;
  made: MadeLock;
  key: Node;
  /** The object holding the field, as written at the lookup (`this`, `store`). */
  holder?: Node;
}

/** `X[key]` (or `this.X[key]`) where `X` is an object of locks. */
export function objectLookup(node: Node): ObjectLookup | undefined {
  if (!Node.isElementAccessExpression(node)) return undefined;
  const key = node.getArgumentExpression();
  const target = node.getExpression();
  if (!key || (!Node.isIdentifier(target) && !Node.isPropertyAccessExpression(target))) return undefined;
  const decl = declarationOf(target);
  const made = decl && objectValues(decl);
  if (!made) return undefined;
  return { map: decl!, made, key, holder: Node.isPropertyAccessExpression(target) ? target.getExpression() : undefined };
}

/** What `objectValues` found during one file's walk (forgotten between walks: the file may change). */
let objects = new WeakMap<Node, MadeLock | null>();

/** Forget the objects of locks found so far (at the start and end of a file's walk). */
export function forgetObjects(): void {
  objects = new WeakMap();
}

/**
 * What an object of locks holds: a top-level variable or a class field given an empty object
 * (`{}`, `Object.create(null)`), whose every element assignment in its file (or class) stores a
 * lock made there, of one kind, and at least one does. A counting semaphore is left out.
 */
function objectValues(decl: Node): MadeLock | undefined {
  const home = homeOf(decl);
  if (!home) return undefined;
  touchObjectStores(decl);
  const known = objects.get(decl);
  if (known !== undefined) return known ?? undefined;
  let made: MadeLock | undefined;
  let ok = true;
  for (const bin of home.scope.getDescendantsOfKind(SyntaxKind.BinaryExpression)) {
    const left = bin.getLeft();
    if (!Node.isElementAccessExpression(left) || !isAssignment(bin.getOperatorToken().getKind())) continue;
    const target = left.getExpression();
    if (!target.getText().endsWith(home.name) || declarationOf(target) !== decl) continue;
    const value = fallback(bin.getRight());
    const stored = madeLock(value) ?? (Node.isIdentifier(value) ? heldLock(value) : undefined);
    if (!stored || stored.keyed || stored.counting || (made && made.kind !== stored.kind)) ok = false;
    else made = stored;
  }
  const out = ok ? made : undefined;
  objects.set(decl, out ?? null);
  return out;
}

/** `new Mutex()` of `m[k] = m[k] || new Mutex()` (or `??`): the value made when the key has none. */
function fallback(value: Node): Node {
  if (!Node.isBinaryExpression(value) || !Node.isElementAccessExpression(value.getLeft())) return value;
  const op = value.getOperatorToken().getKind();
  return op === SyntaxKind.BarBarToken || op === SyntaxKind.QuestionQuestionToken ? value.getRight() : value;
}

/** The walk read where an object of locks is filled (its file or class; a unit without its name assigns no element of it). */
export function touchObjectStores(decl: Node): void {
  const home = homeOf(decl);
  if (home) touchScope(home.scope, home.name);
}

function isAssignment(op: SyntaxKind): boolean {
  return op === SyntaxKind.EqualsToken || op === SyntaxKind.QuestionQuestionEqualsToken || op === SyntaxKind.BarBarEqualsToken;
}

/** Where an object declaration's elements are assigned (its file, or its class), and its name; undefined when it is no empty object. */
function homeOf(decl: Node): { scope: Node; name: string } | undefined {
  let init: Node | undefined;
  let name: string | undefined;
  let scope: Node | undefined;
  if (Node.isVariableDeclaration(decl) && Node.isIdentifier(decl.getNameNode()) && decl.getVariableStatement()?.getParent() === decl.getSourceFile()) {
    init = decl.getInitializer();
    name = decl.getName();
    scope = decl.getSourceFile();
  } else if (Node.isPropertyDeclaration(decl) || Node.isBinaryExpression(decl)) {
    // A field, or in JavaScript its constructor assignment `this.locks = {}`.
    const left = Node.isBinaryExpression(decl) ? decl.getLeft() : undefined;
    if (left && !Node.isPropertyAccessExpression(left)) return undefined;
    init = Node.isPropertyDeclaration(decl) ? decl.getInitializer() ?? constructorValue(decl) : decl.getRight();
    name = Node.isPropertyDeclaration(decl) ? decl.getName() : left!.getText().replace(/^.*\./, '');
    scope = decl.getFirstAncestor((a) => Node.isClassDeclaration(a) || Node.isClassExpression(a));
  }
  while (init && (Node.isAsExpression(init) || Node.isSatisfiesExpression(init) || Node.isParenthesizedExpression(init))) init = init.getExpression();
  if (!init || !scope || !name || !emptyObject(init)) return undefined;
  return { scope, name };
}

/** `{}` or `Object.create(null)`. */
function emptyObject(init: Node): boolean {
  if (Node.isObjectLiteralExpression(init)) return init.getProperties().length === 0;
  return Node.isCallExpression(init) && init.getExpression().getText() === 'Object.create' && init.getArguments()[0]?.getText() === 'null';
}
