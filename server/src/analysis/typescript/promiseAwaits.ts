// Promises awaited with locks held (alone, or among the promises of a `Promise.all`), for LO105:
// what settles them. Two shapes are known:
// - a promise whose resolver is stored (`this.ready = new Promise((r) => { this.resolveReady = r; })`):
//   whoever calls `this.resolveReady()` settles it; the resolver's storage is named by a key that
//   the await and every call of the resolver share;
// - a promise started by a call made before the locks were taken (`const p = load()`): it settles
//   when `load` returns, and `load` runs at the call only up to its first `await`.

import { Node, SyntaxKind } from 'ts-morph';
import type { AwaitFact, CallFact } from '../events';
import { declarationOf } from './locks';
import { positionAt, rangeOf } from './refs';
import type { Ctx, WalkHost } from './scope';
import { touchScope } from './unitReuse';
import { bareName, emptySlot, keyOf, storageName, storageScope, storageText } from './resolverStorage';

/** The resolver keys stored by the promises made in a scope (a class, function or file), worked out once per parse of it. */
const storedIn = new WeakMap<object, Set<string>>();

/**
 * Record `await expr` when locks are held and what settles the promise is known. `await
 * Promise.all([a, b])` (or `allSettled`) waits for each of them: each is recorded on its own.
 */
export function promiseAwait(host: WalkHost, node: Node, ctx: Ctx): void {
  if (!Node.isAwaitExpression(node) || ctx.held.length === 0) return;
  const awaited = node.getExpression();
  const all = allOf(awaited);
  if (!all) return awaitOf(host, node, awaited, node.getText(), ctx);
  const whole = node.getText().replace(/\s+/g, ' ');
  for (const el of all) awaitOf(host, node, el, whole.length <= 60 ? whole : `await Promise.all([… ${el.getText()} …])`, ctx);
}

/** The elements of `Promise.all([…])` / `Promise.allSettled([…])`, which settles only when every one has. */
function allOf(expr: Node): Node[] | undefined {
  if (!Node.isCallExpression(expr) || !/^Promise\.(?:all|allSettled)$/.test(expr.getExpression().getText())) return undefined;
  const list = expr.getArguments()[0];
  return list && Node.isArrayLiteralExpression(list) ? list.getElements() : undefined;
}

/** Record the await (`node`, written `text`) of one promise expression, when what settles it is known. */
function awaitOf(host: WalkHost, node: Node, awaited: Node, text: string, ctx: Ctx): void {
  if (Node.isNewExpression(awaited)) {
    // `await new Promise((r) => { state.ready = r; })`: settled by whoever calls `state.ready()`.
    const settledBy = storedSettlers(awaited);
    const short = text.length <= 60 ? text : 'await new Promise(…)';
    if (settledBy) (host.facts.awaits ??= []).push({ functionId: ctx.fn, range: rangeOf(node), held: [...ctx.held], text: short, settledBy });
    return;
  }
  if (!Node.isIdentifier(awaited) && !Node.isPropertyAccessExpression(awaited)) return;
  const decl = declarationOf(awaited);
  if (!decl) return;
  const fact: AwaitFact = { functionId: ctx.fn, range: rangeOf(node), held: [...ctx.held], text };
  const settledBy = promisesOf(decl).map(storedSettlers).find((k) => k !== undefined);
  if (settledBy) fact.settledBy = settledBy;
  else {
    const started = startedBefore(host, decl, ctx);
    if (!started) return;
    fact.started = started;
  }
  (host.facts.awaits ??= []).push(fact);
}

/** Mark a call of a stored promise resolver (`this.resolveReady()`) with the resolver's key. */
export function markSettles(call: CallFact, callee: Node): void {
  if (!Node.isIdentifier(callee) && !(Node.isPropertyAccessExpression(callee) && storageText(callee))) return;
  const decl = declarationOf(callee);
  if (!decl) return;
  // A member of an exported object kept empty for a resolver (`state.ready?.()`): any file may store one there.
  if (emptySlot(decl)) {
    call.settles = keyOf(decl);
    return;
  }
  if (!(Node.isVariableDeclaration(decl) || Node.isPropertyDeclaration(decl) || Node.isBinaryExpression(decl))) return;
  const key = resolverKey(decl);
  if (key) call.settles = key;
}

/** The `new Promise(…)` values a variable or property is given: its initializer and its assignments. */
function promisesOf(decl: Node): Node[] {
  const name = storageName(decl);
  const scope = storageScope(decl);
  if (!name || !scope) return [];
  touchScope(scope, bareName(name));
  const values: Node[] = [];
  const init = Node.isVariableDeclaration(decl) || Node.isPropertyDeclaration(decl) ? decl.getInitializer() : undefined;
  if (init) values.push(init);
  for (const bin of scope.getDescendantsOfKind(SyntaxKind.BinaryExpression)) {
    if (bin.getOperatorToken().getKind() === SyntaxKind.EqualsToken && storageText(bin.getLeft()) === name) values.push(bin.getRight());
  }
  return values.filter((v) => Node.isNewExpression(v) && v.getExpression().getText() === 'Promise');
}

/**
 * The keys of the storages a promise's executor puts its `resolve` (and `reject`) in
 * (`this.resolveReady = resolve`), when nothing else can settle it: undefined when the executor
 * uses them otherwise (calls one, hands one on) or a storage is used as anything but a call.
 */
function storedSettlers(promise: Node): string[] | undefined {
  if (!Node.isNewExpression(promise)) return undefined;
  const executor = promise.getArguments()[0];
  if (!executor || !(Node.isArrowFunction(executor) || Node.isFunctionExpression(executor))) return undefined;
  const keys: string[] = [];
  for (const param of executor.getParameters().slice(0, 2)) {
    const name = param.getName();
    for (const id of executor.getDescendantsOfKind(SyntaxKind.Identifier)) {
      if (id.getText() !== name || id.getParent() === param) continue;
      const bin = id.getParent();
      if (!bin || !Node.isBinaryExpression(bin) || bin.getRight() !== id || bin.getOperatorToken().getKind() !== SyntaxKind.EqualsToken) return undefined;
      const storage = declarationOf(bin.getLeft()) ?? bin;
      const key = keyOf(storage);
      if (!key || escapes(storage, bin)) return undefined;
      keys.push(key);
    }
  }
  return keys.length > 0 ? keys : undefined;
}

/** Whether a storage is used, in its scope, as anything but a call or an assignment to it. */
function escapes(storage: Node, stored: Node): boolean {
  const name = storageName(storage);
  const scope = storageScope(storage);
  if (!name || !scope) return true;
  touchScope(scope, bareName(name));
  const uses = name.includes('.')
    ? descendantsOfKind(scope, SyntaxKind.PropertyAccessExpression).filter((p) => storageText(p) === name)
    : descendantsOfKind(scope, SyntaxKind.Identifier).filter((i) => i.getText() === name && declarationOf(i) === declarationOf(storageNode(stored)!));
  return uses.some((u) => {
    const up = u.getParent();
    if (up && Node.isCallExpression(up) && up.getExpression() === u) return false;
    if (up && Node.isBinaryExpression(up) && up.getLeft() === u && up.getOperatorToken().getKind() === SyntaxKind.EqualsToken) return false;
    if (up && Node.isVariableDeclaration(up) && up.getNameNode() === u) return false;
    return !(up && (Node.isPropertyDeclaration(up) || tested(u, up)));
  });
}

/** Whether a use only tests the storage: `if (state.ready)`, `!x`, `x && x()`, `x ? … : …`. */
function tested(use: Node, up: Node): boolean {
  if (Node.isIfStatement(up) || Node.isPrefixUnaryExpression(up)) return true;
  if (Node.isConditionalExpression(up)) return up.getCondition() === use;
  return Node.isBinaryExpression(up) && up.getLeft() === use && /^(?:&&|\|\|)$/.test(up.getOperatorToken().getText());
}

/**
 * The descendants of a kind, found by the compiler's own child walk: ts-morph's
 * getDescendantsOfKind also builds comment nodes, which takes minutes on a minified bundle.
 */
function descendantsOfKind(node: Node, kind: SyntaxKind): Node[] {
  const found: Node[] = [];
  node.forEachDescendant((d) => {
    if (d.getKind() === kind) found.push(d);
  });
  return found;
}

/** The written storage of an assignment (`this.x` / `x` of `x = resolve`). */
function storageNode(bin: Node): Node | undefined {
  return Node.isBinaryExpression(bin) ? bin.getLeft() : undefined;
}

/** The key of a resolver's storage, when some promise's executor in its scope stores its resolver there. */
function resolverKey(decl: Node): string | undefined {
  const scope = storageScope(decl);
  const key = keyOf(decl);
  if (!scope || !key) return undefined;
  touchScope(scope, bareName(storageName(decl)!)); // only a unit naming the storage can store a resolver there
  // A file's wrapper is kept across parses (ts-morph): its compiler node is new with each.
  const cacheKey = Node.isSourceFile(scope) ? scope.compilerNode : scope;
  let keys = storedIn.get(cacheKey);
  if (!keys) {
    keys = new Set();
    // Most scopes make no promise: one look at the text spares the walk over their nodes.
    if (scope.getText().includes('Promise')) {
      for (const made of scope.getDescendantsOfKind(SyntaxKind.NewExpression)) for (const k of storedSettlers(made) ?? []) keys.add(k);
    }
    storedIn.set(cacheKey, keys);
  }
  return keys.has(key) ? key : undefined;
}

/**
 * The promise's start, when it was started before the locks held here were taken: the called
 * function and where it first suspends (a function that never awaits runs whole at the call).
 */
function startedBefore(host: WalkHost, decl: Node, ctx: Ctx): AwaitFact['started'] {
  const init = startCall(decl, ctx);
  if (!init) return undefined;
  const callee = init.getExpression();
  const target = declarationOf(callee);
  if (target) touchScope(target); // its body is read
  const body = target && (Node.isFunctionDeclaration(target) || Node.isMethodDeclaration(target)) ? target.getBody()
    : target && (Node.isVariableDeclaration(target) || Node.isPropertyDeclaration(target)) ? functionBody(target.getInitializer()) : undefined;
  if (!body) return undefined;
  const first = body.getDescendantsOfKind(SyntaxKind.AwaitExpression)
    .find((a) => a.getFirstAncestor((f) => f === body || isFunction(f)) === body);
  if (!first) return undefined;
  return { callee: host.calleeRef(callee, ctx), suspends: positionAt(first.getSourceFile(), first.getEnd()) };
}

/**
 * The call that started a promise before the locks held here were taken: `const p = load()`
 * written in this function before them, or a field started at construction (`ready = this.connect()`,
 * or `this.ready = this.connect()` in the constructor), before any method could take a lock.
 */
function startCall(decl: Node, ctx: Ctx): Node & { getExpression(): Node } | undefined {
  let init: Node | undefined;
  if (Node.isVariableDeclaration(decl)) {
    if (!ctx.node || decl.getFirstAncestor((a) => a === ctx.node) !== ctx.node) return undefined;
    const firstHeld = Math.min(...ctx.held.map((h) => h.range.start.line * 1e6 + h.range.start.character));
    const end = rangeOf(decl).end;
    if (end.line * 1e6 + end.character > firstHeld) return undefined;
    init = decl.getInitializer();
  } else if (Node.isPropertyDeclaration(decl) && !decl.isStatic()) {
    init = decl.getInitializer() ?? inConstructor(decl, decl.getName());
  } else if (Node.isBinaryExpression(decl) && decl.getFirstAncestor((a) => Node.isConstructorDeclaration(a))) {
    init = decl.getRight();
  }
  return init && Node.isCallExpression(init) ? init : undefined;
}

/** The value a constructor of the field's class gives `this.<name>`, if any. */
function inConstructor(field: Node, name: string): Node | undefined {
  const cls = field.getParent();
  if (!cls || !(Node.isClassDeclaration(cls) || Node.isClassExpression(cls))) return undefined;
  for (const ctor of cls.getConstructors()) {
    touchScope(ctor);
    for (const bin of ctor.getDescendantsOfKind(SyntaxKind.BinaryExpression)) {
      if (bin.getOperatorToken().getKind() === SyntaxKind.EqualsToken && storageText(bin.getLeft()) === `this.${name}`) return bin.getRight();
    }
  }
  return undefined;
}

function functionBody(fn: Node | undefined): Node | undefined {
  return fn && (Node.isArrowFunction(fn) || Node.isFunctionExpression(fn)) ? fn.getBody() : undefined;
}

function isFunction(n: Node): boolean {
  return Node.isFunctionLikeDeclaration(n) || Node.isArrowFunction(n) || Node.isFunctionExpression(n);
}
