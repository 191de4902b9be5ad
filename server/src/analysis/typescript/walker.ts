// The TypeScript/JavaScript walk: one pass over a ts-morph source file in document order,
// turned into the language-neutral facts of events.ts. Functions, methods and classes become
// scopes; async-mutex locks stored in variables and fields become lock definitions; and
// `runExclusive(cb)`, `await m.acquire()` … `release()` and async-lock's
// `lock.acquire(key | keys, cb)` (a lock per literal key) become acquisitions, with the
// locks held at every call made meanwhile (awaited or not). A callback passed inline runs
// where it is passed (under the locks held there), except when handed to a scheduler that
// runs it later (timers, `.then`, event emitters).

import { Node, SyntaxKind, type ObjectLiteralExpression, type SourceFile } from 'ts-morph';
import { MODULE_FUNCTION, type CallFact, type FileFacts, type FunctionFact, type HeldFact, type LockTarget, type Ref } from '../events';
import { declarationOf, declaredName, forgetDeclarations, lockDeclaration, objectMember } from './locks';
import { LockOps } from './lockOps';
import { forgetObjects } from './objectLocks';
import { recursiveTask } from './limiterTasks';
import { markSettles, promiseAwait } from './promiseAwaits';
import { atomicsFacts } from './atomicsWaits';
import { isWrapper, wrapperCall } from './wrappers';
import { isLockOp } from './lockCalls';
import { registeredUnderLock } from './listeners';
import { markDispatch } from './dispatch';
import { walkOptionCallbacks } from './optionCallbacks';
import { lineOf, plainRef, rangeOf, RefBook } from './refs';
import type { Ctx, WalkHost } from './scope';
import { suppressionsOf } from './suppressions';
import { syntaxErrorsOf } from './syntaxErrors';
import { UnitWalk, type UnitHost, type UnitMemory } from './unitReuse';
import { beginReads, endReads } from './dependents';

/** Callees that run a function passed to them later, not while the caller's locks are held. */
const DEFERRING = new Set(['setTimeout', 'setInterval', 'setImmediate', 'queueMicrotask', 'nextTick', 'then', 'catch', 'finally',
  'on', 'once', 'addListener', 'addEventListener', 'prependListener', 'subscribe']);

/** Callees that run a function passed to them before they return (array methods and the like). */
const RUNS_NOW = new Set(['forEach', 'map', 'flatMap', 'filter', 'reduce', 'reduceRight', 'some', 'every', 'find', 'findIndex',
  'findLast', 'findLastIndex', 'sort', 'toSorted', 'from', 'call', 'apply']);

/** Walks one file. */
class Walk implements WalkHost, UnitHost {
  readonly facts: FileFacts;
  readonly refs: RefBook;
  private ops = new LockOps(this);
  anonymous = 0;
  /** For an open document: its units, walked or copied from its previous walk (unitReuse.ts). */
  readonly units: UnitWalk | undefined;

  constructor(private readonly sf: SourceFile, moduleOf: (file: string) => string, remember?: { previous?: UnitMemory }) {
    const path = sf.getFilePath();
    this.facts = {
      path, imports: [], classes: [], functions: [], lockDefs: [], aliases: [], types: [], acquires: [], releases: [], calls: [],
      threads: [], suppressions: suppressionsOf(sf), globalsDeclared: new Map(), syntaxErrors: syntaxErrorsOf(sf), importInsertLine: 0,
      language: 'typescript', module: moduleOf(path),
    };
    this.refs = new RefBook(path, moduleOf, this.facts.imports, this.facts.types);
    this.units = remember && new UnitWalk(this, sf, remember.previous);
  }

  /** Walk the whole file, statement by statement (each a unit, a class's members too); returns its facts. */
  run(): FileFacts {
    const ctx: Ctx = { fn: MODULE_FUNCTION, qual: '', held: [] };
    for (const stmt of this.sf.getStatements()) this.unit(stmt, ctx, () => this.visit(stmt, ctx));
    return this.facts;
  }

  /** Whether a function is a lock wrapper. */
  isWrapper(fn: Node): boolean {
    return isWrapper(fn, (c) => isLockOp(c));
  }

  /** Walk a unit of the file, unless the previous walk's facts for it still hold. */
  private unit(node: Node, ctx: Ctx, body: () => void): void {
    if (this.units) this.units.run(node, ctx.held, body);
    else body();
  }

  /** Walk a node in document order, dispatching on what it is. */
  private visit(node: Node, ctx: Ctx): void {
    if (Node.isClassDeclaration(node) || Node.isClassExpression(node)) return this.onClass(node, ctx);
    if (Node.isFunctionDeclaration(node)) return this.onFunction(node, node.getName() ?? this.anonymousName(node), ctx);
    if (Node.isArrowFunction(node) || Node.isFunctionExpression(node)) return this.onFunction(node, this.anonymousName(node), ctx);
    // A method of an object literal runs when it is called, not where the object is built.
    if (objectMethod(node)) return this.onFunction(node, objectMethodName(node) ?? this.anonymousName(node), ctx);
    if (Node.isVariableDeclaration(node)) return this.onVariable(node, ctx);
    if (Node.isCallExpression(node)) return this.onCall(node, ctx);
    if (Node.isNewExpression(node)) return this.onNew(node, ctx);
    if (Node.isAwaitExpression(node)) promiseAwait(this, node, ctx);
    node.forEachChild((c) => this.visit(c, ctx));
  }

  /** A name for a function or class that has none, unique in the file. */
  private anonymousName(node: Node): string {
    return `<anonymous@${lineOf(node)}:${++this.anonymous}>`;
  }

  /** A class: its fields (locks, typed fields, arrow-function methods) and methods. */
  private onClass(node: Node & { getName(): string | undefined }, ctx: Ctx): void {
    if (!Node.isClassDeclaration(node) && !Node.isClassExpression(node)) return;
    const name = `${ctx.qual}${node.getName() ?? this.anonymousName(node)}`;
    const ext = node.getExtends()?.getExpression();
    this.facts.classes.push({ qualname: name, name: node.getName() ?? name, bases: ext ? [this.baseRef(ext)] : [], range: rangeOf(node) });
    const inClass: Ctx = { fn: ctx.fn, qual: `${name}.`, held: [] };
    for (const member of node.getMembers()) this.unit(member, inClass, () => this.onMember(member, name, inClass));
  }

  /** A member of a class: a field, a method or accessor, or the constructor. */
  private onMember(member: Node, className: string, inClass: Ctx): void {
    if (Node.isPropertyDeclaration(member)) this.onField(member, className, inClass);
    else if (Node.isMethodDeclaration(member) || Node.isGetAccessorDeclaration(member) || Node.isSetAccessorDeclaration(member)) {
      this.onFunction(member, member.getName(), inClass, className);
    } else if (Node.isConstructorDeclaration(member)) this.onFunction(member, 'constructor', inClass, className);
  }

  /** A base class, resolved by the checker when it is declared in an analyzed file. */
  private baseRef(ext: Node): Ref {
    const decl = declarationOf(ext);
    const name = decl && Node.isClassDeclaration(decl) ? decl.getName() : undefined;
    return name && decl && decl.getParent() === decl.getSourceFile() ? this.refs.topLevel(name, decl.getSourceFile().getFilePath()) : plainRef(ext);
  }

  /** A class field: a lock, a method written as an arrow function, or a field typed by its constructor. */
  private onField(field: Node, className: string, ctx: Ctx): void {
    if (!Node.isPropertyDeclaration(field)) return;
    const init = field.getInitializer();
    if (init && (Node.isArrowFunction(init) || Node.isFunctionExpression(init))) return this.onFunction(init, field.getName(), ctx, className);
    const scope = field.isStatic() ? 'class' : 'instance';
    const target: LockTarget = { scope, className, name: field.getName() };
    if (this.lockDef(field, target)) return;
    this.typeOf(field.getName(), init, scope, className);
    if (init) this.visit(init, { ...ctx, fn: MODULE_FUNCTION });
  }

  /** Record `x = new C()` as "x holds a C", for calls made on it. */
  private typeOf(name: string, init: Node | undefined, owner: 'instance' | 'class' | 'local' | 'module', where: string): void {
    if (!init || !Node.isNewExpression(init)) return;
    const decl = declarationOf(init.getExpression());
    const cls = decl && Node.isClassDeclaration(decl) && decl.getName();
    if (!cls || decl.getParent() !== decl.getSourceFile()) return;
    const type = this.refs.topLevel(cls, decl.getSourceFile().getFilePath());
    if (owner === 'local') this.facts.types.push({ owner, functionId: where, name, type });
    else if (owner === 'module') this.facts.types.push({ owner, name, type });
    else this.facts.types.push({ owner, className: where, name, type });
  }

  /** Record a lock definition when `decl` stores a new async-mutex lock. */
  private lockDef(decl: Node, target: LockTarget): boolean {
    const found = lockDeclaration(decl);
    if (!found) return false;
    if (found.made.keyed) return true; // an AsyncLock is a lock per key: see keyedAcquire
    const init = found.init;
    const stmt = Node.isPropertyDeclaration(decl) ? decl : decl.getFirstAncestor((a) => Node.isStatement(a)) ?? decl;
    this.facts.lockDefs.push({
      target, kind: found.made.kind, container: false, counting: found.made.counting || undefined, slots: found.made.slots,
      range: rangeOf(init), calleeRange: rangeOf(found.made.callee), calleeText: found.made.callee.getText(), statementRange: rangeOf(stmt),
    });
    return true;
  }

  /** `const locks = { users: new Mutex(), … }`: each property holding a lock is one (`locks.users`; see objectMember). */
  private objectLocks(literal: ObjectLiteralExpression, target: LockTarget): void {
    for (const p of literal.getProperties()) {
      if (objectMember(p)) this.lockDef(p, { ...target, name: declaredName(p) });
    }
  }

  /** `new Promise((resolve, reject) => …)`: the executor runs right away, under the locks held here. */
  private onNew(node: Node, ctx: Ctx): void {
    if (!Node.isNewExpression(node)) return;
    const executor = node.getArguments()[0];
    if (node.getExpression().getText() !== 'Promise' || !executor || !(Node.isArrowFunction(executor) || Node.isFunctionExpression(executor))) {
      // `new Client({ onChange: cb })` where Client calls `cb` under its lock: `cb` runs under it (optionCallbacks.ts).
      const under = walkOptionCallbacks(node, ctx, (op, at) => this.ops.onCall(op, at), (n) => this.visit(n, ctx), (c) => isLockOp(c));
      if (!under) node.forEachChild((c) => this.visit(c, ctx));
      return;
    }
    this.inline(executor, ctx, ctx.held);
  }

  /** A variable: a function written as an arrow, a lock, an instance of a class, or an `await m.acquire()`. */
  private onVariable(decl: Node, ctx: Ctx): void {
    if (!Node.isVariableDeclaration(decl)) return;
    const name = decl.getName();
    const init = decl.getInitializer();
    const top = ctx.fn === MODULE_FUNCTION;
    if (init && (Node.isArrowFunction(init) || Node.isFunctionExpression(init)) && Node.isIdentifier(decl.getNameNode())) {
      return this.onFunction(init, name, ctx);
    }
    const target: LockTarget = top ? { scope: 'module', name } : { scope: 'local', functionId: ctx.fn, name };
    if (this.lockDef(decl, target)) return;
    if (init && Node.isObjectLiteralExpression(init)) this.objectLocks(init, target);
    this.typeOf(name, init, top ? 'module' : 'local', ctx.fn);
    if (!init) return;
    if (!this.ops.explicitAcquire(init, ctx)) this.visit(init, ctx);
  }

  /** A function, method or arrow function: a scope of its own, walked with no lock held. */
  private onFunction(node: Node, name: string, ctx: Ctx, className?: string): void {
    if (!Node.isFunctionLikeDeclaration(node) && !Node.isArrowFunction(node) && !Node.isFunctionExpression(node)) return;
    const qualname = `${ctx.qual}${name}`;
    const id = this.facts.functions.some((f) => f.id === qualname) ? `${qualname}@${lineOf(node)}` : qualname;
    const params = node.getParameters().map((p) => p.getName());
    const fact: FunctionFact = {
      id, qualname, name, params: className ? ['this', ...params] : params, isAsync: Node.isAsyncable(node) && node.isAsync(),
      range: rangeOf(node), nameRange: rangeOf((node as Node & { getNameNode?(): Node | undefined }).getNameNode?.() ?? node),
    };
    if (className) fact.className = className;
    else if (ctx.fn !== MODULE_FUNCTION) fact.parent = ctx.fn;
    this.facts.functions.push(fact);
    const inner: Ctx = { fn: id, node, qual: `${qualname}.`, held: [] };
    if (Node.isConstructorDeclaration(node)) this.constructorFields(node, className!);
    const body = Node.isBodied(node) || Node.isBodyable(node) ? node.getBody() : undefined;
    if (body && Node.isBlock(body)) body.forEachChild((c) => this.visit(c, inner));
    else if (body) this.visit(body, inner);
  }

  /** `this.x = new C()` in a constructor: the field's class (and a lock stored there). */
  private constructorFields(ctor: Node, className: string): void {
    for (const bin of ctor.getDescendantsOfKind(SyntaxKind.BinaryExpression)) {
      const left = bin.getLeft();
      if (bin.getOperatorToken().getKind() !== SyntaxKind.EqualsToken || !Node.isPropertyAccessExpression(left)) continue;
      if (left.getExpression().getKind() !== SyntaxKind.ThisKeyword) continue;
      // In JavaScript the assignment declares the property: a lock made here is defined here.
      if (declarationOf(left) === bin && this.lockDef(bin, { scope: 'instance', className, name: left.getName() })) continue;
      this.typeOf(left.getName(), bin.getRight(), 'instance', className);
    }
  }

  /** A call: a lock operation, or a call made with the locks held here. */
  private onCall(call: Node, ctx: Ctx): void {
    if (!Node.isCallExpression(call)) return;
    if (this.ops.onCall(call, ctx)) return;
    const callee = call.getExpression();
    const wrapped = wrapperCall(call, (c) => isLockOp(c));
    if (wrapped && this.ops.onCall(wrapped.op, { ...ctx, subst: wrapped.subst })) {
      // The callback given to a wrapper ran under its lock above; the other arguments run here.
      this.facts.calls.push({ functionId: ctx.fn, callee: this.calleeRef(callee, ctx), range: rangeOf(call), held: [...ctx.held], args: [] });
      for (const arg of call.getArguments()) if (!Node.isArrowFunction(arg) && !Node.isFunctionExpression(arg)) this.visit(arg, ctx);
      return;
    }
    if (this.registered(call, ctx)) return;
    recursiveTask(this.ops, call, declarationOf(callee), ctx);
    const fact: CallFact = { functionId: ctx.fn, callee: this.calleeRef(callee, ctx), range: rangeOf(call), held: [...ctx.held], args: [] };
    markSettles(fact, callee);
    markDispatch(fact, callee, this.refs);
    if (detached(call)) fact.detached = true;
    atomicsFacts(this, call, fact, ctx);
    this.facts.calls.push(fact);
    this.visit(callee, ctx);
    // A callback runs under the locks held here when the callee runs it before returning (an
    // array method), or when the caller waits for the callee; one only stored or scheduled does not.
    const name = Node.isPropertyAccessExpression(callee) ? callee.getName() : callee.getText();
    const runsNow = !DEFERRING.has(name) && (RUNS_NOW.has(name) || waitedFor(call));
    for (const arg of call.getArguments()) {
      if (runsNow && (Node.isArrowFunction(arg) || Node.isFunctionExpression(arg))) this.inline(arg, ctx, ctx.held);
      else this.visit(arg, ctx);
    }
  }

  /**
   * `client.onChange(cb)` where the class stores `cb` and calls it under a lock: `cb` is walked
   * under that lock, here (listeners.ts). False when no inline callback given is kept that way.
   */
  private registered(call: Node, ctx: Ctx): boolean {
    if (!Node.isCallExpression(call)) return false;
    const cbs = call.getArguments().filter((a) => Node.isArrowFunction(a) || Node.isFunctionExpression(a));
    const found = cbs.length === 1 ? registeredUnderLock(call, cbs[0], (c) => isLockOp(c)) : undefined;
    // The callback runs later, when the class calls its listeners: not under the locks held here.
    if (!found || !this.ops.onCall(found.op, { ...ctx, held: [], subst: found.subst })) return false;
    this.facts.calls.push({ functionId: ctx.fn, callee: this.calleeRef(call.getExpression(), ctx), range: rangeOf(call), held: [...ctx.held], args: [] });
    for (const arg of call.getArguments()) if (arg !== cbs[0]) this.visit(arg, ctx);
    return true;
  }

  /** Walk a callback's body where it is passed, with `held` held (its own acquisitions stay inside it). */
  inline(fn: Node, ctx: Ctx, held: HeldFact[]): void {
    if (!Node.isArrowFunction(fn) && !Node.isFunctionExpression(fn)) return;
    const inner: Ctx = { ...ctx, held: [...held] };
    const body = fn.getBody();
    if (Node.isBlock(body)) body.forEachChild((c) => this.visit(c, inner));
    else this.visit(body, inner);
  }

  /** What a callee is, as the checker resolves it: a function of some file, or a method of a class. */
  calleeRef(callee: Node, ctx: Ctx): Ref {
    const decl = declarationOf(callee);
    if (decl) {
      const name = Node.isPropertyAccessExpression(callee) ? callee.getName() : callee.getText();
      const top = decl.getParent() === decl.getSourceFile() || (Node.isVariableDeclaration(decl) && decl.getVariableStatement()?.getParent() === decl.getSourceFile());
      if ((Node.isFunctionDeclaration(decl) || Node.isVariableDeclaration(decl) || Node.isClassDeclaration(decl)) && top) {
        // By its own name: `import { flush as drain }` calls `flush`.
        return this.refs.topLevel(decl.getName() ?? name, decl.getSourceFile().getFilePath());
      }
      if ((Node.isMethodDeclaration(decl) || Node.isPropertyDeclaration(decl)) && Node.isPropertyAccessExpression(callee)) {
        const ref = this.refs.member(callee.getExpression(), decl, name, ctx.fn);
        if (ref) return ref;
      }
    }
    // A method the checker cannot find (`this.sender.replaceTrack()` on a DOM type this project
    // does not load) is no call into the analyzed code: never guessed by its name alone.
    if (!decl && Node.isPropertyAccessExpression(callee) && callee.getExpression().getKind() !== SyntaxKind.ThisKeyword) {
      return { kind: 'other', text: callee.getText() };
    }
    return plainRef(callee);
  }

}

/**
 * Whether the caller waits for a call's result (awaits or returns it), so a callback the call
 * is given runs, as far as the caller can tell, before it goes on: `await retry(() => …)`.
 */
function waitedFor(call: Node): boolean {
  let n = call;
  let up = n.getParent();
  while (up && (Node.isParenthesizedExpression(up) || Node.isAsExpression(up) || Node.isNonNullExpression(up))) {
    n = up;
    up = n.getParent();
  }
  return !!up && (Node.isAwaitExpression(up) || Node.isReturnStatement(up) || Node.isYieldExpression(up)
    || (Node.isArrowFunction(up) && up.getBody() === n));
}

/** A method or accessor written in an object literal (`{ async query() { … } }`). */
function objectMethod(node: Node): boolean {
  return (Node.isMethodDeclaration(node) || Node.isGetAccessorDeclaration(node) || Node.isSetAccessorDeclaration(node))
    && Node.isObjectLiteralExpression(node.getParent());
}

/** `store.save` for `const store = { save() { … } }`; undefined when the object has no variable. */
function objectMethodName(node: Node): string | undefined {
  const literal = node.getParent();
  const owner = literal?.getParent();
  if (!owner || !Node.isVariableDeclaration(owner) || !Node.isIdentifier(owner.getNameNode())) return undefined;
  if (!(Node.isMethodDeclaration(node) || Node.isGetAccessorDeclaration(node) || Node.isSetAccessorDeclaration(node))) return undefined;
  return Node.isIdentifier(node.getNameNode()) ? `${owner.getName()}.${node.getName()}` : undefined;
}

/** Whether the caller goes on without waiting for a call: `start();` or `start().then(…)`. */
function detached(call: Node): boolean {
  const up = call.getParent();
  if (up && Node.isExpressionStatement(up)) return true;
  return !!up && Node.isPropertyAccessExpression(up) && up.getExpression() === call && /^(?:then|catch|finally)$/.test(up.getName());
}

/**
 * The facts of one TS/JS file; `moduleOf` names a file's module. With `remember` (an open
 * document), the walk also returns what its next walk may reuse, and reuses what `previous` kept.
 */
export function walkTypeScript(sf: SourceFile, moduleOf: (file: string) => string, remember?: { previous?: UnitMemory }): { facts: FileFacts; memory?: UnitMemory } {
  forgetDeclarations();
  forgetObjects();
  beginReads(sf);
  const walk = new Walk(sf, moduleOf, remember);
  try {
    return { facts: walk.run(), memory: walk.units?.finish() };
  } finally {
    walk.units?.finish();
    endReads();
    forgetDeclarations(); // the program may change before the next walk: nothing found here is kept
  }
}
