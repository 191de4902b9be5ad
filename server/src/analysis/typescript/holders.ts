// Functions that leave a parameter's locks held for their caller, and their paired releasers:
// `static async acquireMultiple(mutexes) { await Promise.all(mutexes.map(async (m) => m.acquire())); }`
// returns holding every mutex of the array it is given (`holdAll(m) { await m.acquire(); }` the
// one it is given), and `releaseMultiple(mutexes) { mutexes.forEach((m) => m.release()); }` gives
// them back. At `await KeyedMutex.acquireMultiple(ms)` the caller takes what it passed (a batch
// over the family when `ms` holds a family's members, familyArrays.ts); a later
// `KeyedMutex.releaseMultiple(ms)` releases it (lockOps.ts, releaseCheck.ts).

import { Node, SyntaxKind, type CallExpression } from 'ts-morph';
import { readNoWrapper, touchScope } from './unitReuse';

/** The parameter whose locks a function takes (or releases): its index, and whether it is an array of locks. */
export interface ParamLocks {
  index: number;
  array: boolean;
}

const holding = new WeakMap<Node, ParamLocks | null>();
const releasing = new WeakMap<Node, ParamLocks | null>();

/** The parameter a function takes the locks of and returns still holding (none released in it). */
export function holdsParam(fn: Node): ParamLocks | undefined {
  let found = holding.get(fn);
  if (found === undefined) {
    const taken = paramLocks(fn, 'acquire');
    found = taken && !releasesParam(fn) ? taken : null;
    holding.set(fn, found);
  }
  return found ?? undefined;
}

/** The parameter a function releases the locks of (`mutexes.forEach((m) => m.release())`, `m.release()`). */
export function releasesParam(fn: Node): ParamLocks | undefined {
  let found = releasing.get(fn);
  if (found === undefined) {
    found = paramLocks(fn, 'release') ?? null;
    releasing.set(fn, found);
  }
  return found ?? undefined;
}

/** `await holder(arg)`: the holder's parameter locks, and the argument given for them. */
export function holderCall(call: CallExpression, callee: (c: Node) => Node | undefined): { held: ParamLocks; arg: Node } | undefined {
  const up = call.getParent();
  if (!up || !Node.isAwaitExpression(up) || call.getArguments().length === 0) return undefined;
  const fn = callee(call.getExpression());
  const held = fn && holdsParam(fn);
  // Its acquisition is replayed here (its body is read); of a function that holds none, only that.
  if (fn && held) touchScope(fn);
  else if (fn) readNoWrapper(fn);
  const arg = held && call.getArguments()[held.index];
  return held && arg ? { held, arg } : undefined;
}

/** Whether a call gives back the locks of `argText` through a paired releaser (`KeyedMutex.releaseMultiple(ms)`). */
export function pairedRelease(call: CallExpression, argText: string, callee: (c: Node) => Node | undefined): boolean {
  const args = call.getArguments();
  if (!args.some((a) => a.getText() === argText)) return false;
  const fn = callee(call.getExpression());
  const released = fn && releasesParam(fn);
  if (fn && released) touchScope(fn);
  else if (fn) readNoWrapper(fn);
  return !!released && args[released.index]?.getText() === argText;
}

/** The parameter whose locks the function's own calls take or release with `method`. */
function paramLocks(fn: Node, method: 'acquire' | 'release'): ParamLocks | undefined {
  if (!isFunction(fn)) return undefined;
  const params = (fn as Node & { getParameters(): { getName(): string }[] }).getParameters().map((p) => p.getName());
  for (const call of fn.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    if (call.getFirstAncestor(isFunction) !== fn) continue;
    const callee = call.getExpression();
    if (!Node.isPropertyAccessExpression(callee)) continue;
    const index = params.indexOf(callee.getExpression().getText());
    if (index < 0 || !Node.isIdentifier(callee.getExpression())) continue;
    // `m.acquire()` awaited (a single lock), or `m.release()`.
    if (callee.getName() === method && call.getArguments().length === 0 && (method === 'release' || awaited(call))) return { index, array: false };
    if (eachCalls(call, method) && (method === 'release' || batched(call))) return { index, array: true };
  }
  return undefined;
}

/** `ms.map((m) => m.acquire())` or `ms.forEach((m) => m.release())`: the method called on each element. */
function eachCalls(call: CallExpression, method: string): boolean {
  const callee = call.getExpression();
  const cb = call.getArguments()[0];
  if (!Node.isPropertyAccessExpression(callee) || !/^(?:map|forEach)$/.test(callee.getName())) return false;
  if (!cb || !(Node.isArrowFunction(cb) || Node.isFunctionExpression(cb))) return false;
  const element = cb.getParameters()[0]?.getName();
  const body = cb.getBody();
  let expr: Node | undefined = body;
  if (Node.isBlock(body)) {
    const only = body.getStatements().length === 1 ? body.getStatements()[0] : undefined;
    expr = only && (Node.isReturnStatement(only) || Node.isExpressionStatement(only)) ? only.getExpression() : undefined;
  }
  if (expr && Node.isAwaitExpression(expr)) expr = expr.getExpression();
  if (!expr || !Node.isCallExpression(expr) || expr.getArguments().length !== 0) return false;
  const inner = expr.getExpression();
  return Node.isPropertyAccessExpression(inner) && inner.getName() === method && inner.getExpression().getText() === element;
}

/** `await Promise.all(ms.map(…))` (or `allSettled`): every acquisition queued at once and waited for. */
function batched(call: CallExpression): boolean {
  const all = call.getParent();
  return !!all && Node.isCallExpression(all) && /^Promise\.all(?:Settled)?$/.test(all.getExpression().getText()) && awaited(all);
}

function awaited(call: Node): boolean {
  const up = call.getParent();
  return !!up && Node.isAwaitExpression(up);
}

function isFunction(n: Node): boolean {
  return Node.isFunctionLikeDeclaration(n) || Node.isArrowFunction(n) || Node.isFunctionExpression(n);
}
