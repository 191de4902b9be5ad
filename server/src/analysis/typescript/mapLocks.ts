// Mutexes kept in a Map by key, the keyed-mutex class users write over async-mutex:
// `private locks = new Map<string, Mutex>()`, a method that gets the key's mutex or makes and
// `set`s one, and a `lock(key, fn)` that runs `fn` under it. `this.locks.get(key)` (or a call of
// such a getter, `this.mutexFor(key)`) is then a lock named by the key: a literal (or constant)
// key is a lock of its own, a computed key one of a family, like async-lock's keys (keyTaking.ts).

import { Node, SyntaxKind, type CallExpression } from 'ts-morph';
import type { Ref } from '../events';
import type { KeyOwner } from './keyedLocks';
import { literal } from './keys';
import { declarationOf, lockDeclaration, madeLock, type MadeLock } from './locks';
import { objectLookup, touchObjectStores } from './objectLocks';
import { arrayElement } from './familyArrays';
import type { LockOps } from './lockOps';
import type { Ctx } from './scope';
import { touchScope } from './unitReuse';

/** A lock looked up in a map of locks: the map's declaration, what its values are, and the key expression. */
export interface MapLock {
  map: Node;
  made: MadeLock;
  key: Node;
  /** The object the map belongs to, as written at the lookup (`this`, `keyed`), when it is a field. */
  holder?: Node;
}

/**
 * `this.locks.get(key)` (with `!` or parentheses), a call of a getter that returns one by its
 * parameter, or a `const` holding one, also when it got it from a callback run under another lock
 * (`const m = await this.guard.runExclusive(() => { … return this.locks.get(key) … })`).
 */
export function mapLockOf(expr: Node, depth = 0): MapLock | undefined {
  const call = unwrapped(expr);
  if (call && Node.isIdentifier(call) && depth < 3) return storedLookup(call, depth) ?? arrayElement(call, depth);
  if (call && Node.isElementAccessExpression(call)) return objectLookup(call);
  if (!call || !Node.isCallExpression(call)) return undefined;
  const direct = mapGet(call);
  if (direct) return direct;
  const callee = call.getExpression();
  const fn = declarationOf(callee);
  if (fn && (Node.isFunctionDeclaration(fn) || Node.isMethodDeclaration(fn) || Node.isVariableDeclaration(fn))) touchScope(fn, /get|\[/); // a getter looks its key up
  const getter = fn && getterOf(fn);
  const key = getter && call.getArguments()[getter.param];
  if (!getter || !key) return undefined;
  touchStores(getter.found.map); // a getter found by an earlier unit: this unit reads the stores too
  return { map: getter.found.map, made: getter.found.made, key, holder: Node.isPropertyAccessExpression(callee) ? callee.getExpression() : undefined };
}

/**
 * The lock a map lookup takes, read at the call being walked (a wrapper's `key` and `this` stand
 * for the call's). The owner is the object holding the map when a top-level variable names it
 * (`keyed.lock('a', …)`: shared by every file importing `keyed`), else the map itself.
 */
export function mapLockRef(ops: LockOps, found: MapLock, ctx: Ctx): Ref {
  const key = ops.through(found.key, ctx) ?? found.key;
  const holder = found.holder && (ops.through(found.holder, ctx) ?? found.holder);
  const named = holder && !(holder.getKind() === SyntaxKind.ThisKeyword) ? declarationOf(holder) : undefined;
  const top = named && Node.isVariableDeclaration(named) && named.getVariableStatement()?.getParent() === named.getSourceFile() ? named : undefined;
  let owner: KeyOwner;
  if (top) {
    const file = top.getSourceFile().getFilePath();
    const shared = { key: `lock-map:${file}#${top.getName()}`, name: `${ops.host.refs.moduleName(file)}.${top.getName()}` };
    owner = { owner: top, base: top.getName(), kind: found.made.kind, shared };
  } else {
    const cls = found.map.getFirstAncestor((a) => Node.isClassDeclaration(a) || Node.isClassExpression(a));
    const field = Node.isBinaryExpression(found.map) ? found.map.getLeft().getText().replace(/^this\./, '') : (found.map as Node & { getName(): string }).getName();
    const className = cls && (Node.isClassDeclaration(cls) || Node.isClassExpression(cls)) ? cls.getName() : undefined;
    owner = { owner: found.map, base: className ? `${className}.${field}` : field, kind: found.made.kind };
  }
  return ops.keyed.ref(owner, { key: literal(key), node: key }, false);
}

/** A `const` local given a map lookup, directly or as what a callback it awaited returns. */
function storedLookup(id: Node, depth: number): MapLock | undefined {
  const decl = declarationOf(id);
  if (!decl || !Node.isVariableDeclaration(decl) || decl.getVariableStatement()?.getDeclarationKind() !== 'const') return undefined;
  let init = unwrapped(decl.getInitializer());
  if (init && Node.isAwaitExpression(init)) init = unwrapped(init.getExpression());
  if (!init || !Node.isCallExpression(init)) return undefined;
  const direct = mapLockOf(init, depth + 1);
  if (direct) return direct;
  // `await guard.runExclusive(() => { let m = this.locks.get(key); …; return m; })`: what the callback returns.
  const cb = init.getArguments()[0];
  if (!cb || !(Node.isArrowFunction(cb) || Node.isFunctionExpression(cb))) return undefined;
  const body = cb.getBody();
  const returns = Node.isBlock(body) ? body.getDescendantsOfKind(SyntaxKind.ReturnStatement).filter((r) => r.getFirstAncestor((a) => Node.isArrowFunction(a) || Node.isFunctionExpression(a) || Node.isFunctionLikeDeclaration(a)) === cb) : [];
  const value = Node.isBlock(body) ? (returns.length === 1 ? returns[0].getExpression() : undefined) : body;
  return value ? mapLockOf(value, depth + 1) ?? localLookup(value, depth + 1) : undefined;
}

/** A local (`let m = this.locks.get(key)`, then maybe made and `set`) whose first value is a map lookup. */
function localLookup(value: Node, depth: number): MapLock | undefined {
  const decl = Node.isIdentifier(value) ? declarationOf(value) : undefined;
  const init = decl && Node.isVariableDeclaration(decl) ? unwrapped(decl.getInitializer()) : undefined;
  return init && Node.isCallExpression(init) ? mapLockOf(init, depth + 1) : undefined;
}

/** `m.get(key)` where `m` is a map of locks. */
function mapGet(call: CallExpression): MapLock | undefined {
  const callee = call.getExpression();
  const args = call.getArguments();
  if (!Node.isPropertyAccessExpression(callee) || callee.getName() !== 'get' || args.length !== 1) return undefined;
  const target = callee.getExpression();
  const map = declarationOf(target);
  const made = map && lockMapValues(map);
  if (map) touchStores(map);
  if (!made) return undefined;
  return { map: map!, made, key: args[0], holder: Node.isPropertyAccessExpression(target) ? target.getExpression() : undefined };
}

/** What a getter function is: the lookup it returns, and which parameter is the key. */
interface Getter {
  found: MapLock;
  param: number;
}

const getters = new WeakMap<Node, Getter | null>();

/** A function or method that looks its parameter up in a map of locks (`get(key) { … this.locks.get(key) … return m; }`). */
function getterOf(fn: Node): Getter | undefined {
  const known = getters.get(fn);
  if (known !== undefined) return known ?? undefined;
  getters.set(fn, null);
  // `function lockFor(k)`, a method, or `const lockFor = (k) => …`.
  const init = Node.isVariableDeclaration(fn) ? fn.getInitializer() : fn;
  if (!init || !(Node.isFunctionDeclaration(init) || Node.isMethodDeclaration(init) || Node.isArrowFunction(init) || Node.isFunctionExpression(init))) return undefined;
  const params = init.getParameters().map((p) => p.getName());
  const body = init.getBody();
  const returns = !!body && (!Node.isBlock(body) || body.getDescendantsOfKind(SyntaxKind.ReturnStatement).some((r) => r.getExpression()));
  if (!body || params.length === 0 || !returns) return undefined;
  const lookups = [...body.getDescendantsOfKind(SyntaxKind.CallExpression), ...body.getDescendantsOfKind(SyntaxKind.ElementAccessExpression)];
  if (Node.isCallExpression(body) || Node.isElementAccessExpression(body)) lookups.push(body);
  for (const call of lookups) {
    const found = Node.isCallExpression(call) ? mapGet(call) : objectLookup(call);
    const arg = found && found.key;
    if (!found || !arg || !Node.isIdentifier(arg) || !params.includes(arg.getText())) continue;
    const getter = { found, param: params.indexOf(arg.getText()) };
    getters.set(fn, getter);
    return getter;
  }
  return undefined;
}

const maps = new WeakMap<Node, MadeLock | null>();

/**
 * What a map holds, when it is a map of mutexes: a variable or field made with `new Map()` whose
 * every `set(key, value)` in its class (or file) stores a lock made there (`new Mutex()`, or a
 * local holding one). A counting semaphore is left out (one task may hold it more than once).
 */
function lockMapValues(decl: Node): MadeLock | undefined {
  const known = maps.get(decl);
  if (known !== undefined) return known ?? undefined;
  maps.set(decl, null);
  if (!mapInit(decl)) return undefined;
  const scope = Node.isVariableDeclaration(decl) ? decl.getSourceFile() : decl.getFirstAncestor((a) => Node.isClassDeclaration(a) || Node.isClassExpression(a));
  if (!scope) return undefined;
  let made: MadeLock | undefined;
  for (const call of scope.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    const callee = call.getExpression();
    if (!Node.isPropertyAccessExpression(callee) || callee.getName() !== 'set' || declarationOf(callee.getExpression()) !== decl) continue;
    const value = call.getArguments()[1];
    const stored = value && (madeLock(value) ?? (Node.isIdentifier(value) ? heldLock(value) : undefined));
    if (!stored || stored.keyed || stored.counting || (made && made.kind !== stored.kind)) return undefined;
    made = stored;
  }
  if (made) maps.set(decl, made);
  return made;
}

/** Where a map's `set` calls (or an object's element assignments) are read: its class or file. */
function touchStores(map: Node): void {
  if (mapInit(map)) touchScope(map.getFirstAncestor((a) => Node.isClassDeclaration(a) || Node.isClassExpression(a)) ?? map.getSourceFile(), 'set');
  else touchObjectStores(map);
}

/** Whether a declaration (a variable, a field, `this.x = …`) is given a `new Map()`. */
function mapInit(decl: Node): boolean {
  const init = Node.isVariableDeclaration(decl) || Node.isPropertyDeclaration(decl) ? decl.getInitializer()
    : Node.isBinaryExpression(decl) ? decl.getRight() : undefined;
  return !!init && Node.isNewExpression(init) && init.getExpression().getText() === 'Map';
}

/** The lock a local holds when `set` stores it: made in its declaration or assigned later (`m ??= new Mutex()`, `m = new Mutex()`). */
export function heldLock(id: Node): MadeLock | undefined {
  const decl = declarationOf(id);
  if (!decl || !Node.isVariableDeclaration(decl)) return lockDeclaration(decl)?.made;
  const made = madeLock(decl.getInitializer());
  if (made) return made;
  const fn = decl.getFirstAncestor((a) => Node.isFunctionLikeDeclaration(a) || Node.isArrowFunction(a) || Node.isFunctionExpression(a)) ?? decl.getSourceFile();
  for (const bin of fn.getDescendantsOfKind(SyntaxKind.BinaryExpression)) {
    const op = bin.getOperatorToken().getKind();
    if ((op !== SyntaxKind.EqualsToken && op !== SyntaxKind.QuestionQuestionEqualsToken && op !== SyntaxKind.BarBarEqualsToken)) continue;
    if (Node.isIdentifier(bin.getLeft()) && declarationOf(bin.getLeft()) === decl) {
      const assigned = madeLock(bin.getRight());
      if (assigned) return assigned;
    }
  }
  return undefined;
}

/** An expression without the `!`, parentheses or `as` around it. */
function unwrapped(node: Node | undefined): Node | undefined {
  while (node && (Node.isNonNullExpression(node) || Node.isParenthesizedExpression(node) || Node.isAsExpression(node))) node = node.getExpression();
  return node;
}
