// A class that is a mutex by itself, as a promise chain: a method (`lock()`, `acquire()`) that
// makes a new promise, puts it in a field for the next caller (`this.last = …`), awaits the
// previous holder's promise from that field, and returns a function that settles its own.
// `new ChainMutex()` is then a lock, and `const release = await m.lock()` takes it.

import { Node, SyntaxKind, type ClassDeclaration, type MethodDeclaration } from 'ts-morph';
import { declarationOf } from './locks';
import { NEW_PROMISE, touchScope } from './unitReuse';

const cache = new WeakMap<Node, string | null>();
/** An Atomics mutex class's methods, and which constructor arguments are its buffer and index (when its fields come from them). */
export interface AtomicsMethods {
  takenBy: string;
  releasedBy: string;
  cell?: { buffer: number; index: number };
}

const atomicsCache = new WeakMap<object, AtomicsMethods | null>();

/** The name of the method that takes the lock, when `callee` (of `new callee()`) is a promise-chain mutex class. */
export function chainMutexMethod(callee: Node): string | undefined {
  const cls = declarationOf(callee);
  if (!cls || !Node.isClassDeclaration(cls)) return undefined;
  touchScope(cls, NEW_PROMISE); // only a method that makes a promise can be the one
  const known = cache.get(cls);
  if (known !== undefined) return known ?? undefined;
  const found = cls.getMethods().find((m) => takesChain(m))?.getName();
  cache.set(cls, found ?? null);
  return found;
}

/**
 * A mutex between workers built on a SharedArrayBuffer: a method that takes a word with
 * `Atomics.compareExchange` and sleeps on it with `Atomics.wait`, and one that gives it back
 * with `Atomics.notify`. The names of the two methods, when `callee`'s class is one.
 */
export function atomicsMutexMethods(callee: Node): AtomicsMethods | undefined {
  const cls = declarationOf(callee);
  if (!cls || !Node.isClassDeclaration(cls)) return undefined;
  touchScope(cls, 'Atomics');
  // Keyed by the compiler's node: a new parse of the class's file makes a new one.
  const known = atomicsCache.get(cls.compilerNode);
  // Which constructor arguments are the buffer and index is read from the constructor.
  if (known?.cell) cls.getConstructors().forEach((c) => touchScope(c));
  if (known !== undefined) return known ?? undefined;
  let found: AtomicsMethods | undefined;
  // Most classes never mention Atomics: their text says so without visiting their nodes.
  if (cls.getText().includes('Atomics')) {
    const uses = (m: Node, fn: string) => m.getText().includes(`Atomics.${fn}`)
      && m.getDescendantsOfKind(SyntaxKind.PropertyAccessExpression).some((p) => p.getText() === `Atomics.${fn}`);
    const take = cls.getMethods().find((m) => uses(m, 'compareExchange') && uses(m, 'wait'));
    const give = cls.getMethods().find((m) => m !== take && uses(m, 'notify'));
    const cell = take && cellArguments(cls, take);
    found = take && give ? { takenBy: take.getName(), releasedBy: give.getName(), ...(cell ? { cell } : {}) } : undefined;
  }
  if (found?.cell) cls.getConstructors().forEach((c) => touchScope(c));
  atomicsCache.set(cls.compilerNode, found ?? null);
  return found;
}

/**
 * The constructor arguments a take method's `Atomics.compareExchange(this.cells, this.index, …)`
 * works on: the positions of the parameters its two fields are set from (parameter properties,
 * or `this.cells = cells` in the constructor).
 */
function cellArguments(cls: ClassDeclaration, take: MethodDeclaration): { buffer: number; index: number } | undefined {
  const cas = take.getDescendantsOfKind(SyntaxKind.CallExpression).find((c) => c.getExpression().getText() === 'Atomics.compareExchange');
  const ctor = cls.getConstructors()[0];
  if (!cas || !ctor) return undefined;
  const params = ctor.getParameters();
  const from = (arg: Node | undefined) => {
    if (!arg || !Node.isPropertyAccessExpression(arg) || arg.getExpression().getKind() !== SyntaxKind.ThisKeyword) return -1;
    const field = arg.getName();
    return params.findIndex((p) => (p.isParameterProperty() && p.getName() === field)
      || ctor.getDescendantsOfKind(SyntaxKind.BinaryExpression).some((b) => b.getOperatorToken().getKind() === SyntaxKind.EqualsToken
        && b.getLeft().getText() === `this.${field}` && b.getRight().getText() === p.getName()));
  };
  const [buffer, index] = cas.getArguments().slice(0, 2).map(from);
  return buffer >= 0 && index >= 0 ? { buffer, index } : undefined;
}

/** Whether a method awaits the promise a field holds, replaces it with a new one, and returns a value (the releaser). */
function takesChain(method: Node): boolean {
  if (!Node.isMethodDeclaration(method) || method.getParameters().length > 0) return false;
  const fields = new Set<string>();
  for (const bin of method.getDescendantsOfKind(SyntaxKind.BinaryExpression)) {
    const left = bin.getLeft();
    if (bin.getOperatorToken().getKind() === SyntaxKind.EqualsToken && Node.isPropertyAccessExpression(left)
      && left.getExpression().getKind() === SyntaxKind.ThisKeyword) fields.add(left.getName());
  }
  if (fields.size === 0 || method.getDescendantsOfKind(SyntaxKind.NewExpression).every((n) => n.getExpression().getText() !== 'Promise')) return false;
  const awaitsField = method.getDescendantsOfKind(SyntaxKind.AwaitExpression).some((a) => readsField(a.getExpression(), fields));
  const returns = method.getDescendantsOfKind(SyntaxKind.ReturnStatement).some((r) => !!r.getExpression());
  return awaitsField && returns;
}

/** `this.last`, or a local initialised from it (`const prev = this.last`). */
function readsField(expr: Node, fields: Set<string>): boolean {
  if (Node.isPropertyAccessExpression(expr)) return expr.getExpression().getKind() === SyntaxKind.ThisKeyword && fields.has(expr.getName());
  if (!Node.isIdentifier(expr)) return false;
  const d = declarationOf(expr);
  const init = d && Node.isVariableDeclaration(d) ? d.getInitializer() : undefined;
  return !!init && readsField(init, fields);
}
