// What a `new C(…)` of a hand-rolled queue lock class (queueLocks.ts) makes: a mutex when it
// admits one holder (a busy flag, one permit, a capacity of 1), a counting semaphore otherwise.
// The number of holders is read at each `new`: a field's initial value, or the constructor
// argument (or parameter default) the constructor stores in it.

import { Node, SyntaxKind, type ClassDeclaration, type NewExpression } from 'ts-morph';
import { declarationOf, type MadeLock } from './locks';
import { queueLockShape, type QueueLockShape } from './queueLocks';
import { thisField, type QueueState } from './queueState';
import { NEW_PROMISE, touchScope } from './unitReuse';

/** Per class (by its compiler node, new with each parse): whether it has the words of one, and its shape. */
const shapes = new WeakMap<object, { promise: boolean; shift: boolean; shape?: QueueLockShape }>();

/** The queue lock a `new` expression makes, if its class is one. */
export function queueLock(init: NewExpression): MadeLock | undefined {
  const callee = init.getExpression();
  const cls = classOf(callee);
  const shape = cls && queueLockClass(cls);
  if (!cls || !shape) return undefined;
  const holders = holdersOf(cls, shape.state, init);
  if (holders === undefined) return undefined;
  const methods = { takenBy: shape.takenBy, releasedBy: shape.releasedBy, runBy: shape.runBy };
  if (holders === 1) return { kind: 'promise-mutex', counting: false, callee, ...methods };
  return { kind: 'promise-semaphore', counting: true, callee, slots: holders ?? undefined, ...methods };
}

/**
 * The shape of a class that is a queue lock (cached per parse). Its scan is recorded for
 * incremental edits: every shape waits on a `new Promise` and shifts its queue, so a class
 * without both words is none whatever its other units say; one with both depends on them all.
 */
export function queueLockClass(cls: ClassDeclaration): QueueLockShape | undefined {
  touchScope(cls, NEW_PROMISE);
  let known = shapes.get(cls.compilerNode);
  if (!known) {
    const text = cls.getText();
    const promise = NEW_PROMISE.test(text);
    const shift = promise && text.includes('shift');
    known = { promise, shift, shape: shift ? queueLockShape(cls) : undefined };
    shapes.set(cls.compilerNode, known);
  }
  if (known.promise) touchScope(cls, 'shift');
  if (known.shift) touchScope(cls);
  return known.shape;
}

/**
 * The class a constructor expression names: its declaration, the class a CommonJS
 * `exports.C = C` gives, or, when the import resolves to a shipped `.d.ts` beside its `.js`
 * (a package's `lib/`), the class of that name in the `.js`, which has the bodies.
 */
function classOf(callee: Node): ClassDeclaration | undefined {
  let decl = declarationOf(callee);
  if (decl && Node.isBinaryExpression(decl) && Node.isIdentifier(decl.getRight())) decl = declarationOf(decl.getRight());
  if (!decl || !Node.isClassDeclaration(decl)) return undefined;
  const sf = decl.getSourceFile();
  const name = decl.getName();
  if (!sf.isDeclarationFile() || !name) return decl;
  const base = sf.getFilePath().replace(/\.d\.([mc]?)ts$/, '.$1js');
  return sf.getProject().getSourceFile(base)?.getClass(name) ?? decl;
}

/** How many holders it admits: a number, `null` when not written as one, `undefined` when none (no lock). */
function holdersOf(cls: ClassDeclaration, state: QueueState, init: NewExpression): number | null | undefined {
  if (state.how === 'flag') {
    const v = initialValue(cls, state.field, init);
    return v === undefined || v === false ? 1 : undefined;
  }
  if (state.how === 'permits') {
    const v = initialValue(cls, state.field, init);
    return typeof v === 'number' ? (v >= 1 ? v : undefined) : v === null ? null : undefined;
  }
  // Holders counted against no limit, or one never given a value, bound nothing.
  const limit = !state.limit ? undefined : 'literal' in state.limit ? state.limit.literal : initialValue(cls, state.limit.field, init);
  return typeof limit === 'number' ? (limit >= 1 ? limit : undefined) : limit === null ? null : undefined;
}

/** A field's value once constructed: its initializer, or what the constructor stores in it. `null`: not a literal. */
function initialValue(cls: ClassDeclaration, field: string, init: NewExpression): number | boolean | null | undefined {
  const prop = cls.getProperty(field);
  const written = prop?.getInitializer();
  if (written) return literal(written, cls, init);
  const ctor = cls.getConstructors()[0];
  const param = ctor?.getParameters().findIndex((p) => p.getName() === field && p.isParameterProperty());
  if (ctor && param !== undefined && param >= 0) return argument(cls, param, init);
  for (const bin of ctor?.getDescendantsOfKind(SyntaxKind.BinaryExpression) ?? []) {
    if (bin.getOperatorToken().getKind() === SyntaxKind.EqualsToken && thisField(bin.getLeft()) === field) return literal(bin.getRight(), cls, init);
  }
  return undefined;
}

/** A literal number or boolean, or a constructor parameter's argument at this `new`. */
function literal(node: Node, cls: ClassDeclaration, init: NewExpression): number | boolean | null {
  if (Node.isNumericLiteral(node)) return Number(node.getLiteralValue());
  if (node.getKind() === SyntaxKind.TrueKeyword || node.getKind() === SyntaxKind.FalseKeyword) return node.getKind() === SyntaxKind.TrueKeyword;
  const params = cls.getConstructors()[0]?.getParameters() ?? [];
  const at = Node.isIdentifier(node) ? params.findIndex((p) => p.getName() === node.getText()) : -1;
  return at >= 0 ? argument(cls, at, init) : null;
}

/** The number given for a constructor parameter at this `new`, or its default. */
function argument(cls: ClassDeclaration, index: number, init: NewExpression): number | null {
  const arg = init.getArguments()[index];
  const given = arg ?? cls.getConstructors()[0]?.getParameters()[index]?.getInitializer();
  return given && Node.isNumericLiteral(given) ? Number(given.getLiteralValue()) : null;
}
