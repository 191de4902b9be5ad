// Lock wrappers: a user's function or method that runs one of its parameters under a lock,
// `withLock(fn) { return this.mutex.runExclusive(fn); }` or
// `acquireLock(key, cb) { return lock.acquire(key, cb); }`. At a call of one, the lock
// operation inside it is replayed at the call, with the wrapper's parameters standing for the
// call's arguments (and `this` for its receiver), so the callback passed in runs under that lock.
// A wrapper may call another wrapper (`withLock(fn) { return inner(fn); }`): the innermost lock
// operation is replayed, its parameters read through each call on the way.

import { Node, SyntaxKind, type CallExpression } from 'ts-morph';
import { declarationOf } from './locks';
import { readNoWrapper, touchScope } from './unitReuse';
import { holdsParam, holderCall, releasesParam } from './holders';

/** What a wrapper's lock operation is read with at one call: the call's arguments by parameter name, its receiver, its site. */
export interface Subst {
  params: Map<string, Node>;
  receiver?: Node;
  site: Node;
  /** The callback that runs under the lock instead of the one the operation names (a stored listener, listeners.ts). */
  callback?: Node;
}

/** A wrapper: the lock operation that runs one of its parameters, and its parameter names. */
interface Wrapper {
  op: CallExpression;
  params: string[];
  /** For `const release = await m.lock(); try { return await fn(); } finally { release(); }`: the parameter run (`fn`). */
  runs?: string;
  /** `op` is a call of another wrapper, given one of these parameters (`withLock(fn) { return inner(fn); }`). */
  inner?: boolean;
}

const cache = new WeakMap<Node, Wrapper | null>();

/** How many wrappers deep a call is followed (`withLock(fn)` calling `inner(fn)` calling `runExclusive`). */
const MAX_DEPTH = 4;

/** The wrapper a call reaches, with what its parameters stand for there; undefined when the callee is none. */
export function wrapperCall(call: CallExpression, isLockOp: (c: CallExpression) => boolean, depth = 0): { op: CallExpression; subst: Subst } | undefined {
  const callee = call.getExpression();
  const decl = wrapperFunction(callee);
  const w = decl && wrapperOf(decl, isLockOp);
  // A wrapper's lock operation is replayed here (its body is read); of a function that is none, only that.
  if (decl && w) touchScope(decl);
  else if (decl) readNoWrapper(decl);
  if (!w) return undefined;
  const args = call.getArguments();
  const params = new Map<string, Node>();
  w.params.forEach((p, i) => { if (args[i]) params.set(p, args[i]); });
  const receiver = Node.isPropertyAccessExpression(callee) ? callee.getExpression() : undefined;
  const callback = w.runs === undefined ? undefined : params.get(w.runs);
  if (w.runs !== undefined && !callback) return undefined;
  const subst: Subst = { params, receiver, site: call, callback };
  if (!w.inner) return { op: w.op, subst };
  // A wrapper of a wrapper: the inner one's lock operation, its parameters read through this call's.
  const next = depth < MAX_DEPTH ? wrapperCall(w.op, isLockOp, depth + 1) : undefined;
  return next && { op: next.op, subst: composed(next.subst, subst) };
}

const returning = new WeakMap<Node, CallExpression | null>();

/**
 * A method that hands its caller a lock's releaser: its one `return` gives back an acquisition
 * (`lock(key) { return this.mutexFor(key).acquire(); }`), so `const release = await keyed.lock('a')`
 * takes that lock at the call. The acquisition, with what the method's parameters stand for there.
 */
export function returnedAcquire(call: CallExpression, isLockOp: (c: CallExpression) => boolean): { op: CallExpression; subst: Subst } | undefined {
  const callee = call.getExpression();
  const fn = Node.isPropertyAccessExpression(callee) ? wrapperFunction(callee) : undefined;
  if (!fn || !Node.isMethodDeclaration(fn)) return undefined;
  const op = handedAcquire(fn, isLockOp);
  // Its acquisition is replayed here (its body is read); of a method that hands none, only that.
  if (op) touchScope(fn);
  else readNoWrapper(fn);
  if (!op || !Node.isPropertyAccessExpression(callee)) return undefined;
  const params = new Map<string, Node>();
  const args = call.getArguments();
  fn.getParameters().forEach((p, i) => { if (args[i]) params.set(p.getName(), args[i]); });
  return { op, subst: { params, receiver: callee.getExpression(), site: call } };
}

/** The acquisition a method's one `return` hands back (`return this.mutex.acquire()`), if any. */
function handedAcquire(fn: Node, isLockOp: (c: CallExpression) => boolean): CallExpression | undefined {
  let op = returning.get(fn);
  if (op === undefined) {
    const returns = fn.getDescendantsOfKind(SyntaxKind.ReturnStatement).filter((r) => r.getFirstAncestor((a) => isFunction(a)) === fn);
    let value: Node | undefined = returns.length === 1 ? returns[0].getExpression() : undefined;
    if (value && Node.isAwaitExpression(value)) value = value.getExpression();
    op = value && Node.isCallExpression(value) && value.getArguments().length === 0 && isLockOp(value) ? value : null;
    returning.set(fn, op);
  }
  return op ?? undefined;
}

/** The function (declaration, or arrow stored in a variable) a callee names, if any. */
export function wrapperFunction(callee: Node): Node | undefined {
  let decl = declarationOf(callee);
  if (decl && Node.isVariableDeclaration(decl)) decl = decl.getInitializer();
  return decl && (Node.isFunctionDeclaration(decl) || Node.isMethodDeclaration(decl) || Node.isArrowFunction(decl) || Node.isFunctionExpression(decl)) ? decl : undefined;
}

/** An inner wrapper's substitution, its nodes (written in the outer wrapper) read through the outer call's. */
function composed(inner: Subst, outer: Subst): Subst {
  const read = (n: Node | undefined): Node | undefined => {
    if (!n) return n;
    if (n.getKind() === SyntaxKind.ThisKeyword) return outer.receiver;
    const p = paramRun(n, outer.params);
    return p === undefined ? n : outer.params.get(p);
  };
  const params = new Map<string, Node>();
  for (const [p, n] of inner.params) {
    const v = read(n);
    if (v) params.set(p, v);
  }
  return { params, receiver: read(inner.receiver), site: outer.site, callback: read(inner.callback) };
}

/** Whether a function is a lock wrapper (unitReuse.ts asks it of an edited function that was none). */
export function isWrapper(fn: Node, isLockOp: (c: CallExpression) => boolean): boolean {
  return !!wrapperOf(fn, isLockOp) || (Node.isMethodDeclaration(fn) && !!handedAcquire(fn, isLockOp)) || !!holdsParam(fn) || !!releasesParam(fn);
}

/** The wrapper a function is: a lock operation in its body one of whose arguments is a parameter (or calls one). */
function wrapperOf(fn: Node, isLockOp: (c: CallExpression) => boolean): Wrapper | undefined {
  const known = cache.get(fn);
  if (known !== undefined) return known ?? undefined;
  cache.set(fn, null);
  if (!Node.isFunctionLikeDeclaration(fn) && !Node.isArrowFunction(fn) && !Node.isFunctionExpression(fn)) return undefined;
  const params = fn.getParameters().map((p) => p.getName());
  const body = Node.isBodied(fn) || Node.isBodyable(fn) ? fn.getBody() : undefined;
  if (!body) return undefined;
  for (const call of body.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    if (call.getFirstAncestor((a) => isFunction(a)) !== fn) continue;
    if (!call.getArguments().some((a: Node) => paramRun(a, params) !== undefined)) continue;
    const inner = !isLockOp(call);
    if (inner && !callsWrapper(call, isLockOp)) continue;
    const w = { op: call, params, inner };
    cache.set(fn, w);
    return w;
  }
  return explicitWrapper(fn, body, params, isLockOp);
}

/** A function that takes a lock with `await m.acquire()` (or a chain mutex's `lock()`) and then calls a parameter. */
function explicitWrapper(fn: Node, body: Node, params: string[], isLockOp: (c: CallExpression) => boolean): Wrapper | undefined {
  const own = body.getDescendantsOfKind(SyntaxKind.CallExpression).filter((c) => c.getFirstAncestor((a) => isFunction(a)) === fn);
  const runs = own.filter((c) => Node.isIdentifier(c.getExpression()) && params.includes(c.getExpression().getText()));
  if (runs.length === 0) return undefined;
  // `await m.acquire()`, or `await KeyedMutex.acquireMultiple(ms)` of a function leaving `ms` held (holders.ts).
  const op = own.find((c) => Node.isAwaitExpression(c.getParent()) && (c.getArguments().length === 0 ? isLockOp(c) : !!holderCall(c, wrapperFunction)));
  const run = op && runs.find((c) => c.getStart() > op.getStart());
  if (!op || !run) return undefined;
  const w = { op, params, runs: run.getExpression().getText() };
  cache.set(fn, w);
  return w;
}

/** Whether a call reaches a wrapper (a function met again while working out its own wrapper is none). */
function callsWrapper(call: CallExpression, isLockOp: (c: CallExpression) => boolean): boolean {
  const fn = wrapperFunction(call.getExpression());
  return !!fn && !!wrapperOf(fn, isLockOp);
}

function isFunction(n: Node): boolean {
  return Node.isFunctionLikeDeclaration(n) || Node.isArrowFunction(n) || Node.isFunctionExpression(n);
}

/** The parameter an argument runs: the parameter itself (`fn`), or an arrow that only calls it (`() => fn()`). */
export function paramRun(arg: Node, params: string[] | Map<string, Node>): string | undefined {
  const has = (name: string) => (Array.isArray(params) ? params.includes(name) : params.has(name));
  if (Node.isIdentifier(arg)) return has(arg.getText()) ? arg.getText() : undefined;
  if (!Node.isArrowFunction(arg) && !Node.isFunctionExpression(arg)) return undefined;
  const body = arg.getBody();
  let expr: Node | undefined = Node.isBlock(body) ? body.getStatements()[0] : body;
  if (Node.isBlock(body) && body.getStatements().length !== 1) return undefined;
  if (expr && (Node.isReturnStatement(expr) || Node.isExpressionStatement(expr))) expr = expr.getExpression();
  if (expr && Node.isAwaitExpression(expr)) expr = expr.getExpression();
  if (!expr || !Node.isCallExpression(expr) || !Node.isIdentifier(expr.getExpression())) return undefined;
  const name = expr.getExpression().getText();
  return has(name) ? name : undefined;
}
