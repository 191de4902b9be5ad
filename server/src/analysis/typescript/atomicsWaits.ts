// A blocking `Atomics.wait` on a thread's own event loop (LO105), only where the code shows the
// dependency: the thread starts a worker (`new Worker(file)`) it shares the buffer with and
// answers the worker's messages from an event handler (`worker.on('message', … worker.postMessage(…))`),
// and the worker, in the function that calls `Atomics.notify` on that cell, first posts a message
// to its parent and awaits the reply (`await once(parentPort, 'message')`). While `Atomics.wait`
// blocks, no handler runs: the reply never comes, and the notify never happens.
// As facts: the starting thread's event loop is a lock (shared with the worker's file), held by
// the wait and "taken" by the worker where it awaits the reply (orders nothing: blocking false);
// the wait is an AwaitFact settled by the worker's notify of the same cell (`notify: true`).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { Node, SyntaxKind, type CallExpression, type SourceFile } from 'ts-morph';
import type { CallFact, HeldFact, LockDefFact } from '../events';
import { isPackageFunction, literalNumber } from './packages';
import { rangeOf } from './refs';
import type { Ctx, WalkHost } from './scope';
import { notReusable } from './unitReuse';

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
  const worker = startedWorkers(call.getSourceFile()).find((w) => w.shares.has(root) && w.answers);
  if (!worker) return;
  const held = take(host, worker.file, call, ctx);
  (host.facts.awaits ??= []).push({
    functionId: ctx.fn, range: rangeOf(call), held: [...ctx.held, held], text: call.getText().replace(/\s+/g, ' '),
    settledBy: [cellKey(worker.file, index)], notify: true,
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

/** A worker a file starts: its script, the names it hands it (constructor and posted messages), and whether a handler answers it. */
interface StartedWorker {
  file: string;
  shares: Set<string>;
  answers: boolean;
}

/** Keyed by the parse (ts-morph keeps one SourceFile wrapper across re-parses of an edited file). */
const started = new WeakMap<object, StartedWorker[]>();

/** The workers a file starts with `new Worker(script, …)` from worker_threads, worked out once per parse. */
function startedWorkers(sf: SourceFile): StartedWorker[] {
  let out = started.get(sf.compilerNode);
  if (out) return out;
  out = [];
  for (const made of sf.getDescendantsOfKind(SyntaxKind.NewExpression)) {
    const callee = made.getExpression();
    if (!/(^|\.)Worker$/.test(callee.getText())) continue;
    if (!isPackageFunction(callee, 'worker_threads') && !isPackageFunction(callee, 'node:worker_threads')) continue;
    const script = made.getArguments()[0];
    const file = script && scriptFile(sf, script);
    const holder = holderText(made);
    if (!file || !holder) continue;
    const shares = new Set(names(made.getArguments().slice(1)));
    let answers = false;
    for (const c of sf.getDescendantsOfKind(SyntaxKind.CallExpression)) {
      const e = c.getExpression();
      if (!Node.isPropertyAccessExpression(e) || e.getExpression().getText() !== holder) continue;
      if (e.getName() === 'postMessage') names(c.getArguments()).forEach((n) => shares.add(n));
      if (['on', 'once', 'addListener', 'addEventListener'].includes(e.getName()) && c.getArguments()[0]?.getText().replace(/["'`]/g, '') === 'message') {
        const handler = c.getArguments()[1];
        answers ||= !!handler && handler.getDescendantsOfKind(SyntaxKind.CallExpression)
          .some((p) => p.getExpression().getText() === `${holder}.postMessage`);
      }
    }
    out.push({ file, shares, answers });
  }
  started.set(sf.compilerNode, out);
  return out;
}

/** What a `new Worker(…)` is stored in, as written where it is used (`worker`, `this.worker`). */
function holderText(made: Node): string | undefined {
  const up = made.getParent();
  if (up && Node.isVariableDeclaration(up) && Node.isIdentifier(up.getNameNode())) return up.getName();
  if (up && Node.isBinaryExpression(up) && up.getOperatorToken().getKind() === SyntaxKind.EqualsToken) return up.getLeft().getText();
  if (up && Node.isPropertyDeclaration(up)) return `this.${up.getName()}`;
  return undefined;
}

/** The identifiers written in some arguments (`{ workerData: { shared } }` → `workerData`, `shared`). */
function names(args: Node[]): string[] {
  return args.flatMap((a) => [a, ...a.getDescendantsOfKind(SyntaxKind.Identifier)]).filter(Node.isIdentifier).map((i) => i.getText());
}

/** The name a buffer expression starts from (`shared` of `shared`, `this.shared`, `state.cells`). */
function rootName(expr: Node): string | undefined {
  if (Node.isIdentifier(expr)) return expr.getText();
  if (Node.isPropertyAccessExpression(expr)) return expr.getExpression().getKind() === SyntaxKind.ThisKeyword ? expr.getName() : rootName(expr.getExpression());
  return undefined;
}

/**
 * The file a worker script names: `new URL('./w.js', import.meta.url)`, `path.join(__dirname, 'w.js')`,
 * or a relative literal; a `.js` name stands for its `.ts` source when that is what the project has.
 */
function scriptFile(sf: SourceFile, script: Node): string | undefined {
  const dir = path.dirname(sf.getFilePath());
  let rel: string | undefined;
  if (Node.isStringLiteral(script)) rel = script.getLiteralValue();
  else if (Node.isNewExpression(script) && script.getExpression().getText() === 'URL' && script.getArguments()[1]?.getText() === 'import.meta.url') {
    const a = script.getArguments()[0];
    rel = a && Node.isStringLiteral(a) ? a.getLiteralValue() : undefined;
  } else if (Node.isCallExpression(script) && /(^|\.)(join|resolve)$/.test(script.getExpression().getText())) {
    const [first, ...rest] = script.getArguments();
    if (first?.getText() === '__dirname' && rest.every((r) => Node.isStringLiteral(r))) rel = path.join(...rest.map((r) => (r as Node & { getLiteralValue(): string }).getLiteralValue()));
  }
  if (!rel || !rel.startsWith('.') && !Node.isCallExpression(script)) return undefined;
  const full = path.resolve(dir, rel);
  const candidates = [full, full.replace(/\.js$/, '.ts'), full.replace(/\.mjs$/, '.mts'), full.replace(/\.cjs$/, '.cts')];
  return candidates.find((c) => sf.getProject().getSourceFile(c)) ?? candidates.find((c) => fs.existsSync(c));
}

/** `parentPort.<method>(…)` with `parentPort` from worker_threads. */
function isParentPort(call: CallExpression, method: string): boolean {
  const e = call.getExpression();
  return Node.isPropertyAccessExpression(e) && e.getName() === method && isParentPortName(e.getExpression());
}

function isParentPortName(expr: Node): boolean {
  if (Node.isNonNullExpression(expr)) return isParentPortName(expr.getExpression());
  return expr.getText() === 'parentPort' && (isPackageFunction(expr, 'worker_threads') || isPackageFunction(expr, 'node:worker_threads'));
}

/** `await once(parentPort, 'message')`, or an awaited promise whose executor listens to `parentPort` for a message. */
function awaitsParentMessage(a: Node): boolean {
  const port = a.getDescendantsOfKind(SyntaxKind.Identifier).find((i) => isParentPortName(i));
  return !!port && /["'`]message["'`]/.test(a.getText());
}
