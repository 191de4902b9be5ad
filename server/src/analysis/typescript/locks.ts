// Recognises locks with the type checker: a `new Mutex()` / `new Semaphore(1)` whose
// constructor is imported (or required) from 'async-mutex', a `new AsyncLock()` from
// 'async-lock' (a lock per key), the declaration that stores one, and the declaration an
// expression such as `this.mutex` or an imported `lock` refers to.

import { Node, SyntaxKind, type Expression, type PropertyDeclaration, type Symbol as TsSymbol } from 'ts-morph';
import type { LockKind } from '../types';

const PACKAGE = 'async-mutex';
const KEYED_PACKAGE = 'async-lock';
const LIMITER_PACKAGE = 'p-limit';

/** What a lock-making expression makes. */
export interface MadeLock {
  kind: LockKind;
  /** A semaphore of more than one permit: taking it again need not block. */
  counting: boolean;
  /** The constructor name as written (`Mutex`, `am.Mutex`). */
  callee: Node;
  /** An async-lock `AsyncLock`: one lock per key given to `acquire(key, fn)`. */
  keyed?: boolean;
  /** Every acquisition gives up after a time (`withTimeout(new Mutex(), ms)`, `new AsyncLock({ timeout })`). */
  timed?: boolean;
  /** Every acquisition gives up at once when the lock is held (`tryAcquire(new Mutex())`). */
  tryOnly?: boolean;
}

/** async-mutex's `withTimeout(m, ms)` or `tryAcquire(m)` (a timeout of 0): the lock it wraps and how it waits. */
export interface LockWrapper {
  inner: Node;
  tryOnly: boolean;
}

/** The wrapper a call makes, when it is async-mutex's `withTimeout` or `tryAcquire`. */
export function lockWrapper(call: Node): LockWrapper | undefined {
  if (!Node.isCallExpression(call)) return undefined;
  const callee = call.getExpression();
  const name = Node.isPropertyAccessExpression(callee) ? callee.getName() : callee.getText();
  const [inner, ms] = call.getArguments();
  if (!inner || (name !== 'withTimeout' && name !== 'tryAcquire') || !isPackageFunction(callee, PACKAGE)) return undefined;
  return { inner, tryOnly: name === 'tryAcquire' || (!!ms && Node.isNumericLiteral(ms) && Number(ms.getLiteralValue()) <= 0) };
}

/** Whether `new AsyncLock(opts)` or `acquire(key, fn, opts)` is given a `timeout` that is not 0 (0 waits for ever). */
export function hasTimeoutOption(opts: Node | undefined): boolean {
  if (!opts || !Node.isObjectLiteralExpression(opts)) return false;
  const p = opts.getProperty('timeout');
  const value = p && Node.isPropertyAssignment(p) ? p.getInitializer() : undefined;
  return !!p && !(value && Node.isNumericLiteral(value) && Number(value.getLiteralValue()) === 0);
}

/** The async-mutex class a constructor expression names (`Mutex`, `Semaphore`), if it is one. */
function asyncMutexClass(callee: Node): 'Mutex' | 'Semaphore' | undefined {
  const name = Node.isIdentifier(callee) ? callee.getText() : Node.isPropertyAccessExpression(callee) ? callee.getName() : undefined;
  if (name !== 'Mutex' && name !== 'Semaphore') return undefined;
  const symbol = Node.isPropertyAccessExpression(callee) ? callee.getExpression().getSymbol() : callee.getSymbol();
  return symbol && comesFromPackage(symbol, PACKAGE) ? name : undefined;
}

/** Whether a constructor expression is async-lock's class (its default export, however named). */
function isAsyncLockClass(callee: Node): boolean {
  return isPackageFunction(callee, KEYED_PACKAGE);
}

/** Whether an expression names what a package exports (`pLimit`, `lib.pLimit`), however it was imported. */
export function isPackageFunction(expr: Node, pkg: string): boolean {
  const symbol = Node.isPropertyAccessExpression(expr) ? expr.getExpression().getSymbol() : expr.getSymbol();
  return !!symbol && comesFromPackage(symbol, pkg);
}

/** Whether a symbol is bound by an import or `require()` of `pkg`. */
function comesFromPackage(symbol: TsSymbol, pkg: string): boolean {
  for (const d of symbol.getDeclarations()) {
    const imp = d.getFirstAncestorByKind(SyntaxKind.ImportDeclaration);
    if (imp) return imp.getModuleSpecifierValue() === pkg;
    const decl = Node.isVariableDeclaration(d) ? d : d.getFirstAncestorByKind(SyntaxKind.VariableDeclaration);
    const init = decl?.getInitializer();
    if (init && Node.isCallExpression(init) && init.getExpression().getText() === 'require') {
      const arg = init.getArguments()[0];
      return !!arg && Node.isStringLiteral(arg) && arg.getLiteralValue() === pkg;
    }
  }
  return false;
}

/**
 * The lock an initializer makes: `new Mutex()`, `new Semaphore(n)` (one permit is a mutex),
 * `new AsyncLock()`, or a p-limit limiter `pLimit(n)`: a bounded pool of slots that a task
 * waiting for another task of the same limiter can exhaust, so it counts as one lock that is
 * never reentrant, whatever its size.
 */
export function madeLock(init: Node | undefined): MadeLock | undefined {
  const wrapped = init && lockWrapper(init);
  if (wrapped && Node.isNewExpression(wrapped.inner)) {
    const made = madeLock(wrapped.inner);
    return made && { ...made, ...(wrapped.tryOnly ? { tryOnly: true } : { timed: true }) };
  }
  if (init && Node.isCallExpression(init) && isPackageFunction(init.getExpression(), LIMITER_PACKAGE)) {
    return { kind: 'p-limit', counting: false, callee: init.getExpression() };
  }
  if (!init || !Node.isNewExpression(init)) return undefined;
  const callee = init.getExpression();
  if (isAsyncLockClass(callee)) {
    return { kind: 'async-lock', counting: false, callee, keyed: true, timed: hasTimeoutOption(init.getArguments()[0]) || undefined };
  }
  const cls = asyncMutexClass(callee);
  if (!cls) return undefined;
  if (cls === 'Mutex') return { kind: 'async-mutex.Mutex', counting: false, callee };
  const permits = init.getArguments()[0];
  const n = permits && Node.isNumericLiteral(permits) ? Number(permits.getLiteralValue()) : undefined;
  return { kind: 'async-mutex.Semaphore', counting: n !== 1, callee };
}

/** The declaration an expression refers to (through imports), if it has one. */
export function declarationOf(expr: Node): Node | undefined {
  let symbol = expr.getSymbol();
  if (symbol?.isAlias()) symbol = symbol.getAliasedSymbol();
  return symbol?.getDeclarations()[0];
}

/** A lock's declaration, what it makes, and the expression that makes it. */
export interface LockDeclaration {
  decl: Node;
  made: MadeLock;
  init: Node;
}

/**
 * A declaration that stores a lock: a variable or class property initialised with one, a
 * property declared without a value and given one in the constructor (`this.m = new Mutex()`),
 * or, in JavaScript, that constructor assignment itself (it is the property's declaration).
 */
export function lockDeclaration(decl: Node | undefined): LockDeclaration | undefined {
  let init: Node | undefined;
  if (decl && Node.isBinaryExpression(decl)) init = decl.getRight();
  else if (decl && Node.isVariableDeclaration(decl)) init = decl.getInitializer();
  else if (decl && Node.isPropertyDeclaration(decl)) init = decl.getInitializer() ?? constructorValue(decl);
  const made = madeLock(init);
  return decl && made && init ? { decl, made, init } : undefined;
}

/** The value a class's constructor gives a property declared without one (`this.name = value`). */
function constructorValue(field: PropertyDeclaration): Node | undefined {
  const cls = field.getParent();
  if (!Node.isClassDeclaration(cls) && !Node.isClassExpression(cls)) return undefined;
  for (const ctor of cls.getConstructors()) {
    for (const bin of ctor.getDescendantsOfKind(SyntaxKind.BinaryExpression)) {
      const left = bin.getLeft();
      if (bin.getOperatorToken().getKind() === SyntaxKind.EqualsToken && Node.isPropertyAccessExpression(left)
        && left.getExpression().getKind() === SyntaxKind.ThisKeyword && left.getName() === field.getName()) return bin.getRight();
    }
  }
  return undefined;
}

/** The name a lock declaration stores it under (`mutex`, or `lock` for `this.lock = …`). */
export function declaredName(decl: Node): string {
  if (Node.isBinaryExpression(decl)) {
    const left = decl.getLeft();
    return Node.isPropertyAccessExpression(left) ? left.getName() : left.getText();
  }
  return (decl as Node & { getName(): string }).getName();
}

/** The lock declaration an expression (`this.mutex`, `mutex`, `locks.mutex`) refers to. */
export function lockOf(expr: Expression): LockDeclaration | undefined {
  return lockDeclaration(declarationOf(expr));
}
