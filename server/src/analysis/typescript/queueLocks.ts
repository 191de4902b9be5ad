// Hand-rolled locks built on a queue of waiters, recognised by what their methods do, never by
// their names:
// - a resolver queue: a method that, when a field says the lock is taken (no permits left, a busy
//   flag set), waits on `new Promise(resolve => this.queue.push(resolve))`, and takes it (takes a
//   permit, sets the flag); another method, without parameters, that gives it back and calls the
//   next resolver it shifts off the queue (`acquire()` / `release()`, `lock()` / `unlock()`);
// - a thunk queue: a method that queues its callback with the promise's settlers
//   (`new Promise((resolve, reject) => this.queue.push({ thunk, resolve, reject }))`) and a method
//   that shifts the next entry off and runs its callback, counting the ones running against a
//   capacity (vscode-jsonrpc's `Semaphore#lock(thunk)`), or a method that waits as a resolver queue
//   does and then calls its callback itself (`run(fn)`).
// A queue that never makes its callers wait for a holder (an event queue, an async iterator, a
// latch that opens once) has no such field and is not a lock. How many holders it admits is read
// at each `new` (queueLockMade.ts).

import { Node, SyntaxKind, type ClassDeclaration, type MethodDeclaration, type ObjectLiteralExpression } from 'ts-morph';
import { givesBack, stateOf, thisField, type QueueState } from './queueState';

/** The methods of a queue lock class and its state field. */
export interface QueueLockShape {
  takenBy?: string;
  releasedBy?: string;
  /** A method that runs its callback holding the lock, as `runExclusive` does. */
  runBy?: string;
  state: QueueState;
}

/** The shape of a queue lock class, if it is one. */
export function queueLockShape(cls: ClassDeclaration): QueueLockShape | undefined {
  const methods = cls.getMethods().filter((m) => !m.isStatic());
  for (const m of methods) {
    for (const w of waitsIn(m)) {
      const shape = w.thunkKey ? thunkShape(methods, w.queue, w.thunkKey, m) : resolverShape(methods, w.queue, m);
      if (shape) return shape;
    }
  }
  return undefined;
}

/** `acquire()` taking the state and waiting on the queue, `release()` calling the next waiter; or `run(fn)` doing both around `fn()`. */
function resolverShape(methods: MethodDeclaration[], queue: string, take: MethodDeclaration): QueueLockShape | undefined {
  const state = stateOf(take, queue);
  if (!state) return undefined;
  const params = take.getParameters().map((p) => p.getName());
  if (params.length > 0) {
    const runs = take.getDescendantsOfKind(SyntaxKind.CallExpression).some((c) => params.includes(c.getExpression().getText()));
    return runs && methods.some((m) => callsShifted(m, queue) && givesBack(m, state)) ? { runBy: take.getName(), state } : undefined;
  }
  const give = methods.find((m) => m !== take && m.getParameters().length === 0 && callsShifted(m, queue, undefined, true) && givesBack(m, state));
  return give && !refilled(take.getParent() as ClassDeclaration, give.getName(), take.getName()) ? { takenBy: take.getName(), releasedBy: give.getName(), state } : undefined;
}

/** `lock(thunk)` queueing the thunk, and a method that runs the next thunk counting the ones running. */
function thunkShape(methods: MethodDeclaration[], queue: string, key: string, run: MethodDeclaration): QueueLockShape | undefined {
  for (const m of methods) {
    const state = callsShifted(m, queue, key) ? stateOf(m, queue) : undefined;
    if (state && state.how !== 'permits') return { runBy: run.getName(), state };
  }
  return undefined;
}

/** A method's waits: a `new Promise` it awaits or returns whose executor pushes its resolver (or a thunk with it) onto a field. */
function waitsIn(method: MethodDeclaration): { queue: string; thunkKey?: string }[] {
  const out: { queue: string; thunkKey?: string }[] = [];
  const params = method.getParameters().map((p) => p.getName());
  for (const n of method.getDescendantsOfKind(SyntaxKind.NewExpression)) {
    const exec = n.getArguments()[0];
    if (n.getExpression().getText() !== 'Promise' || !settledHere(n) || !exec || !(Node.isArrowFunction(exec) || Node.isFunctionExpression(exec))) continue;
    const resolve = exec.getParameters()[0]?.getName();
    for (const call of exec.getDescendantsOfKind(SyntaxKind.CallExpression)) {
      const callee = call.getExpression();
      const queue = Node.isPropertyAccessExpression(callee) && callee.getName() === 'push' ? thisField(callee.getExpression()) : undefined;
      const arg = call.getArguments().length === 1 ? call.getArguments()[0] : undefined;
      if (!queue || !arg || !resolve) continue;
      if (Node.isIdentifier(arg) && arg.getText() === resolve) out.push({ queue });
      const thunkKey = Node.isObjectLiteralExpression(arg) ? keyOfThunk(arg, resolve, params) : undefined;
      if (thunkKey) out.push({ queue, thunkKey });
    }
  }
  return out;
}

/** A promise the method awaits or returns (not one kept for later). */
function settledHere(n: Node): boolean {
  let p = n.getParent();
  while (p && (Node.isParenthesizedExpression(p) || Node.isAsExpression(p) || Node.isTypeAssertion(p))) p = p.getParent();
  return !!p && (Node.isAwaitExpression(p) || Node.isReturnStatement(p));
}

/** `{ thunk, resolve, reject }`: the key a method parameter is queued under, next to the resolver. */
function keyOfThunk(obj: ObjectLiteralExpression, resolve: string, params: string[]): string | undefined {
  const entries = obj.getProperties().map((p) => Node.isShorthandPropertyAssignment(p) ? { key: p.getName(), value: p.getName() }
    : Node.isPropertyAssignment(p) ? { key: p.getName(), value: p.getInitializer()?.getText() } : undefined);
  if (!entries.some((e) => e?.value === resolve)) return undefined;
  return entries.find((e) => e && e.value !== undefined && params.includes(e.value))?.key;
}

/**
 * Whether a method calls what it shifts off the queue (`this.queue.shift()?.()`, `const next =
 * this.queue.shift(); next.thunk()`); with `one`, not in a loop (it wakes one waiter, not all).
 */
function callsShifted(method: MethodDeclaration, queue: string, key?: string, one = false): boolean {
  for (const call of method.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    const callee = call.getExpression();
    if (!Node.isPropertyAccessExpression(callee) || callee.getName() !== 'shift' || thisField(callee.getExpression()) !== queue) continue;
    if (one && inLoop(call, method)) continue;
    let user = call.getParent();
    while (user && Node.isNonNullExpression(user)) user = user.getParent();
    if (!key && user && Node.isCallExpression(user)) return true;
    if (!user || !Node.isVariableDeclaration(user)) continue;
    const name = user.getName();
    const target = key ? `${name}.${key}` : name;
    if (method.getDescendantsOfKind(SyntaxKind.CallExpression).some((c) => c.getExpression().getText().replace(/[?!]/g, '').replace(/\.\./g, '.') === target)) return true;
  }
  return false;
}

/** Whether a node is in a loop of the method. */
function inLoop(node: Node, method: MethodDeclaration): boolean {
  for (let p = node.getParent(); p && p !== method; p = p.getParent()) {
    if (Node.isWhileStatement(p) || Node.isDoStatement(p) || Node.isForStatement(p) || Node.isForOfStatement(p) || Node.isForInStatement(p)) return true;
  }
  return false;
}

/**
 * Whether the class gives back by itself (a refill on a timer, not a release its users call):
 * it uses the give method other than in a method that also takes (its own `withLock(fn)`).
 */
function refilled(cls: ClassDeclaration, give: string, take: string): boolean {
  return cls.getDescendantsOfKind(SyntaxKind.PropertyAccessExpression).some((p) => {
    if (thisField(p) !== give) return false;
    const member = p.getFirstAncestor((a) => a.getParent() === cls);
    return !member || !Node.isMethodDeclaration(member) || !member.getDescendantsOfKind(SyntaxKind.PropertyAccessExpression).some((q) => thisField(q) === take);
  });
}
