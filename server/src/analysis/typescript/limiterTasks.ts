// Limiter tasks in the TS/JS walk: `limit(fn)` (p-limit) and `queue.add(fn)` (p-queue) run `fn`
// as a task holding one slot of the limiter, and a task that asks its own limiter for another
// task, by recursion, waits for a slot while holding one.

import { Node } from 'ts-morph';
import { lockOf } from './locks';
import type { LockOps } from './lockOps';
import type { Ctx } from './scope';

/**
 * `limit(fn, ...args)` with a p-limit limiter, or `queue.add(fn)` with a p-queue: `fn` runs as a
 * task of the limiter, holding one of its slots.
 */
export function limitedTask(ops: LockOps, call: Node, ctx: Ctx): boolean {
  if (!Node.isCallExpression(call)) return false;
  const callee = call.getExpression();
  const queue = Node.isPropertyAccessExpression(callee) && callee.getName() === 'add' ? callee.getExpression() : undefined;
  const target = ops.through(queue ?? callee, ctx)!;
  if (lockOf(target)?.made.kind !== (queue ? 'p-queue' : 'p-limit')) return false;
  const lock = ops.lockRef(target, ctx);
  if (!lock) return false;
  const tasks = ctx.node ? [...(ctx.tasks ?? []), { fn: ctx.node, lock }] : ctx.tasks;
  ops.runUnder(ops.acquire(lock, callee, 'async with', ctx), ops.through(call.getArguments()[0], ctx), { ...ctx, tasks });
  return true;
}

/**
 * A task of a limiter that calls the very function that asked for the task (`crawl` inside
 * `limit(() => … crawl(link) …)`) asks the limiter for another task while it holds a slot:
 * recorded as taking the limiter again right at that call, since the engine does not count a
 * site reached again through recursion.
 */
export function recursiveTask(ops: LockOps, call: Node, callee: Node | undefined, ctx: Ctx): void {
  if (!callee || !ctx.tasks?.length) return;
  const fn = Node.isVariableDeclaration(callee) ? callee.getInitializer() : callee;
  for (const t of ctx.tasks) if (t.fn === fn) ops.acquire(t.lock, call, 'async with', ctx);
}
