// For `const release = await m.acquire()`: whether every way out of the block after it passes
// `release()` (or `m.release()`). A `finally` that releases covers every path; otherwise a
// `return`, a `throw`, or an `await` (a rejected promise throws there) before the release
// leaves the function with the lock held.

import { Node, SyntaxKind, type CallExpression } from 'ts-morph';
import type { ReleaseCheck } from '../events';
import type { Range } from '../types';
import { positionAt, rangeOf } from './refs';

/** How a release of this acquisition is written: the releaser's name, or the lock's text. */
export interface Releaser {
  name?: string;
  lockText: string;
  /** The lock's own release method, when not `release` (`unlock` of an Atomics mutex). */
  method?: string;
  /**
   * A batch over a family's keys: `name` holds an array of releasers, each called by
   * `releases.forEach((r) => r())` or `for (const r of releases) r()`; and `m.release()` on any
   * lookup starting with this text (`mutexes[`, `lockFor(`) gives one back.
   */
  family?: string;
  /** A paired release: `KeyedMutex.releaseMultiple(ms)` for the locks `KeyedMutex.acquireMultiple(ms)` left held (holders.ts). */
  paired?: (call: CallExpression) => boolean;
}

/** Whether a call releases: `release()` or `m.release()`. */
export function isReleaseCall(node: Node, r: Releaser): boolean {
  if (!Node.isCallExpression(node)) return false;
  const callee = node.getExpression();
  // By the name (or property, `this.release`) the releaser is stored in.
  if (r.name !== undefined && callee.getText() === r.name) return true;
  if (r.family !== undefined && releasesEach(node, r.name, r.family)) return true;
  if (r.paired?.(node)) return true;
  return Node.isPropertyAccessExpression(callee) && callee.getName() === (r.method ?? 'release') && callee.getExpression().getText() === r.lockText;
}

/** A batch's array of releasers, looped over to call each: `releases.forEach(…)`, `for (const r of releases)`. */
function eachReleased(id: Node): boolean {
  const up = id.getParent();
  if (up && Node.isForOfStatement(up)) return up.getExpression() === id;
  return !!up && Node.isPropertyAccessExpression(up) && /^(?:forEach|map)$/.test(up.getName()) && !!up.getParent() && Node.isCallExpression(up.getParent()!);
}

/** `releases.forEach((r) => r())`, `r()` in `for (const r of releases)`, or `mutexes[k].release()` for a batch over keys. */
function releasesEach(call: CallExpression, name: string | undefined, family: string): boolean {
  const callee = call.getExpression();
  if (Node.isPropertyAccessExpression(callee)) {
    const target = callee.getExpression();
    if (name !== undefined && /^(?:forEach|map)$/.test(callee.getName()) && target.getText() === name) return true;
    return callee.getName() === 'release' && family !== '' && target.getText().startsWith(family);
  }
  if (name === undefined || !Node.isIdentifier(callee)) return false;
  const loop = call.getFirstAncestorByKind(SyntaxKind.ForOfStatement);
  const init = loop?.getInitializer();
  return !!loop && !!init && loop.getExpression().getText() === name && Node.isVariableDeclarationList(init)
    && init.getDeclarations().some((d) => d.getName() === callee.getText());
}

/** Whether a node holds a release call (not counting nested functions, which run some other time). */
function releases(node: Node, r: Releaser): boolean {
  if (isReleaseCall(node, r)) return true;
  return !isFunction(node) && node.forEachChildAsArray().some((c) => releases(c, r));
}

function isFunction(node: Node): boolean {
  return Node.isFunctionLikeDeclaration(node) || Node.isArrowFunction(node) || Node.isFunctionExpression(node);
}

/** The first way out of a statement before any release: a return, a throw, or an awaited promise that may reject. */
function firstExit(node: Node, r: Releaser, caught = false): { at: Node; kind: 'return' | 'raise' } | undefined {
  if (isFunction(node) || isReleaseCall(node, r)) return undefined;
  if (Node.isReturnStatement(node)) return { at: node, kind: 'return' };
  if ((Node.isThrowStatement(node) || Node.isAwaitExpression(node)) && !caught) return { at: node, kind: 'raise' };
  if (Node.isTryStatement(node)) {
    // `try { … } catch (e) { release(); throw e; }`: a throw in the `try` is released by the `catch`.
    const c = node.getCatchClause();
    const releasing = !!c && releases(c.getBlock(), r);
    return firstExit(node.getTryBlock(), r, caught || releasing) ?? (c ? firstExit(c.getBlock(), r, caught) : undefined)
      ?? (node.getFinallyBlock() ? firstExit(node.getFinallyBlock()!, r, caught) : undefined);
  }
  for (const c of node.forEachChildAsArray()) {
    // The rest of a block after `release();` runs without the lock.
    if (Node.isExpressionStatement(c) && isReleaseCall(c.getExpression(), r)) return undefined;
    const found = firstExit(c, r, caught);
    if (found) return found;
  }
  return undefined;
}

/** The statement holding the acquisition, directly in a block or the file. */
export function statementOf(node: Node): Node | undefined {
  let n: Node | undefined = node;
  while (n && !(n.getParent() && (Node.isBlock(n.getParent()!) || Node.isSourceFile(n.getParent()!)))) n = n.getParent();
  return n;
}

/**
 * The statements after one in its block or file. Not `getNextSiblings()`: ts-morph lists
 * siblings from the token children it keeps of the parent, and after an incremental parse
 * (incrementalParse.ts) a reused block's kept children can be out of date (an unchanged function
 * walked again after an edit above it found no statement after its `acquire()`: a false LO104).
 */
export function nextStatements(stmt: Node): Node[] {
  const parent = stmt.getParent();
  const list: Node[] = parent && (Node.isBlock(parent) || Node.isSourceFile(parent)) ? parent.getStatements() : [];
  const at = list.indexOf(stmt);
  return at >= 0 ? list.slice(at + 1) : [];
}

/** Whether the statement is in the `try` block of a `try … finally` whose `finally` releases (in the same function). */
function insideTryReleasingInFinally(stmt: Node, r: Releaser): boolean {
  for (let n: Node | undefined = stmt, up = stmt.getParent(); up && !isFunction(up); n = up, up = up.getParent()) {
    if (Node.isTryStatement(up) && n === up.getTryBlock() && up.getFinallyBlock() && releases(up.getFinallyBlock()!, r)) return true;
  }
  return false;
}

/**
 * Whether the releaser leaves the function's own code after the acquisition: used inside a nested
 * function (a callback that releases later), passed as an argument, or stored. Whoever gets it
 * releases the lock; this check cannot follow it there.
 */
function handedOff(stmt: Node, r: Releaser): boolean {
  if (r.name === undefined) return false;
  return nextStatements(stmt).some((s) => s.getDescendantsOfKind(SyntaxKind.Identifier).some((id) => {
    if (id.getText() !== r.name) return false;
    const up = id.getParent();
    const called = (!!up && Node.isCallExpression(up) && up.getExpression() === id) || (r.family !== undefined && eachReleased(id));
    return !called || !!id.getFirstAncestor((a) => isFunction(a) && a.getPos() > stmt.getPos());
  }));
}

/** Check one explicit acquisition (the `await m.acquire()` expression). */
export function releaseCheck(acquire: Node, r: Releaser): ReleaseCheck {
  const stmt = statementOf(acquire);
  if (!stmt || insideTryReleasingInFinally(stmt, r) || handedOff(stmt, r)) return { released: true };
  for (const next of nextStatements(stmt)) {
    if (Node.isTryStatement(next) && next.getFinallyBlock() && releases(next.getFinallyBlock()!, r)) return { released: true };
    const exit = firstExit(next, r);
    if (exit) return { released: false, leak: rangeOf(exit.at), leakKind: exit.kind };
    // A release on some branches only (`if (done) { release(); return; }`): look further.
    if (releases(next, r) && Node.isExpressionStatement(next)) return { released: true };
  }
  const block = stmt.getParent();
  return { released: false, leak: block && Node.isBlock(block) ? closingBrace(block) : rangeOf(stmt), leakKind: 'end' };
}

/**
 * The range of a block's `}`, its last character. Not its token node: ts-morph keeps the token
 * children it made of a node, and after an incremental parse (incrementalParse.ts) a reused
 * node's kept tokens still have the positions of the text before the edit.
 */
function closingBrace(block: Node): Range {
  const sf = block.getSourceFile();
  return { start: positionAt(sf, block.getEnd() - 1), end: positionAt(sf, block.getEnd()) };
}
