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
// at each `new` (initialValues.ts).

import { Node, SyntaxKind, type ClassDeclaration, type MethodDeclaration, type ObjectLiteralExpression } from 'ts-morph';

/** The field that says whether a queue lock may be taken, and how taking it changes the field. */
export interface QueueState {
  field: string;
  /** `flag`: set to true when taken; `permits`: counted down; `count`: holders counted up, against `limit`. */
  how: 'flag' | 'permits' | 'count';
  /** For `count`: the number or field the holders are compared with. */
  limit?: { literal: number } | { field: string };
}

/** The methods of a queue lock class and its state field. */
export interface QueueLockShape {
  takenBy?: string;
  releasedBy?: string;
  /** A method that runs its callback holding the lock, as `runExclusive` does. */
  runBy?: string;
  state: QueueState;
}

/** `this.name`: the name. */
export function thisField(node: Node | undefined): string | undefined {
  return node && Node.isPropertyAccessExpression(node) && node.getExpression().getKind() === SyntaxKind.ThisKeyword ? node.getName() : undefined;
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
  const state = stateOf(take, queue, take);
  if (!state) return undefined;
  const params = take.getParameters().map((p) => p.getName());
  if (params.length > 0) {
    const runs = take.getDescendantsOfKind(SyntaxKind.CallExpression).some((c) => params.includes(c.getExpression().getText()));
    return runs && methods.some((m) => callsShifted(m, queue)) ? { runBy: take.getName(), state } : undefined;
  }
  const give = methods.find((m) => m !== take && m.getParameters().length === 0 && callsShifted(m, queue) && writes(m, state.field));
  return give && { takenBy: take.getName(), releasedBy: give.getName(), state };
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

/** Whether a method calls what it shifts off the queue (`this.queue.shift()?.()`, `const next = this.queue.shift(); next.thunk()`). */
function callsShifted(method: MethodDeclaration, queue: string, key?: string): boolean {
  for (const call of method.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    const callee = call.getExpression();
    if (!Node.isPropertyAccessExpression(callee) || callee.getName() !== 'shift' || thisField(callee.getExpression()) !== queue) continue;
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

/** The state field a method both tests (in an `if`, `while` or `?:`) and changes as a taker does, outside the promise it waits on. */
function stateOf(method: MethodDeclaration, queue: string, inMethod?: MethodDeclaration): QueueState | undefined {
  const tested = conditions(inMethod ?? method);
  for (const w of fieldWrites(method)) {
    if (w.field === queue || !w.how || !tested.some((c) => reads(c, w.field))) continue;
    if (w.how !== 'count') return { field: w.field, how: w.how };
    const limit = tested.map((c) => limitOf(c, w.field)).find((l) => l);
    return { field: w.field, how: 'count', limit };
  }
  return undefined;
}

/** The conditions of a method's `if`s, loops and `?:`s. */
function conditions(method: MethodDeclaration): Node[] {
  const out: Node[] = [];
  method.forEachDescendant((d) => {
    if (Node.isIfStatement(d) || Node.isWhileStatement(d) || Node.isDoStatement(d)) out.push(d.getExpression());
    else if (Node.isConditionalExpression(d)) out.push(d.getCondition());
  });
  return out;
}

function reads(cond: Node, field: string): boolean {
  return thisField(cond) === field || cond.getDescendantsOfKind(SyntaxKind.PropertyAccessExpression).some((p) => thisField(p) === field);
}

/** In `this.active >= this.capacity` (or `< 4`): what the field is compared with. */
function limitOf(cond: Node, field: string): QueueState['limit'] {
  const bins = Node.isBinaryExpression(cond) ? [cond, ...cond.getDescendantsOfKind(SyntaxKind.BinaryExpression)] : cond.getDescendantsOfKind(SyntaxKind.BinaryExpression);
  for (const b of bins) {
    if (!/^(?:<|<=|>|>=|===|==)$/.test(b.getOperatorToken().getText())) continue;
    const other = thisField(b.getLeft()) === field ? b.getRight() : thisField(b.getRight()) === field ? b.getLeft() : undefined;
    if (other && Node.isNumericLiteral(other)) return { literal: Number(other.getLiteralValue()) };
    const f = thisField(other);
    if (f) return { field: f };
  }
  return undefined;
}

/** The fields a method assigns or counts, and how: in its own body and the promise executors it runs at once, not in other nested functions. */
function fieldWrites(method: MethodDeclaration): { field: string; how?: QueueState['how'] }[] {
  const out: { field: string; how?: QueueState['how'] }[] = [];
  method.forEachDescendant((d, walk) => {
    if ((Node.isArrowFunction(d) || Node.isFunctionExpression(d)) && !isPromiseExecutor(d)) return walk.skip();
    if (Node.isBinaryExpression(d)) {
      const field = thisField(d.getLeft());
      const op = d.getOperatorToken().getText();
      const right = d.getRight().getKind();
      if (field && (op === '=' || op === '+=' || op === '-=')) {
        out.push({ field, how: op === '-=' ? 'permits' : op === '+=' ? 'count' : right === SyntaxKind.TrueKeyword ? 'flag' : undefined });
      }
    } else if (Node.isPrefixUnaryExpression(d) || Node.isPostfixUnaryExpression(d)) {
      const field = thisField(d.getOperand());
      if (field) out.push({ field, how: d.getOperatorToken() === SyntaxKind.PlusPlusToken ? 'count' : 'permits' });
    }
  });
  return out;
}

function isPromiseExecutor(fn: Node): boolean {
  const p = fn.getParent();
  return !!p && Node.isNewExpression(p) && p.getExpression().getText() === 'Promise';
}

/** Whether a method assigns or counts a field. */
function writes(method: MethodDeclaration, field: string): boolean {
  return fieldWrites(method).some((w) => w.field === field);
}
