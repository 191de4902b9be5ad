// Lock operations of the TS/JS walk: async-mutex `m.runExclusive(cb)`, `await m.acquire()` …
// `release()` (or a semaphore's `[value, release]`, or the deprecated `m.release()`), limiters,
// and (in their own files) async-lock keys, Web Locks and the runtime's ordered acquire, recorded
// as acquisitions and releases with the locks held before them. Callbacks are walked back in the
// walker, under the locks taken here; a wrapper's body is replayed at its calls (ctx.subst).

import { Node, SyntaxKind, type CallExpression, type PropertyAccessExpression } from 'ts-morph';
import type { AcquireVia, HeldFact, Ref, ReleaseCheck, WithShape } from '../events';
import { KeyedLocks } from './keyedLocks';
import { keyedAcquire } from './keyTaking';
import { webLockRequest } from './webLocks';
import { paramRun, returnedAcquire } from './wrappers';
import { isLockOp } from './lockCalls';
import { declaredName, lockOf, objectMember } from './locks';
import { mapLockOf, mapLockRef } from './mapLocks';
import { lockWait, type LockWait } from './lockWaits';
import { isReleaseCall, releaseCheck, statementOf, type Releaser } from './releaseCheck';
import { tryFinallyFix } from './tryFinallyFix';
import { runExclusiveShape } from './shapes';
import { orderedAcquire } from './orderedAcquire';
import { keysBatch } from './keyBatches';
import { heldByCall } from './heldCalls';
import { keyAgain } from './sameKeys';
import { limitedTask } from './limiterTasks';
import { heldReleasedByMethod, takesBack } from './methodRelease';
import { batchReleasers, calledAtOnce, releaserName } from './releasers';
import { rangeOf } from './refs';
import { atomicsLockCall, instanceCell } from './atomicsLocks';
import type { Ctx, WalkHost } from './scope';

/** The lock operations of one file's walk. */
export class LockOps {
  /** How each explicit acquisition still held is released. */
  private releasers = new WeakMap<HeldFact, Releaser>();
  /** The locks named by keys in this file (async-lock keys, Web Locks names). */
  readonly keyed: KeyedLocks;

  constructor(readonly host: WalkHost) {
    this.keyed = new KeyedLocks(host);
  }

  /** Record a call that takes or gives back a lock; false when the call is none of those. */
  onCall(call: Node, ctx: Ctx): boolean {
    return this.wrappedAcquire(call, ctx) || heldByCall(this, call, ctx) || this.runExclusive(call, ctx) || !!this.explicitAcquire(call, ctx) || this.batch(call, ctx) || keyedAcquire(this, call, ctx)
      || this.waitForUnlock(call, ctx) || limitedTask(this, call, ctx) || webLockRequest(this, call, ctx) || orderedAcquire(this, call, ctx)
      || atomicsLockCall(this, call, ctx) || this.release(call, ctx);
  }

  /** What a wrapper's node stands for at the call being walked: the argument given for a parameter it names or runs. */
  through(node: Node | undefined, ctx: Ctx): Node | undefined {
    const s = ctx.subst;
    if (!node || !s) return node;
    if (node.getKind() === SyntaxKind.ThisKeyword && s.receiver) return s.receiver; // a class that is a lock by itself
    const p = paramRun(node, s.params);
    return p === undefined ? node : s.params.get(p);
  }

  /** A wrapper's `await m.acquire()`, replayed at a call of it: the wrapper's callback runs holding `m`. */
  private wrappedAcquire(call: Node, ctx: Ctx): boolean {
    const target = ctx.subst?.callback ? this.acquireTarget(call, ctx) : undefined;
    if (!target) return false;
    this.runUnder(this.acquire(target.lock, target.callee, 'async with', ctx, undefined, this.waitOf(target.callee.getExpression(), ctx)), undefined, ctx);
    return true;
  }

  /** How an acquisition through a lock expression waits (`tryAcquire(m)`, `withTimeout(m, ms)`), seen through a wrapper's parameters. */
  waitOf(written: Node, ctx: Ctx): LockWait {
    return lockWait(this.through(written, ctx) ?? written);
  }

  /** Walk (inline) or call (a reference) the callback that runs with `held` taken. */
  runUnder(held: HeldFact | undefined, cb: Node | undefined, ctx: Ctx): void {
    const under = held ? [...ctx.held, held] : [...ctx.held];
    cb = ctx.subst?.callback ?? cb;
    ctx = { ...ctx, subst: undefined }; // the callback is the caller's code, even when reached through a wrapper
    if (cb && (Node.isArrowFunction(cb) || Node.isFunctionExpression(cb))) this.host.inline(cb, ctx, under);
    else if (cb) this.host.facts.calls.push({ functionId: ctx.fn, callee: this.host.calleeRef(cb, ctx), range: rangeOf(cb), held: under, args: [] });
  }

  /**
   * `m.waitForUnlock()`: waits as an acquisition does (for every holder of `m` to let go) but
   * takes nothing. Under `m` itself the chain waits for itself; under another lock it orders
   * that lock before `m`.
   */
  waitForUnlock(call: Node, ctx: Ctx): boolean {
    if (!Node.isCallExpression(call)) return false;
    const callee = call.getExpression();
    if (!Node.isPropertyAccessExpression(callee) || callee.getName() !== 'waitForUnlock') return false;
    const lock = this.lockRef(callee.getExpression(), ctx);
    if (!lock) return false;
    this.acquire(lock, callee, 'async with', ctx, undefined, this.waitOf(callee.getExpression(), ctx));
    return true;
  }

  /** The reference a lock expression is recorded under, if it names an async-mutex lock. */
  lockRef(written: Node, ctx: Ctx): Ref | undefined {
    const expr = this.through(this.waitOf(written, ctx).lock, ctx);
    if (!expr || !Node.isExpression(expr)) return undefined;
    const inMap = mapLockOf(expr);
    if (inMap) return mapLockRef(this, inMap, ctx);
    const found = lockOf(expr);
    if (!found || found.made.keyed) return undefined;
    const cell = instanceCell(this, found); // an Atomics mutex over a known buffer and index: that cell
    if (cell) return cell;
    const { decl } = found;
    const name = declaredName(decl);
    if (Node.isBinaryExpression(decl)) {
      // JavaScript: `this.lock = new Mutex()` in a constructor declares the property.
      if (!Node.isPropertyAccessExpression(expr)) return undefined;
      const base = expr.getExpression().getKind() === SyntaxKind.ThisKeyword && ctx.subst?.receiver ? ctx.subst.receiver : expr.getExpression();
      return this.host.refs.member(base, decl, name, ctx.fn);
    }
    if (Node.isPropertyDeclaration(decl)) {
      let base: Node | undefined = Node.isPropertyAccessExpression(expr) ? expr.getExpression() : undefined;
      if (!base) return undefined;
      // A wrapper's `this.mutex`, at a call `store.withLock(fn)`: `store.mutex`.
      if (base.getKind() === SyntaxKind.ThisKeyword && ctx.subst?.receiver) base = ctx.subst.receiver;
      if (decl.isStatic()) {
        const cls = this.host.refs.classOf(decl);
        return cls && { kind: 'attr', base: cls, attr: name };
      }
      return this.host.refs.member(base, decl, name, ctx.fn);
    }
    const variable = Node.isVariableDeclaration(decl) ? decl : objectMember(decl);
    const statement = variable?.getVariableStatement();
    if (statement?.getParent() === decl.getSourceFile()) return this.host.refs.topLevel(name, decl.getSourceFile().getFilePath());
    return { kind: 'name', name };
  }

  /** `m.runExclusive(cb)` (or a queue lock's `lock(cb)`): `cb` runs with `m` held until the promise it returns settles. */
  runExclusive(call: Node, ctx: Ctx): boolean {
    if (!Node.isCallExpression(call)) return false;
    const callee = call.getExpression();
    if (!Node.isPropertyAccessExpression(callee)) return false;
    // A hand-rolled queue lock's `lock(fn)` runs `fn` as `runExclusive` does (queueLocks.ts).
    if (callee.getName() !== 'runExclusive' && callee.getName() !== lockOf(this.through(callee.getExpression(), ctx)!)?.made.runBy) return false;
    const lock = this.lockRef(callee.getExpression(), ctx);
    if (!lock) return false;
    const held = this.acquire(lock, callee, 'async with', ctx, undefined, this.waitOf(callee.getExpression(), ctx));
    this.shape(held, runExclusiveShape(call));
    this.runUnder(held, this.through(call.getArguments()[0], ctx), ctx);
    return true;
  }

  /** Record the shape of an acquisition, for the fixes that reorder locks. */
  shape(held: HeldFact, shape: WithShape | undefined): void {
    if (shape) this.host.facts.acquires[held.acquireIndex].withShape = shape;
  }

  /** `await m.acquire()`: `m` is held from here until its release (`release`: the name its releaser is stored in, when not the usual). */
  explicitAcquire(expr: Node, ctx: Ctx, release?: string): HeldFact | undefined {
    const target = this.acquireTarget(expr, ctx);
    if (!target) return undefined;
    const whole = !Node.isAwaitExpression(expr) && expr.getParent() && Node.isAwaitExpression(expr.getParent()!) ? expr.getParent()! : expr;
    if (calledAtOnce(whole)) {
      // `(await m.lock())()`: waits for the lock and gives it straight back (waiting out the holder).
      this.acquire(target.lock, target.callee, 'async with', ctx);
      return undefined;
    }
    if (takesBack(this, target.lock, ctx)) {
      // A hold given back by `m.release()` in a wrapper's callback, taken back for the wrapper to release.
      const held = this.acquire(target.lock, target.callee, 'acquire', ctx, undefined, this.waitOf(target.callee.getExpression(), ctx));
      ctx.held.push(held);
      return held;
    }
    const releaser: Releaser = {
      name: release ?? releaserName(whole.getParent()), lockText: target.callee.getExpression().getText(),
      method: lockOf(this.through(target.callee.getExpression(), ctx)!)?.made.releasedBy,
    };
    return this.holdUntilReleased(target.lock, target.callee, expr, releaser, ctx, this.waitOf(target.callee.getExpression(), ctx));
  }

  /**
   * An acquisition at `site` held by the rest of the function until `releaser` is called; when a
   * path skips the release, the LO104 fix (a `try … finally`) travels with the check.
   */
  holdUntilReleased(lock: Ref, site: Node, expr: Node, releaser: Releaser, ctx: Ctx, wait?: Partial<LockWait>): HeldFact {
    const check = releaseCheck(expr, releaser);
    const stmt = check.released ? undefined : statementOf(expr);
    const call = Node.isAwaitExpression(expr) ? expr.getExpression() : expr;
    const callee = Node.isCallExpression(call) ? call.getExpression() : undefined;
    if (stmt) check.fix = tryFinallyFix(stmt, releaser, callee && Node.isPropertyAccessExpression(callee) ? callee.getName() : undefined);
    const held = this.acquire(lock, site, 'acquire', ctx, check, wait);
    this.holdUntilRelease(held, releaser, ctx);
    return held;
  }

  /** Keep `held` held from here on, until the release `r` describes. */
  holdUntilRelease(held: HeldFact, r: Releaser, ctx: Ctx): void {
    ctx.held.push(held);
    this.releasers.set(held, r);
  }

  /** The lock an `m.acquire()` (awaited or not) takes, and its callee, when `m` is a lock. */
  private acquireTarget(expr: Node, ctx: Ctx): { lock: Ref; callee: PropertyAccessExpression } | undefined {
    const call = Node.isAwaitExpression(expr) ? expr.getExpression() : expr;
    if (!Node.isCallExpression(call)) return undefined;
    const callee = call.getExpression();
    if (!Node.isPropertyAccessExpression(callee)) return undefined;
    const takenBy = lockOf(this.through(callee.getExpression(), ctx)!)?.made.takenBy ?? 'acquire';
    if (callee.getName() !== takenBy) return this.handedOver(call, callee, ctx);
    const lock = this.lockRef(callee.getExpression(), ctx);
    return lock && { lock, callee };
  }

  /**
   * `const release = await keyed.lock('a')`, a method returning its lock's acquisition (wrappers.ts):
   * that lock, taken here. Only when the releaser it gives is kept or called (a class may pair
   * `lock()` with an `unlock()` of its own, which this walk does not follow).
   */
  private handedOver(call: CallExpression, callee: PropertyAccessExpression, ctx: Ctx): { lock: Ref; callee: PropertyAccessExpression } | undefined {
    const whole = call.getParent() && Node.isAwaitExpression(call.getParent()!) ? call.getParent()! : call;
    if (!releaserName(whole.getParent()) && !calledAtOnce(whole)) return undefined;
    const r = ctx.subst ? undefined : returnedAcquire(call, (c) => isLockOp(c));
    const inner = r?.op.getExpression();
    const lock = inner && Node.isPropertyAccessExpression(inner) ? this.lockRef(inner.getExpression(), { ...ctx, subst: r!.subst }) : undefined;
    return lock && { lock, callee };
  }

  /**
   * `Promise.all([a.acquire(), b.acquire()])` (or `allSettled`, `race`, `any`): async-mutex queues
   * every acquisition of the batch in one synchronous step, so the batch may get `b` while it
   * waits for `a`, and the other way round: each is taken holding its siblings, marked as a batch.
   * Two batches alone cannot deadlock (the first queued gets both), so a cycle made of batch
   * edges only is quiet; against a nested acquisition of the same locks it is an inversion.
   * All of them are held after the batch.
   */
  batch(call: Node, ctx: Ctx): boolean {
    if (!Node.isCallExpression(call) || !/^Promise\.(?:all|allSettled|race|any)$/.test(call.getExpression().getText())) return false;
    const list = call.getArguments()[0];
    if (list && Node.isCallExpression(list)) return keysBatch(this, call, ctx);
    if (!list || !Node.isArrayLiteralExpression(list)) return false;
    const elements = list.getElements();
    if (elements.length === 0 || !elements.every((e) => this.acquireTarget(e, ctx))) return false;
    const names = batchReleasers(call);
    const before = [...ctx.held];
    const taken = elements.map((e, i) => this.explicitAcquire(e, { ...ctx, held: [...before] }, names[i])!);
    for (const t of taken) {
      const fact = this.host.facts.acquires[t.acquireIndex];
      fact.held.push(...taken.filter((o) => o !== t).map((o) => ({ ...o, batch: true })));
    }
    ctx.held.push(...taken);
    return true;
  }

  /** Record an acquisition with the locks held before it. */
  acquire(taken: Ref, site: Node, via: AcquireVia, ctx: Ctx, release?: ReleaseCheck, wait?: Partial<LockWait>): HeldFact {
    const range = rangeOf(ctx.subst?.site ?? site);
    const acquireIndex = this.host.facts.acquires.length;
    const { lock, held } = keyAgain(taken, ctx.held);
    this.host.facts.acquires.push({
      functionId: ctx.fn, lock, range, via, blocking: !wait?.tryOnly, held: [...held],
      ...(wait?.timed ? { timeout: true } : {}), ...(release ? { release } : {}),
    });
    return { lock, range, via, acquireIndex };
  }

  /** `release()` or `m.release()` (or a hand-rolled lock's release method, whoever took it): the hold it ends is no longer held. */
  release(call: Node, ctx: Ctx): boolean {
    if (!Node.isCallExpression(call)) return false;
    let at = ctx.held.findIndex((h) => {
      const r = this.releasers.get(h);
      return !!r && isReleaseCall(call, r);
    });
    if (at < 0) at = heldReleasedByMethod(this, call, ctx);
    if (at < 0) return false;
    const [held] = ctx.held.splice(at, 1);
    this.host.facts.releases.push({ functionId: ctx.fn, lock: held.lock, range: rangeOf(call) });
    return true;
  }
}
