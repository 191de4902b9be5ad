// Atomics locks between workers, named by their buffer and index: a hand-rolled mutex takes a
// word with `Atomics.compareExchange` in a loop that sleeps in `Atomics.wait`, and gives it back
// with `Atomics.store(view, i, 0)` and `Atomics.notify`. The lock is the cell: `cells[0]` of the
// buffer where it is made (a const of a module's top level: `new SharedArrayBuffer(n)` or a view
// of one), the same in the worker that gets it (`workerData.cells`, `const { cells } = workerData`,
// a 'message' handler's parameter). A literal or const index is one lock; a computed one is a
// member of the buffer's family. Written in place, in `lock(i)`/`unlock(i)` functions, or as a
// class built so (chainMutex.ts: `new SharedMutex(cells, 0)`).

import { Node, SyntaxKind, type CallExpression, type SourceFile } from 'ts-morph';
import type { Ref } from '../events';
import type { KeyOwner } from './keyedLocks';
import { declarationOf, type LockDeclaration } from './locks';
import type { LockOps } from './lockOps';
import { rangeOf } from './refs';
import type { Ctx } from './scope';
import { touchScope } from './unitReuse';
import { fromWorkerThreads, isParentPortName, startersOf } from './workers';

/** A buffer, by the file and top-level const where it is made. */
interface Buffer {
  file: string;
  name: string;
}

/** The typed-array views Atomics works on. */
const VIEW = /^(?:Int|Uint|BigInt|BigUint)(?:8|16|32|64)Array$/;
/** What a worker's 'message' handler gets: whatever its starter posts. */
const POSTED = Symbol('posted');

/** The lock a class instance is (`new SharedMutex(cells, 0)`), when its buffer and index are known. */
export function instanceCell(ops: LockOps, found: LockDeclaration): Ref | undefined {
  const cell = found.made.cell;
  if (!cell || !Node.isNewExpression(found.init)) return undefined;
  const args = found.init.getArguments();
  return args[cell.buffer] && args[cell.index] ? cellRef(ops, args[cell.buffer], args[cell.index]) : undefined;
}

/** Take or give back an Atomics lock written in place or through `lock(i)`/`unlock(i)`; false when the call is neither. */
export function atomicsLockCall(ops: LockOps, call: Node, ctx: Ctx): boolean {
  if (!Node.isCallExpression(call)) return false;
  const callee = call.getExpression();
  const text = callee.getText();
  if (text === 'Atomics.compareExchange') {
    const [buffer, index] = call.getArguments();
    return !!spinLoop(call) && !ownParameter(buffer, index) && take(ops, call, buffer, index, ctx);
  }
  if (text === 'Atomics.store') {
    const [buffer, index, value] = call.getArguments();
    return !!value && indexKey(value) === '0' && !ownParameter(buffer, index) && give(ops, call, buffer, index, ctx);
  }
  if (!Node.isIdentifier(callee)) return false;
  const shape = functionShape(declarationOf(callee));
  if (!shape) return false;
  const args = call.getArguments();
  const [buffer, index] = [shape.buffer, shape.index].map((n) => (typeof n === 'number' ? args[n] : n));
  if (!buffer || !index) return false;
  return shape.takes ? take(ops, call, buffer, index, ctx) : give(ops, call, buffer, index, ctx);
}

/** The lock `buffer[index]` is, when the buffer is known. */
function cellRef(ops: LockOps, buffer: Node, index: Node): Ref | undefined {
  const b = bufferOf(buffer);
  if (!b) return undefined;
  const key = `atomics:${b.file}#${b.name}`;
  const owner: KeyOwner = { owner: key, base: b.name, kind: 'atomics-mutex', index: true, shared: { key, name: `${ops.host.refs.moduleName(b.file)}.${b.name}` } };
  return ops.keyed.ref(owner, { key: indexKey(index), node: index }, false);
}

function take(ops: LockOps, call: CallExpression, buffer: Node, index: Node, ctx: Ctx): boolean {
  const lock = cellRef(ops, buffer, index);
  if (!lock) return false;
  ctx.held.push(ops.acquire(lock, call, 'acquire', ctx));
  return true;
}

function give(ops: LockOps, call: CallExpression, buffer: Node, index: Node, ctx: Ctx): boolean {
  if (!ctx.held.length || !bufferOf(buffer)) return false;
  const lock = JSON.stringify(cellRef(ops, buffer, index));
  let at = ctx.held.length - 1;
  while (at >= 0 && JSON.stringify(ctx.held[at].lock) !== lock) at--;
  if (at < 0) return false;
  const [held] = ctx.held.splice(at, 1);
  ops.host.facts.releases.push({ functionId: ctx.fn, lock: held.lock, range: rangeOf(call) });
  return true;
}

/**
 * The loop `while (Atomics.compareExchange(v, i, 0, …) !== 0) Atomics.wait(v, i, …)` a compareExchange
 * is the test of: it waits for the word to be 0 (free) and sets it; other values are some other protocol.
 */
function spinLoop(cas: CallExpression): Node | undefined {
  const free = cas.getArguments()[2];
  if (!free || indexKey(free) !== '0') return undefined;
  let test: Node = cas;
  while (Node.isBinaryExpression(test.getParent()) || Node.isParenthesizedExpression(test.getParent())) test = test.getParent()!;
  const loop = test.getParent();
  if (!loop || !(Node.isWhileStatement(loop) || Node.isDoStatement(loop) || Node.isForStatement(loop))) return undefined;
  if ((Node.isForStatement(loop) ? loop.getCondition() : loop.getExpression()) !== test) return undefined;
  const [buffer, index] = cas.getArguments().map((a) => a.getText());
  return loop.getStatement().getDescendantsOfKind(SyntaxKind.CallExpression).some((w) => w.getExpression().getText() === 'Atomics.wait'
    && w.getArguments()[0]?.getText() === buffer && w.getArguments()[1]?.getText() === index) ? loop : undefined;
}

/** Whether the buffer or index is a parameter of the function it is written in (a `lock(i)` function: its calls take the lock). */
function ownParameter(...nodes: (Node | undefined)[]): boolean {
  return nodes.some((n) => {
    const d = n && Node.isIdentifier(n) ? declarationOf(n) : undefined;
    return !!d && Node.isParameterDeclaration(d) && d.getParent() === n!.getFirstAncestor((a) => Node.isFunctionLikeDeclaration(a) || Node.isArrowFunction(a) || Node.isFunctionExpression(a));
  });
}

/** What a function does to a cell: takes it (a spin loop) or gives it back (store 0 and notify), never both; its parameters by position. */
interface FunctionShape {
  takes: boolean;
  buffer: Node | number;
  index: Node | number;
}

/**
 * By the parse of the function's file, then by its compiler node: the shape keeps nodes of that
 * parse, and an incremental parse may carry an unchanged function's compiler node over to the next.
 */
const shapes = new WeakMap<object, WeakMap<object, FunctionShape | null>>();

/** A `lock(i)` or `unlock(i)` function (a declaration, or a const holding an arrow or function expression). */
function functionShape(decl: Node | undefined): FunctionShape | undefined {
  const fn = decl && Node.isVariableDeclaration(decl) ? decl.getInitializer() : decl;
  if (!fn || !(Node.isFunctionDeclaration(fn) || Node.isArrowFunction(fn) || Node.isFunctionExpression(fn))) return undefined;
  touchScope(fn, 'Atomics');
  const sfNode = fn.getSourceFile().compilerNode;
  let inFile = shapes.get(sfNode);
  if (!inFile) shapes.set(sfNode, (inFile = new WeakMap()));
  const known = inFile.get(fn.compilerNode);
  if (known !== undefined) return known ?? undefined;
  let shape: FunctionShape | undefined;
  if (fn.getText().includes('Atomics')) {
    const calls = fn.getDescendantsOfKind(SyntaxKind.CallExpression);
    const takes = calls.filter((c) => c.getExpression().getText() === 'Atomics.compareExchange' && spinLoop(c));
    const gives = calls.filter((c) => c.getExpression().getText() === 'Atomics.store' && !!c.getArguments()[2] && indexKey(c.getArguments()[2]) === '0'
      && calls.some((n) => n.getExpression().getText() === 'Atomics.notify' && n.getArguments()[0]?.getText() === c.getArguments()[0]?.getText()));
    const one = takes.length + gives.length === 1 ? (takes[0] ?? gives[0]) : undefined;
    const params = fn.getParameters();
    const at = (n: Node) => {
      const d = Node.isIdentifier(n) ? declarationOf(n) : undefined;
      const i = d ? params.findIndex((p) => p === d) : -1;
      return i >= 0 ? i : n;
    };
    const [buffer, index] = one ? one.getArguments() : [];
    if (one && buffer && index) shape = { takes: !!takes[0], buffer: at(buffer), index: at(index) };
  }
  inFile.set(fn.compilerNode, shape ?? null);
  return shape;
}

/** A cell's index (or a value) as a key: a number, or a const naming one; undefined when computed. */
function indexKey(node: Node): string | undefined {
  const n = strip(node);
  if (Node.isNumericLiteral(n)) return String(Number(n.getLiteralValue()));
  const d = Node.isIdentifier(n) ? declarationOf(n) : undefined;
  if (d) touchScope(d);
  const init = d && Node.isVariableDeclaration(d) && d.getVariableStatement()?.getDeclarationKind() === 'const' ? d.getInitializer() : undefined;
  return init && Node.isNumericLiteral(strip(init)) ? String(Number((strip(init) as Node & { getLiteralValue(): number }).getLiteralValue())) : undefined;
}

/** The buffer an expression is (or views), by where it is made; undefined when that is not known. */
function bufferOf(expr: Node, depth = 0): Buffer | undefined {
  const e = strip(expr);
  if (depth > 6) return undefined;
  const sf = e.getSourceFile();
  if (isWorkerData(e)) return fromStarters(sf, '', depth);
  if (Node.isPropertyAccessExpression(e) && isWorkerData(e.getExpression())) return fromStarters(sf, e.getName(), depth);
  const view = viewed(e);
  if (view) return bufferOf(view, depth + 1);
  const decl = Node.isIdentifier(e) ? declarationOf(e) : Node.isShorthandPropertyAssignment(e) ? e.getValueSymbol()?.getDeclarations()[0] : undefined;
  if (!decl) return undefined;
  touchScope(decl); // its value is read (in another file: main.ts's buffer, for its worker)
  if (Node.isBindingElement(decl)) return fromWorkerDataBinding(decl, depth);
  if (Node.isParameterDeclaration(decl)) return isMessageParameter(decl) ? fromStarters(sf, POSTED, depth) : undefined;
  if (!Node.isVariableDeclaration(decl) || !Node.isIdentifier(decl.getNameNode()) || decl.getVariableStatement()?.getDeclarationKind() !== 'const') return undefined;
  const init = decl.getInitializer() && strip(decl.getInitializer()!);
  if (!init) return undefined;
  const made = isMade(init) || (!!viewed(init) && isMade(strip(viewed(init)!)));
  if (!made) return bufferOf(init, depth + 1);
  // A buffer made in a function is a new one at each call.
  return decl.getVariableStatement()?.getParent() === decl.getSourceFile() ? { file: decl.getSourceFile().getFilePath(), name: decl.getName() } : undefined;
}

/** `new SharedArrayBuffer(n)`. */
function isMade(n: Node): boolean {
  return Node.isNewExpression(n) && n.getExpression().getText() === 'SharedArrayBuffer';
}

/** The buffer a whole view is made over (`new Int32Array(buf)`; one with an offset names other cells). */
function viewed(n: Node): Node | undefined {
  if (!Node.isNewExpression(n) || !VIEW.test(n.getExpression().getText())) return undefined;
  const args = n.getArguments();
  return args.length === 1 ? args[0] : undefined;
}

/** `workerData` from worker_threads. */
function isWorkerData(n: Node): boolean {
  return Node.isIdentifier(n) && n.getText() === 'workerData' && fromWorkerThreads(n);
}

/** `const { cells } = workerData` (or `{ shared: cells }`). */
function fromWorkerDataBinding(decl: Node, depth: number): Buffer | undefined {
  if (!Node.isBindingElement(decl) || !Node.isIdentifier(decl.getNameNode())) return undefined;
  const holder = decl.getParent()?.getParent();
  const init = holder && Node.isVariableDeclaration(holder) ? holder.getInitializer() : undefined;
  if (!init || !isWorkerData(strip(init))) return undefined;
  return fromStarters(decl.getSourceFile(), decl.getPropertyNameNode()?.getText() ?? decl.getName(), depth);
}

/** The first parameter of `parentPort.on('message', (buf) => …)` (or `once`, `addListener`). */
function isMessageParameter(p: Node): boolean {
  const fn = p.getParent();
  const call = fn?.getParent();
  if (!fn || !call || !(Node.isArrowFunction(fn) || Node.isFunctionExpression(fn)) || fn.getParameters()[0] !== p || !Node.isCallExpression(call)) return false;
  const callee = call.getExpression();
  return Node.isPropertyAccessExpression(callee) && ['on', 'once', 'addListener'].includes(callee.getName()) && isParentPortName(callee.getExpression())
    && call.getArguments()[1] === fn && call.getArguments()[0]?.getText().replace(/["'`]/g, '') === 'message';
}

/** The one buffer every file starting this worker hands it under `prop` (workerData's property, or what it posts). */
function fromStarters(sf: SourceFile, prop: string | typeof POSTED, depth: number): Buffer | undefined {
  const given = startersOf(sf).flatMap((w) => (prop === POSTED ? w.posted.filter((p) => !Node.isLiteralExpression(p)) : [w.data.get(prop)]));
  const found = given.map((g) => g && bufferOf(g, depth + 1));
  const first = found[0];
  return first && found.every((f) => f?.file === first.file && f.name === first.name) ? first : undefined;
}

/** An expression without parentheses, `as`, `satisfies` or `!`. */
function strip(n: Node): Node {
  while (Node.isParenthesizedExpression(n) || Node.isAsExpression(n) || Node.isSatisfiesExpression(n) || Node.isNonNullExpression(n)) n = n.getExpression();
  return n;
}
