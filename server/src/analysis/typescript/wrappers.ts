// Lock wrappers: a user's function or method that runs one of its parameters under a lock,
// `withLock(fn) { return this.mutex.runExclusive(fn); }` or
// `acquireLock(key, cb) { return lock.acquire(key, cb); }`. At a call of one, the lock
// operation inside it is replayed at the call, with the wrapper's parameters standing for the
// call's arguments (and `this` for its receiver), so the callback passed in runs under that lock.

import { Node, SyntaxKind, type CallExpression } from 'ts-morph';
import { declarationOf } from './locks';
import { readNoWrapper, touchScope } from './unitReuse';

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
}

const cache = new WeakMap<Node, Wrapper | null>();

/** The wrapper a call reaches, with what its parameters stand for there; undefined when the callee is none. */
export function wrapperCall(call: CallExpression, isLockOp: (c: CallExpression) => boolean): { op: CallExpression; subst: Subst } | undefined {
  const callee = call.getExpression();
  let decl = declarationOf(callee);
  if (decl && Node.isVariableDeclaration(decl)) decl = decl.getInitializer();
  if (!decl || !(Node.isFunctionDeclaration(decl) || Node.isMethodDeclaration(decl) || Node.isArrowFunction(decl) || Node.isFunctionExpression(decl))) return undefined;
  const w = wrapperOf(decl, isLockOp);
  // A wrapper's lock operation is replayed here (its body is read); of a function that is none, only that.
  if (w) touchScope(decl);
  else readNoWrapper(decl);
  if (!w) return undefined;
  const args = call.getArguments();
  const params = new Map<string, Node>();
  w.params.forEach((p, i) => { if (args[i]) params.set(p, args[i]); });
  const receiver = Node.isPropertyAccessExpression(callee) ? callee.getExpression() : undefined;
  const callback = w.runs === undefined ? undefined : params.get(w.runs);
  if (w.runs !== undefined && !callback) return undefined;
  return { op: w.op, subst: { params, receiver, site: call, callback } };
}

/** Whether a function is a lock wrapper (unitReuse.ts asks it of an edited function that was none). */
export function isWrapper(fn: Node, isLockOp: (c: CallExpression) => boolean): boolean {
  return !!wrapperOf(fn, isLockOp);
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
    if (!call.getArguments().some((a: Node) => paramRun(a, params) !== undefined) || !isLockOp(call)) continue;
    const w = { op: call, params };
    cache.set(fn, w);
    return w;
  }
  return explicitWrapper(fn, body, params, isLockOp);
}

/** A function that takes a lock with `await m.acquire()` (or a chain mutex's `lock()`) and then calls a parameter. */
function explicitWrapper(fn: Node, body: Node, params: string[], isLockOp: (c: CallExpression) => boolean): Wrapper | undefined {
  const own = body.getDescendantsOfKind(SyntaxKind.CallExpression).filter((c) => c.getFirstAncestor((a) => isFunction(a)) === fn);
  const op = own.find((c) => c.getArguments().length === 0 && Node.isAwaitExpression(c.getParent()) && isLockOp(c));
  const run = op && own.find((c) => c.getStart() > op.getStart() && Node.isIdentifier(c.getExpression()) && params.includes(c.getExpression().getText()));
  if (!op || !run) return undefined;
  const w = { op, params, runs: run.getExpression().getText() };
  cache.set(fn, w);
  return w;
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
