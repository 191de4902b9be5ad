// Recognises locks with the type checker: a `new Mutex()` / `new Semaphore(1)` whose
// constructor is imported (or required) from 'async-mutex', a `new AsyncLock()` from
// 'async-lock' (a lock per key), the declaration that stores one, and the declaration an
// expression such as `this.mutex` or an imported `lock` refers to.

import { Node, SyntaxKind, type BinaryExpression, type ClassDeclaration, type ClassExpression, type PropertyAssignment, type PropertyDeclaration, type VariableDeclaration } from 'ts-morph';
import { madeLimiter } from './limiters';
import { atomicsMutexMethods, chainMutexMethod } from './chainMutex';
import { queueLock } from './queueLockMade';
import { isPackageFunction, literalNumber } from './packages';
import { hasTimeoutOption, lockWrapper } from './timeouts';
import type { LockKind } from '../types';
import { touchScope } from './unitReuse';
import { readDeclaration } from './dependents';

const PACKAGE = 'async-mutex';
const KEYED_PACKAGE = 'async-lock';

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
  /** How many holders it admits at once, when written as a number (a semaphore's permits, a limiter's concurrency). */
  slots?: number;
  /** A promise-chain, Atomics or queue lock class: the method that takes it, and the one that gives it back (chainMutex.ts, queueLocks.ts). */
  takenBy?: string;
  releasedBy?: string;
  /** A hand-rolled queue lock's method that runs its callback holding it, as `runExclusive` does (queueLocks.ts). */
  runBy?: string;
}

/** The async-mutex class a constructor expression names (`Mutex`, `Semaphore`), if it is one. */
function asyncMutexClass(callee: Node): 'Mutex' | 'Semaphore' | undefined {
  const name = Node.isIdentifier(callee) ? callee.getText() : Node.isPropertyAccessExpression(callee) ? callee.getName() : undefined;
  if (name !== 'Mutex' && name !== 'Semaphore') return undefined;
  return isPackageFunction(callee, PACKAGE) ? name : undefined;
}

/**
 * The lock an initializer makes: `new Mutex()`, `new Semaphore(n)` (one permit is a mutex; more
 * is a counting semaphore that one task may hold `n` times over), `new AsyncLock()`, or a
 * limiter (limiters.ts); wrapped in `withTimeout`/`tryAcquire`, it is `timed`/`tryOnly` (timeouts.ts).
 */
export function madeLock(init: Node | undefined): MadeLock | undefined {
  const wrapped = init && lockWrapper(init);
  if (wrapped && Node.isNewExpression(wrapped.inner)) {
    const made = madeLock(wrapped.inner);
    return made && { ...made, ...(wrapped.tryOnly ? { tryOnly: true } : { timed: true }) };
  }
  const limiter = madeLimiter(init);
  if (limiter || !init || !Node.isNewExpression(init)) return limiter;
  const callee = init.getExpression();
  if (isPackageFunction(callee, KEYED_PACKAGE)) {
    return { kind: 'async-lock', counting: false, callee, keyed: true, timed: hasTimeoutOption(init.getArguments()[0]) || undefined };
  }
  const cls = asyncMutexClass(callee);
  if (!cls) {
    // @livekit/mutex's `Mutex` is such a chain: `const unlock = await mutex.lock()`.
    if (isPackageFunction(callee, '@livekit/mutex') && /(^|\.)Mutex$/.test(callee.getText())) return { kind: 'promise-mutex', counting: false, callee, takenBy: 'lock' };
    const atomics = atomicsMutexMethods(callee);
    if (atomics) return { kind: 'atomics-mutex', counting: false, callee, ...atomics };
    const method = chainMutexMethod(callee);
    return method ? { kind: 'promise-mutex', counting: false, callee, takenBy: method } : queueLock(init);
  }
  if (cls === 'Mutex') return { kind: 'async-mutex.Mutex', counting: false, callee };
  const n = literalNumber(init.getArguments()[0]);
  return { kind: 'async-mutex.Semaphore', counting: n !== 1, callee, slots: n !== undefined && n > 1 ? n : undefined };
}

/** The declaration an expression refers to (through imports), if it has one. */
export function declarationOf(expr: Node): Node | undefined {
  const known = declarations.get(expr);
  if (known) readDeclaration(known);
  if (known !== undefined) return known ?? undefined;
  let symbol = expr.getSymbol();
  if (symbol?.isAlias()) symbol = symbol.getAliasedSymbol();
  const decl = symbol?.getDeclarations()[0];
  declarations.set(expr, decl ?? null);
  if (decl) readDeclaration(decl);
  return decl;
}

/**
 * What `declarationOf` found for each expression during one file's walk: the walk asks again
 * for the same callee from each kind of lock operation, and each answer costs the type checker a
 * symbol lookup. The program does not change during a walk; it may between walks.
 */
let declarations = new WeakMap<Node, Node | null>();

/** Forget the declarations found so far (at the start of a file's walk). */
export function forgetDeclarations(): void {
  declarations = new WeakMap();
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
  else if (decl && Node.isVariableDeclaration(decl)) init = decl.getInitializer() ?? assignedLater(decl);
  else if (decl && Node.isPropertyDeclaration(decl)) init = decl.getInitializer() ?? constructorValue(decl);
  else if (decl && objectMember(decl)) init = (decl as PropertyAssignment).getInitializer();
  const made = madeLock(init);
  return decl && made && init ? { decl, made, init } : undefined;
}

/** The value a class's constructor gives a property declared without one (`this.name = value`). */
export function constructorValue(field: PropertyDeclaration): Node | undefined {
  const cls = field.getParent();
  if (!Node.isClassDeclaration(cls) && !Node.isClassExpression(cls)) return undefined;
  return constructorAssignments(cls).get(field.getName());
}

/** Per class (by its wrapper, new with each parse: the nodes kept are wrappers): what its constructors assign to `this.name`. */
const ctorValues = new WeakMap<Node, Map<string, Node>>();

/** The values a class's constructors give its properties (`this.name = value`), by name; gathered once per parse. */
function constructorAssignments(cls: ClassDeclaration | ClassExpression): Map<string, Node> {
  for (const ctor of cls.getConstructors()) touchScope(ctor);
  let byName = ctorValues.get(cls);
  if (byName) return byName;
  byName = new Map();
  for (const ctor of cls.getConstructors()) {
    for (const bin of ctor.getDescendantsOfKind(SyntaxKind.BinaryExpression)) {
      const left = bin.getLeft();
      if (bin.getOperatorToken().getKind() === SyntaxKind.EqualsToken && Node.isPropertyAccessExpression(left)
        && left.getExpression().getKind() === SyntaxKind.ThisKeyword && !byName.has(left.getName())) byName.set(left.getName(), bin.getRight());
    }
  }
  ctorValues.set(cls, byName);
  return byName;
}

/**
 * A property of an object literal a `const` holds (`const locks = { users: new Mutex() }`): each
 * property is a lock of its own, named after both (`locks.users`).
 */
export function objectMember(decl: Node): VariableDeclaration | undefined {
  if (!Node.isPropertyAssignment(decl)) return undefined;
  const literal = decl.getParent();
  const holder = Node.isObjectLiteralExpression(literal) ? literal.getParent() : undefined;
  if (!holder || !Node.isVariableDeclaration(holder) || !Node.isIdentifier(holder.getNameNode())) return undefined;
  return holder.getVariableStatement()?.getDeclarationKind() === 'const' ? holder : undefined;
}

/** The name a lock declaration stores it under (`mutex`, `lock` for `this.lock = …`, `locks.users` in an object). */
export function declaredName(decl: Node): string {
  const holder = objectMember(decl);
  if (holder) return `${holder.getName()}.${(decl as PropertyAssignment).getName()}`;
  if (Node.isBinaryExpression(decl)) {
    const left = decl.getLeft();
    return Node.isPropertyAccessExpression(left) ? left.getName() : left.getText();
  }
  return (decl as Node & { getName(): string }).getName();
}

/** The lock declaration an expression (`this.mutex`, `mutex`, `locks.mutex`, `getLock()`) refers to. */
export function lockOf(expr: Node): LockDeclaration | undefined {
  if (Node.isCallExpression(expr)) return accessorLock(expr);
  return lockDeclaration(declarationOf(expr));
}

/** `getLock()`: a function without parameters that returns a lock variable (made on first use). */
function accessorLock(call: Node): LockDeclaration | undefined {
  if (!Node.isCallExpression(call) || call.getArguments().length > 0) return undefined;
  const fn = declarationOf(call.getExpression());
  if (!fn || !Node.isFunctionDeclaration(fn) || fn.getParameters().length > 0) return undefined;
  touchScope(fn);
  const returned = fn.getDescendantsOfKind(SyntaxKind.ReturnStatement).map((r) => r.getExpression()).filter((e) => !!e);
  return returned.length === 1 && Node.isIdentifier(returned[0]) ? lockDeclaration(declarationOf(returned[0])) : undefined;
}

/** The lock a `let lock;` is given later in its file (`lock = new AsyncLock()`, often made on first use). */
function assignedLater(decl: Node): Node | undefined {
  if (!Node.isVariableDeclaration(decl) || !Node.isIdentifier(decl.getNameNode())) return undefined;
  // A local is assigned only in its function (one unit); a variable of the top level anywhere in the file.
  const fn = decl.getFirstAncestor((a) => Node.isFunctionLikeDeclaration(a) || Node.isArrowFunction(a) || Node.isFunctionExpression(a));
  if (!fn) touchScope(decl.getSourceFile(), decl.getName());
  for (const bin of constructions(fn ?? decl.getSourceFile()).get(decl.getName()) ?? []) {
    if (declarationOf(bin.getLeft()) === decl && madeLock(bin.getRight())) return bin.getRight();
  }
  return undefined;
}

/** By function (its wrapper, new with each parse), or for a whole file by the compiler's source file (ts-morph keeps a file's wrapper across parses). */
const assignments = new WeakMap<object, Map<string, BinaryExpression[]>>();

/** The assignments of a `new …` or call to a plain name (`x = new C()`) in a function or file, by name; gathered once per parse. */
function constructions(scope: Node): Map<string, BinaryExpression[]> {
  const key = Node.isSourceFile(scope) ? scope.compilerNode : scope;
  let byName = assignments.get(key);
  if (!byName) {
    byName = new Map();
    for (const bin of scope.getDescendantsOfKind(SyntaxKind.BinaryExpression)) {
      const right = bin.getRight();
      if (bin.getOperatorToken().getKind() !== SyntaxKind.EqualsToken || !Node.isIdentifier(bin.getLeft())) continue;
      if (!Node.isNewExpression(right) && !Node.isCallExpression(right)) continue;
      const name = bin.getLeft().getText();
      byName.set(name, [...(byName.get(name) ?? []), bin]);
    }
    assignments.set(key, byName);
  }
  return byName;
}
