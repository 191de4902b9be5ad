// The Node runtime's ordered acquire (`import { acquire } from 'lockorder/runtime'`): the locks
// of one call are one group, taken in rank order, so they order nothing among themselves; a
// nested call's locks are taken while the outer group is held. `acquire([a, b], fn)` holds them
// while `fn` runs; `const held = await acquire(a, b)` holds them until `held.release()` (or, with
// `await using`, to the end of the function body it is declared in).

import { Node } from 'ts-morph';
import type { HeldFact } from '../events';
import { isPackageFunction } from './packages';
import type { LockOps } from './lockOps';
import { rangeOf } from './refs';
import type { Ctx } from './scope';

/** The module that exports the ordered acquire. */
const RUNTIME = 'lockorder/runtime';

/** Record an ordered acquire; false when the call is not one (or names no lock it knows). */
export function orderedAcquire(ops: LockOps, call: Node, ctx: Ctx): boolean {
  if (!Node.isCallExpression(call)) return false;
  const callee = call.getExpression();
  const name = Node.isPropertyAccessExpression(callee) ? callee.getName() : callee.getText();
  if (name !== 'acquire' || !isPackageFunction(callee, RUNTIME)) return false;
  const args = call.getArguments();
  const first = args[0];
  const scoped = !!first && Node.isArrayLiteralExpression(first);
  const written = scoped ? first.getElements() : args;
  const refs = written.map((w) => ops.lockRef(w, ctx));
  if (refs.length === 0 || refs.some((r) => !r)) return false;
  const facts = ops.host.facts;
  // Named by where the call is, not by a count of the calls before it: an edit may walk some of
  // the file again and keep the rest (unitReuse.ts), and the kept groups must not be renumbered.
  const at = rangeOf(call).start;
  const group = at.line * 100_000 + at.character + 1;
  const taken: HeldFact[] = refs.map((lock, i) => {
    const held = ops.acquire(lock!, written[i], 'ordered', { ...ctx, held: [...ctx.held] });
    facts.acquires[held.acquireIndex].group = group;
    return held;
  });
  if (scoped) {
    const cb = args[1];
    const under = [...ctx.held, ...taken];
    if (cb && (Node.isArrowFunction(cb) || Node.isFunctionExpression(cb))) ops.host.inline(cb, ctx, under);
    else if (cb) facts.calls.push({ functionId: ctx.fn, callee: ops.host.calleeRef(cb, ctx), range: rangeOf(cb), held: under, args: [] });
    return true;
  }
  const handle = handleName(call);
  if (handle) for (const h of taken) ops.holdUntilRelease(h, { lockText: handle }, ctx);
  return true;
}

/**
 * The name a handle is stored in, when it is held past this statement: `const held = await
 * acquire(a, b)` (until `held.release()`), or `await using held = …` at the top of a function body.
 */
function handleName(call: Node): string | undefined {
  const up = call.getParent();
  const decl = up && Node.isAwaitExpression(up) ? up.getParent() : up;
  if (!decl || !Node.isVariableDeclaration(decl) || !Node.isIdentifier(decl.getNameNode())) return undefined;
  const list = decl.getParent();
  const statement = decl.getVariableStatement();
  const using = !!list && /^\s*await\s+using\b/.test(list.getText());
  if (using && !(statement?.getParent() && Node.isBlock(statement.getParent()!) && isFunctionBody(statement.getParent()!))) return undefined;
  return decl.getName();
}

/** Whether a block is the body of a function. */
function isFunctionBody(block: Node): boolean {
  const fn = block.getParent();
  return !!fn && (Node.isFunctionLikeDeclaration(fn) || Node.isArrowFunction(fn) || Node.isFunctionExpression(fn));
}
