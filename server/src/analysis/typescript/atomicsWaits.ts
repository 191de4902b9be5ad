// A blocking `Atomics.wait` on a thread's own event loop (LO105), only where the code shows the
// dependency: the thread starts a worker (`new Worker(file)`) it shares the buffer with and
// answers the worker's messages from an event handler (`worker.on('message', … worker.postMessage(…))`),
// and the worker, in the function that calls `Atomics.notify` on that cell, first posts a message
// to its parent and awaits the reply (`await once(parentPort, 'message')`). While `Atomics.wait`
// blocks, no handler runs: the reply never comes, and the notify never happens.
// As facts: the starting thread's event loop is a lock (shared with the worker's file), held by
// the wait and "taken" by the worker where it awaits the reply (orders nothing: blocking false);
// the wait is an AwaitFact settled by the worker's notify of the same cell (`notify: true`).

import * as path from 'node:path';
import { Node, SyntaxKind, type CallExpression } from 'ts-morph';
import type { CallFact, HeldFact, LockDefFact } from '../events';
import { literalNumber } from './packages';
import { rangeOf } from './refs';
import type { Ctx, WalkHost } from './scope';
import { notReusable } from './unitReuse';
import { isParentPortName, startedWorkers } from './workers';

/** The calls this file looks at (a prefilter may skip every other call): the wait, and the notify that ends it. */
export const ATOMICS_CALLS = new Set(['Atomics.wait', 'Atomics.notify']);
const ATOMICS_METHODS = new Set([...ATOMICS_CALLS].map((c) => c.slice('Atomics.'.length)));

/** Record the facts of an `Atomics.wait` (the waiting side) or `Atomics.notify` (the worker side) call. */
export function atomicsFacts(host: WalkHost, call: CallExpression, fact: CallFact, ctx: Ctx): void {
  const callee = call.getExpression();
  if (!Node.isPropertyAccessExpression(callee) || !ATOMICS_METHODS.has(callee.getName())) return;
  const text = callee.getText();
  if (!ATOMICS_CALLS.has(text)) return;
  notReusable(); // what the wait or notify depends on (workers, handlers, replies) lies all over the file
  if (text === 'Atomics.wait') waitOnOwnLoop(host, call, ctx);
  else notifyAfterReply(host, call, fact, ctx);
}

/** The cell a call names: the worker script it is shared with, and its index (`*` when computed). */
function cellKey(workerFile: string, index: Node | undefined): string {
  const n = literalNumber(index);
  return `atomics:${workerFile}:${n ?? '*'}`;
}

/** `Atomics.wait(buf, i, …)` in a thread that starts a worker sharing `buf` and answers its messages from a handler. */
function waitOnOwnLoop(host: WalkHost, call: CallExpression, ctx: Ctx): void {
  const [buf, index] = call.getArguments();
  const root = buf && rootName(buf);
  if (!root) return;
  const worker = startedWorkers(call.getSourceFile()).find((w) => w.shares.has(root) && w.answers && w.file);
  const file = worker?.file;
  if (!file) return;
  const held = take(host, file, call, ctx);
  (host.facts.awaits ??= []).push({
    functionId: ctx.fn, range: rangeOf(call), held: [...ctx.held, held], text: call.getText().replace(/\s+/g, ' '),
    settledBy: [cellKey(file, index)], notify: true,
  });
}

/** `Atomics.notify(buf, i)` after the function posted its parent a message and awaited the reply. */
function notifyAfterReply(host: WalkHost, call: CallExpression, fact: CallFact, ctx: Ctx): void {
  const fn = ctx.node;
  if (!fn) return;
  const own = (n: Node) => n.getFirstAncestor((a) => Node.isFunctionLikeDeclaration(a) || Node.isArrowFunction(a) || Node.isFunctionExpression(a)) === fn;
  const before = (n: Node) => n.getEnd() <= call.getStart() && own(n);
  const posted = fn.getDescendantsOfKind(SyntaxKind.CallExpression).find((c) => before(c) && isParentPort(c, 'postMessage'));
  const reply = posted && fn.getDescendantsOfKind(SyntaxKind.AwaitExpression)
    .find((a) => before(a) && a.getStart() > posted.getEnd() && awaitsParentMessage(a));
  if (!reply) return;
  const file = call.getSourceFile().getFilePath();
  const held = take(host, file, reply, ctx);
  fact.held = [...fact.held, held];
  fact.settles = cellKey(file, call.getArguments()[1]);
}

/** The starting thread's event loop (one lock per worker script, in every file), taken at `site` without ordering anything. */
function take(host: WalkHost, workerFile: string, site: Node, ctx: Ctx): HeldFact {
  const name = `event loop starting ${path.basename(workerFile)}`;
  const range = rangeOf(site);
  if (!host.facts.lockDefs.some((d) => d.target.name === name)) {
    const def: LockDefFact = {
      target: { scope: 'module', name }, kind: 'atomics-mutex', container: false, range, calleeRange: range,
      calleeText: site.getText(), statementRange: range, sharedAs: { key: `event-loop:${workerFile}`, name },
    };
    host.facts.lockDefs.push(def);
  }
  const lock = { kind: 'name' as const, name };
  const acquireIndex = host.facts.acquires.length;
  host.facts.acquires.push({ functionId: ctx.fn, lock, range, via: 'async with', blocking: false, held: [...ctx.held] });
  return { lock, range, via: 'async with', acquireIndex };
}

/** The name a buffer expression starts from (`shared` of `shared`, `this.shared`, `state.cells`). */
function rootName(expr: Node): string | undefined {
  if (Node.isIdentifier(expr)) return expr.getText();
  if (Node.isPropertyAccessExpression(expr)) return expr.getExpression().getKind() === SyntaxKind.ThisKeyword ? expr.getName() : rootName(expr.getExpression());
  return undefined;
}

/** `parentPort.<method>(…)` with `parentPort` from worker_threads. */
function isParentPort(call: CallExpression, method: string): boolean {
  const e = call.getExpression();
  return Node.isPropertyAccessExpression(e) && e.getName() === method && isParentPortName(e.getExpression());
}

/** `await once(parentPort, 'message')`, or an awaited promise whose executor listens to `parentPort` for a message. */
function awaitsParentMessage(a: Node): boolean {
  const port = a.getDescendantsOfKind(SyntaxKind.Identifier).find((i) => isParentPortName(i));
  return !!port && /["'`]message["'`]/.test(a.getText());
}
