// A class that is a mutex by itself, as a promise chain: a method (`lock()`, `acquire()`) that
// makes a new promise, puts it in a field for the next caller (`this.last = …`), awaits the
// previous holder's promise from that field, and returns a function that settles its own.
// `new ChainMutex()` is then a lock, and `const release = await m.lock()` takes it.

import { Node, SyntaxKind } from 'ts-morph';
import { declarationOf } from './locks';
import { NEW_PROMISE, touchScope } from './unitReuse';

const cache = new WeakMap<Node, string | null>();
const atomicsCache = new WeakMap<object, { takenBy: string; releasedBy: string } | null>();

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
export function atomicsMutexMethods(callee: Node): { takenBy: string; releasedBy: string } | undefined {
  const cls = declarationOf(callee);
  if (!cls || !Node.isClassDeclaration(cls)) return undefined;
  touchScope(cls, 'Atomics');
  // Keyed by the compiler's node: a new parse of the class's file makes a new one.
  const known = atomicsCache.get(cls.compilerNode);
  if (known !== undefined) return known ?? undefined;
  let found: { takenBy: string; releasedBy: string } | undefined;
  // Most classes never mention Atomics: their text says so without visiting their nodes.
  if (cls.getText().includes('Atomics')) {
    const uses = (m: Node, fn: string) => m.getText().includes(`Atomics.${fn}`)
      && m.getDescendantsOfKind(SyntaxKind.PropertyAccessExpression).some((p) => p.getText() === `Atomics.${fn}`);
    const take = cls.getMethods().find((m) => uses(m, 'compareExchange') && uses(m, 'wait'));
    const give = cls.getMethods().find((m) => m !== take && uses(m, 'notify'));
    found = take && give ? { takenBy: take.getName(), releasedBy: give.getName() } : undefined;
  }
  atomicsCache.set(cls.compilerNode, found ?? null);
  return found;
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
