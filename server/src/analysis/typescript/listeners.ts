// Callbacks a class keeps and calls while it holds a lock: listeners, subscribers, hooks passed
// in. `client.onChange(cb)` stores `cb` in a field (`this.listeners.push(cb)`), and a method of
// the class calls the stored callbacks inside a lock's callback (`this.m.runExclusive(async () =>
// { for (const l of this.listeners) await l(); })`), directly or through one method of its own.
// At the registration, that lock operation is replayed with `cb` as its callback: `cb` runs
// under the lock, and a `cb` that asks for the same lock again waits for itself.

import { Node, SyntaxKind, type CallExpression } from 'ts-morph';
import { declarationOf } from './locks';
import type { Subst } from './wrappers';
import { touchScope } from './unitReuse';

/** The lock operation a registered callback runs under, with what it stands for at the registration. */
export interface Registered {
  op: CallExpression;
  subst: Subst;
}

/** Where the callback `arg` given to `call` ends up being run under a lock, if it does. */
export function registeredUnderLock(call: CallExpression, arg: Node, isLockOp: (c: CallExpression) => boolean): Registered | undefined {
  const callee = call.getExpression();
  if (!Node.isPropertyAccessExpression(callee)) return undefined;
  const method = declarationOf(callee);
  if (!method || !Node.isMethodDeclaration(method)) return undefined;
  touchScope(method);
  const param = method.getParameters()[call.getArguments().indexOf(arg)]?.getName();
  const field = param && storedIn(method, param);
  const cls = method.getParent();
  if (!field || !Node.isClassDeclaration(cls)) return undefined;
  touchScope(cls);
  for (const op of cls.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    if (!isLockOp(op)) continue;
    const cb = op.getArguments().find((a) => Node.isArrowFunction(a) || Node.isFunctionExpression(a));
    if (cb && (callsStored(cb, field) || callsMethodCallingStored(cb, field))) {
      return { op, subst: { params: new Map(), receiver: callee.getExpression(), site: call, callback: arg } };
    }
  }
  return undefined;
}

/** The field a method stores its parameter in: `this.f.push(p)`, `.add(p)`, `.set(k, p)`, `.unshift(p)`, or `this.f = p`. */
function storedIn(method: Node, param: string): string | undefined {
  for (const c of method.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    const callee = c.getExpression();
    if (!Node.isPropertyAccessExpression(callee) || !/^(push|add|set|unshift)$/.test(callee.getName())) continue;
    const field = thisField(callee.getExpression());
    if (field && c.getArguments().some((a) => a.getText() === param || valueHolds(a, param))) return field;
  }
  return undefined;
}

/** `{ callback: p }` (a subscription object holding the callback). */
function valueHolds(arg: Node, param: string): boolean {
  if (Node.isIdentifier(arg)) {
    const d = declarationOf(arg);
    const init = d && Node.isVariableDeclaration(d) ? d.getInitializer() : undefined;
    return !!init && Node.isObjectLiteralExpression(init) && init.getText().includes(param);
  }
  return Node.isObjectLiteralExpression(arg) && arg.getText().includes(param);
}

/** `this.f` → `f`. */
function thisField(expr: Node): string | undefined {
  return Node.isPropertyAccessExpression(expr) && expr.getExpression().getKind() === SyntaxKind.ThisKeyword ? expr.getName() : undefined;
}

/** Whether code calls an element of `this.field`: `for (const l of this.f) l()`, `this.f.forEach((l) => l())`, `l.callback()`. */
function callsStored(code: Node, field: string): boolean {
  const elements = new Set<Node>();
  for (const loop of code.getDescendantsOfKind(SyntaxKind.ForOfStatement)) {
    if (fieldOfIterable(loop.getExpression()) !== field) continue;
    const init = loop.getInitializer();
    for (const d of Node.isVariableDeclarationList(init) ? init.getDeclarations() : []) elements.add(d);
  }
  for (const c of code.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    const callee = c.getExpression();
    const fn = c.getArguments()[0];
    if (!Node.isPropertyAccessExpression(callee) || !/^(forEach|map)$/.test(callee.getName()) || fieldOfIterable(callee.getExpression()) !== field) continue;
    if (fn && (Node.isArrowFunction(fn) || Node.isFunctionExpression(fn)) && fn.getParameters()[0]) elements.add(fn.getParameters()[0]);
  }
  if (elements.size === 0) return false;
  return code.getDescendantsOfKind(SyntaxKind.CallExpression).some((c) => {
    let target: Node = c.getExpression();
    if (Node.isPropertyAccessExpression(target)) target = target.getExpression();
    return Node.isIdentifier(target) && elements.has(declarationOf(target) as Node);
  });
}

/** `this.f`, `this.f.values()`, `[...this.f]`, `Array.from(this.f)` → `f`. */
function fieldOfIterable(expr: Node): string | undefined {
  if (Node.isCallExpression(expr)) {
    const callee = expr.getExpression();
    if (Node.isPropertyAccessExpression(callee) && /^(values|slice)$/.test(callee.getName())) return thisField(callee.getExpression());
    if (callee.getText() === 'Array.from') return expr.getArguments()[0] && thisField(expr.getArguments()[0]);
    return undefined;
  }
  if (Node.isArrayLiteralExpression(expr) && expr.getElements().length === 1) {
    const e = expr.getElements()[0];
    return Node.isSpreadElement(e) ? thisField(e.getExpression()) : undefined;
  }
  return thisField(expr);
}

/** Whether code calls a method of its class (`this.notify()`) that calls an element of `this.field`. */
function callsMethodCallingStored(code: Node, field: string): boolean {
  return code.getDescendantsOfKind(SyntaxKind.CallExpression).some((c) => {
    const callee = c.getExpression();
    if (!Node.isPropertyAccessExpression(callee) || callee.getExpression().getKind() !== SyntaxKind.ThisKeyword) return false;
    const m = declarationOf(callee);
    return !!m && Node.isMethodDeclaration(m) && callsStored(m, field);
  });
}
