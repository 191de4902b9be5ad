// Callbacks passed in a constructor's options and called under the object's lock:
// `new Client({ onChange: (s) => … })`, where the class keeps the options (`constructor(private
// opts: Options)`, `this.opts = opts`) or the callback (`this.onChange = opts.onChange`) and a
// method calls it inside a lock's callback (`this.lock.runExclusive(async () => {
// this.opts.onChange?.(s); })`), directly or through one method of its own. At the `new`, that
// lock operation is replayed with the callback as its callback (on the new object): a callback
// that asks for the same lock again waits for itself.

import { Node, SyntaxKind, type CallExpression, type NewExpression } from 'ts-morph';
import { declarationOf } from './locks';
import type { Subst } from './wrappers';
import type { Ctx } from './scope';
import { touchScope } from './unitReuse';

/** A callback given in an options object, and the lock operation it runs under. */
export interface OptionCallback {
  callback: Node;
  op: CallExpression;
  subst: Subst;
}

/** The callbacks of `new C({ … })`'s options that C calls under a lock, with those lock operations. */
export function optionCallbacks(made: NewExpression, isLockOp: (c: CallExpression) => boolean): OptionCallback[] {
  const receiver = receiverOf(made);
  const options = made.getArguments();
  if (!receiver || !options.some((a) => Node.isObjectLiteralExpression(a) && a.getProperties().some((p) => functionOf(p)))) return [];
  const cls = declarationOf(made.getExpression());
  if (!cls || !Node.isClassDeclaration(cls)) return [];
  const ctor = cls.getConstructors().find((c) => c.getBody());
  if (!ctor) return [];
  touchScope(cls); // its constructor and methods are read
  const out: OptionCallback[] = [];
  options.forEach((arg, i) => {
    const param = ctor.getParameters()[i];
    if (!param || !Node.isObjectLiteralExpression(arg)) return;
    for (const prop of arg.getProperties()) {
      const callback = functionOf(prop);
      if (!callback || !Node.isPropertyAssignment(prop)) continue;
      const paths = storedAt(ctor, param, prop.getName());
      const op = paths.length ? lockOpCalling(cls, paths, isLockOp) : undefined;
      if (op) out.push({ callback, op, subst: { params: new Map(), receiver, site: made, callback } });
    }
  });
  return out;
}

/** The function an option is given inline (`onChange: (s) => …`), if it is. */
function functionOf(prop: Node): Node | undefined {
  if (!Node.isPropertyAssignment(prop) || !Node.isIdentifier(prop.getNameNode())) return undefined;
  const value = prop.getInitializer();
  return value && (Node.isArrowFunction(value) || Node.isFunctionExpression(value)) ? value : undefined;
}

/**
 * At `new C({ … })`: replay (`onCall`) C's lock operation for each option callback C calls under
 * it, with the callback walked there (it runs later, when C calls it: not under the locks held
 * here), and `visit` the rest. False (nothing done) when no option is such a callback.
 */
export function walkOptionCallbacks(made: NewExpression, ctx: Ctx, onCall: (op: CallExpression, ctx: Ctx) => boolean,
  visit: (node: Node) => void, isLockOp: (c: CallExpression) => boolean): boolean {
  const found = optionCallbacks(made, isLockOp).filter((f) => onCall(f.op, { ...ctx, held: [], subst: f.subst }));
  if (found.length === 0) return false;
  const walked = new Set(found.map((f) => f.callback));
  visit(made.getExpression());
  for (const arg of made.getArguments()) {
    if (!Node.isObjectLiteralExpression(arg)) visit(arg);
    else for (const p of arg.getProperties()) if (!(Node.isPropertyAssignment(p) && walked.has(p.getInitializer()!))) visit(p);
  }
  return true;
}

/** The object made: the name or property it is stored in (`const client = new C()`, `this.client = new C()`). */
function receiverOf(made: NewExpression): Node | undefined {
  const up = made.getParent();
  if (Node.isVariableDeclaration(up) && Node.isIdentifier(up.getNameNode())) return up.getNameNode();
  if (Node.isBinaryExpression(up) && up.getOperatorToken().getKind() === SyntaxKind.EqualsToken && up.getRight() === made) {
    const left = up.getLeft();
    return Node.isIdentifier(left) || Node.isPropertyAccessExpression(left) ? left : undefined;
  }
  return undefined;
}

/**
 * Where the class keeps the option `key` of the constructor parameter `param`, as the `this.`
 * paths its methods call it by: `this.opts.key` (a parameter property, or `this.opts = opts`),
 * `this.f` (`this.f = opts.key`, or `this.f = key` from a destructured `{ key }`).
 */
function storedAt(ctor: Node, param: Node, key: string): string[] {
  if (!Node.isParameterDeclaration(param)) return [];
  const nameNode = param.getNameNode();
  const whole = Node.isIdentifier(nameNode) ? nameNode.getText() : undefined;
  const bound = Node.isObjectBindingPattern(nameNode)
    ? nameNode.getElements().find((e) => (e.getPropertyNameNode()?.getText() ?? e.getName()) === key)?.getName() : undefined;
  const paths: string[] = [];
  if (whole && param.isParameterProperty()) paths.push(`this.${whole}.${key}`);
  for (const bin of ctor.getDescendantsOfKind(SyntaxKind.BinaryExpression)) {
    const left = bin.getLeft();
    if (bin.getOperatorToken().getKind() !== SyntaxKind.EqualsToken || !Node.isPropertyAccessExpression(left)) continue;
    if (left.getExpression().getKind() !== SyntaxKind.ThisKeyword) continue;
    const right = plain(bin.getRight().getText());
    if (whole && right === whole) paths.push(`this.${left.getName()}.${key}`);
    else if ((whole && right === `${whole}.${key}`) || (bound && right === bound)) paths.push(`this.${left.getName()}`);
  }
  return paths;
}

/** A lock operation of the class whose inline callback calls one of the paths, directly or through a method of the class. */
function lockOpCalling(cls: Node, paths: string[], isLockOp: (c: CallExpression) => boolean): CallExpression | undefined {
  for (const op of cls.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    if (!isLockOp(op)) continue;
    const cb = op.getArguments().find((a) => Node.isArrowFunction(a) || Node.isFunctionExpression(a));
    if (cb && (callsPath(cb, paths) || callsMethodCalling(cb, paths))) return op;
  }
  return undefined;
}

/** Whether code calls `this.opts.key(…)` / `this.opts.key?.(…)` for one of the paths. */
function callsPath(code: Node, paths: string[]): boolean {
  return code.getDescendantsOfKind(SyntaxKind.CallExpression).some((c) => paths.includes(plain(c.getExpression().getText())));
}

/** Whether code calls a method of its class (`this.notify()`) that calls one of the paths. */
function callsMethodCalling(code: Node, paths: string[]): boolean {
  return code.getDescendantsOfKind(SyntaxKind.CallExpression).some((c) => {
    const callee = c.getExpression();
    if (!Node.isPropertyAccessExpression(callee) || callee.getExpression().getKind() !== SyntaxKind.ThisKeyword) return false;
    const m = declarationOf(callee);
    return !!m && Node.isMethodDeclaration(m) && callsPath(m, paths);
  });
}

/** An expression's text without spaces, optional chaining or a non-null assertion: `this.opts?.key!` → `this.opts.key`. */
function plain(text: string): string {
  return text.replace(/\s+/g, '').replace(/\?\./g, '.').replace(/!/g, '');
}
