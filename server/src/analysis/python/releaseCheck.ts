// For an explicit `x.acquire()`, decides how long the lock stays held in its function and
// whether every path from it to the function's end passes a `x.release()`.

import { descendantsOfType, type Node } from './syntax';
import type { ReleaseCheck } from '../events';
import { rangeOf } from './refs';
import type { EachLoop } from './eachIteration';
import { releasesEach } from './eachRelease';
import { finallyBlock, keepingTryBlock, releasedAfterBody } from './tryClauses';

const STATEMENTS = new Set([
  'expression_statement', 'if_statement', 'while_statement', 'return_statement', 'assert_statement',
]);
const SCOPES = new Set(['function_definition', 'module', 'class_definition', 'lambda']);

type Scan =
  | { state: 'released'; statement?: Node }
  | { state: 'leak'; at: Node; kind: 'return' | 'raise' }
  | { state: 'open'; partial: boolean };

/**
 * The lock's source text, the name its acquire()'s result is stored in (`got = x.acquire(...)`),
 * and a flag set true right after it (`acquired = True`): a release under `if got:`/`if acquired:`
 * runs exactly when the lock is held.
 */
interface Target {
  text: string;
  got?: string;
  flag?: string;
  /** Taken in a loop for each element: a later loop releasing each element's lock releases it. */
  each?: EachLoop;
}

/** `NAME = True` as the statement right after the acquire's. */
function flagAfter(stmt: Node): string | undefined {
  const next = stmt.type === 'expression_statement' ? stmt.nextNamedSibling : null;
  const asg = next?.type === 'expression_statement' ? next.namedChild(0) : null;
  const left = asg?.type === 'assignment' ? asg.childForFieldName('left') : null;
  return left?.type === 'identifier' && asg?.childForFieldName('right')?.type === 'true' ? left.text : undefined;
}

/**
 * L3: an acquire inside `with x:` after a `x.release()` in that body takes back what the `with`
 * holds (released to call out); the `with` releases it on the way out.
 */
function retakenInWith(call: Node, text: string): boolean {
  const flat = text.replace(/\s+/g, '');
  for (let n = call.parent; n && !SCOPES.has(n.type); n = n.parent) {
    if (n.type !== 'block' || n.parent?.type !== 'with_statement') continue;
    const items = descendantsOfType(n.parent, 'with_item').filter((i) => i.startIndex < n.startIndex);
    if (!items.some((i) => i.childForFieldName('value')?.text.replace(/\s+/g, '') === flat)) continue;
    const released = descendantsOfType(n, 'call').some((c) => c.endIndex <= call.startIndex
      && c.text.replace(/\s+/g, '') === `${flat}.release()`);
    if (released) return true;
  }
  return false;
}

function gotName(call: Node): string | undefined {
  const asg = call.parent;
  const left = asg?.type === 'assignment' && asg.childForFieldName('right')?.id === call.id ? asg.childForFieldName('left') : null;
  return left?.type === 'identifier' ? left.text : undefined;
}

/** The result of the check, and the offset where the lock stops being held (if known). */
export interface ReleaseInfo {
  result: ReleaseCheck;
  scopeEnd?: number;
}

/**
 * Check one `acquire()` call on the lock whose source text is `key`; `each` when it is taken in
 * a loop for each element and kept (the loop's locks are then released by a loop, not a statement).
 */
export function releaseCheck(call: Node, text: string, each?: EachLoop): ReleaseInfo {
  const info = checkOne(call, text, each);
  if (each && !info.result.released) {
    info.result = { released: false, leak: info.result.leak, leakKind: info.result.leakKind, eachLoop: loopHeader(each) };
  }
  return info;
}

/** `for a in ordered` of `for a in ordered:` (its first line, without the colon). */
function loopHeader(each: EachLoop): string {
  const body = each.loop.childForFieldName('body');
  const header = body ? each.loop.text.slice(0, body.startIndex - each.loop.startIndex) : each.loop.text;
  return header.replace(/\s*:\s*$/, '').replace(/\s+/g, ' ').trim();
}

function checkOne(call: Node, text: string, each?: EachLoop): ReleaseInfo {
  let stmt: Node | null = call.parent;
  while (stmt && !STATEMENTS.has(stmt.type) && !SCOPES.has(stmt.type)) stmt = stmt.parent;
  if (!stmt || SCOPES.has(stmt.type) || stmt.type === 'return_statement') return { result: { released: true } };
  if (retakenInWith(call, text)) return { result: { released: true }, scopeEnd: stmt.parent?.endIndex };
  const key: Target = { text, got: gotName(call), flag: flagAfter(stmt), each };
  const condition = stmt.childForFieldName('condition');
  const inCondition = !!condition && condition.startIndex <= call.startIndex && call.endIndex <= condition.endIndex;
  const negated = condition?.type === 'not_operator';
  const elseBlock = negated ? elseOf(stmt) : undefined;
  if (inCondition && (!negated || elseBlock)) {
    // `if x.acquire(...):` holds it in the body; `if not x.acquire(...): ... else:` in the else.
    const body = elseBlock ?? stmt.childForFieldName('consequence') ?? stmt.childForFieldName('body');
    if (!body) return { result: { released: true } };
    const scan = scanFrom(body.namedChildren, key, body);
    return { result: toCheck(scan, stmt), scopeEnd: body.endIndex };
  }
  const container = stmt.parent;
  const siblings = siblingsAfter(stmt);
  const scan = scanFrom(siblings, key, container);
  const sibling = stmt.type === 'expression_statement' ? siblings.find((s) => isRelease(s, key)) : undefined;
  // `got = x.acquire(timeout=1)` is released under `if got:`: a release on some path is enough.
  const conditional = call.parent?.type === 'assignment' && scan.state === 'open' && scan.partial;
  const result: ReleaseCheck = conditional ? { released: true } : toCheck(scan, stmt);
  if (!result.released && sibling) {
    // For the `with` fix: the release that closes the block in straight-line code.
    result.acquireStatement = rangeOf(stmt);
    result.releaseStatement = rangeOf(sibling);
  }
  return { result, scopeEnd: container?.endIndex };
}

function elseOf(stmt: Node): Node | undefined {
  if (stmt.type !== 'if_statement') return undefined;
  const alt = stmt.childrenForFieldName('alternative').find((a) => a?.type === 'else_clause');
  return alt?.childForFieldName('body') ?? undefined;
}

function toCheck(scan: Scan & { end?: Node }, acquireStmt: Node): ReleaseCheck {
  if (scan.state === 'released') {
    return {
      released: true,
      releaseStatement: scan.statement && rangeOf(scan.statement),
      acquireStatement: rangeOf(acquireStmt),
    };
  }
  if (scan.state === 'leak') return { released: false, leak: rangeOf(scan.at), leakKind: scan.kind };
  return { released: false, leak: scan.end ? rangeOf(scan.end) : undefined, leakKind: scan.partial ? 'branch' : 'end' };
}

function siblingsAfter(stmt: Node): Node[] {
  const out: Node[] = [];
  for (let s = stmt.nextNamedSibling; s; s = s.nextNamedSibling) out.push(s);
  return out;
}

/** Scan statements, climbing out of enclosing blocks until the function's end. */
function scanFrom(stmts: (Node | null)[], key: Target, block: Node | null): Scan & { end?: Node } {
  if (insideReleasingTry(block, key)) return { state: 'released' };
  let scan = scanBlock(stmts, key);
  let partial = scan.state === 'open' && scan.partial;
  let current = block;
  while (scan.state === 'open') {
    const owner = current?.parent;
    if (!owner || SCOPES.has(owner.type) || !current) {
      return { state: 'open', partial, end: lastStatement(current, key) };
    }
    const stmt = ownerStatement(owner);
    scan = scanBlock(siblingsAfter(stmt), key);
    partial = partial || (scan.state === 'open' && scan.partial);
    current = stmt.parent;
  }
  return scan;
}

/** The statement a block belongs to (an `else`/`elif`/`except` clause belongs to its statement). */
function ownerStatement(node: Node): Node {
  let n = node;
  while (n.parent && /_clause$/.test(n.type)) n = n.parent;
  return n;
}

/**
 * Whether a block is (within) a `try:` body, `except` or `else` whose `finally:` releases the
 * lock, in the same function: every way out of it, returns and exceptions included, releases it.
 */
function insideReleasingTry(block: Node | null, key: Target): boolean {
  for (let n = block; n && !SCOPES.has(n.type); n = n.parent) {
    if (n.type === 'finally_clause') return false;
    const parent = n.parent;
    if (parent?.type === 'try_statement' && finallyReleases(parent, key)) return true;
  }
  return false;
}

/** Whether a `try` statement's `finally:` releases the lock. */
function finallyReleases(s: Node, key: Target): boolean {
  const finBlock = finallyBlock(s);
  return !!finBlock && scanBlock(finBlock.namedChildren, key).state === 'released';
}

/**
 * The last statement run on a path that falls off a block's end with the lock held: inside the
 * last compound statement when that path goes through it (a `with` body, an `else` that keeps
 * the lock), else the compound statement itself (an `if` without `else`, a loop that runs no time).
 */
function lastStatement(block: Node | null, key: Target): Node | undefined {
  if (!block) return undefined;
  let last = lastChild(block);
  for (let depth = 0; last && depth < 20; depth++) {
    const inner = keepingBlockOf(last, key);
    const next = inner && lastChild(inner);
    if (!next) break;
    last = next;
  }
  return last ?? block;
}

function lastChild(block: Node): Node | null {
  let last = block.lastNamedChild;
  while (last && last.type === 'comment') last = last.previousNamedSibling;
  return last;
}

/** The block a path that keeps the lock runs last in a compound statement, if it ends inside one. */
function keepingBlockOf(stmt: Node, key: Target): Node | undefined {
  if (stmt.type === 'block') return stmt;
  if (stmt.type === 'with_statement') return stmt.childForFieldName('body') ?? undefined;
  if (stmt.type === 'if_statement') {
    const alts = stmt.childrenForFieldName('alternative').filter((a): a is Node => !!a);
    if (!alts.some((a) => a.type === 'else_clause')) return undefined;
    const branches = [stmt.childForFieldName('consequence'), ...alts.map((a) => a.childForFieldName('consequence') ?? a.childForFieldName('body'))];
    const keeping = branches.filter((b): b is Node => !!b && scanBlock(b.namedChildren, key).state === 'open');
    return keeping[keeping.length - 1];
  }
  if (stmt.type === 'for_statement' || stmt.type === 'while_statement') return undefined;
  if (stmt.type === 'try_statement' && !finallyBlock(stmt)) return keepingTryBlock(stmt, (b) => scanBlock(b.namedChildren, key).state === 'open');
  if (!/_statement$|_clause$/.test(stmt.type) || stmt.type === 'expression_statement') return undefined;
  const clauses = stmt.namedChildren.filter((c): c is Node => !!c && (c.type === 'block' || /_clause$/.test(c.type)));
  const last = clauses[clauses.length - 1];
  if (!last) return undefined;
  return last.type === 'block' ? last : keepingBlockOf(last, key);
}

function isRelease(stmt: Node, key: Target): boolean {
  if (key.each && releasesEach(stmt, key.each)) return true;
  if (stmt.type !== 'expression_statement') return false;
  const text = stmt.text.replace(/^await\s+/, '').replace(/\s+/g, '');
  return text === `${key.text.replace(/\s+/g, '')}.release()`;
}

function scanBlock(stmts: (Node | null)[], key: Target): Scan {
  let partial = false;
  for (const s of stmts) {
    if (!s) continue;
    if (isRelease(s, key)) return { state: 'released', statement: s };
    const r = scanStatement(s, key);
    if (r.state !== 'open') return r;
    partial = partial || r.partial;
  }
  return { state: 'open', partial };
}

function scanStatement(s: Node, key: Target): Scan {
  switch (s.type) {
    case 'return_statement': return { state: 'leak', at: s, kind: 'return' };
    case 'raise_statement': return { state: 'leak', at: s, kind: 'raise' };
    case 'try_statement': return scanTry(s, key);
    case 'if_statement': return scanIf(s, key);
    // A `with` (or `async with`) body always runs: a release in it is a release on this path.
    case 'with_statement': return scanBlock(s.childForFieldName('body')?.namedChildren ?? [], key);
    case 'for_statement': case 'while_statement': {
      const r = scanBlock(s.childForFieldName('body')?.namedChildren ?? [], key);
      if (r.state === 'leak') return r;
      return { state: 'open', partial: r.state === 'released' || (r.state === 'open' && r.partial) };
    }
    default: return { state: 'open', partial: false };
  }
}

function scanTry(s: Node, key: Target): Scan {
  if (finallyReleases(s, key)) return { state: 'released' };
  const body = s.childForFieldName('body');
  const r = scanBlock(body?.namedChildren ?? [], key);
  if (r.state !== 'open') return r;
  if (releasedAfterBody(s, (b) => scanBlock(b.namedChildren, key).state === 'released')) return { state: 'released' };
  return { state: 'open', partial: r.partial };
}

function scanIf(s: Node, key: Target): Scan {
  const branches: Node[] = [];
  const consequence = s.childForFieldName('consequence');
  // `if not got: return` after `got = x.acquire(timeout=...)`: that branch does not hold the lock.
  const notHeld = key.got !== undefined && (s.childForFieldName('condition')?.text.replace(/\s+/g, ' ') === `not ${key.got}`);
  if (consequence && !notHeld) branches.push(consequence);
  let hasElse = false;
  for (const alt of s.childrenForFieldName('alternative')) {
    if (!alt) continue;
    const block = alt.childForFieldName('consequence') ?? alt.childForFieldName('body');
    if (block) branches.push(block);
    if (alt.type === 'else_clause') hasElse = true;
  }
  const results = branches.map((b) => scanBlock(b.namedChildren, key));
  // `if got:` / `if acquired:` with no other branch: it releases whenever the lock is held.
  const condition = s.childForFieldName('condition')?.text;
  const heldTest = condition !== undefined && (condition === key.got || condition === key.flag);
  if (heldTest && branches.length === 1 && results[0].state === 'released') return results[0];
  const leak = results.find((r) => r.state === 'leak');
  if (leak) return leak;
  const released = results.filter((r) => r.state === 'released').length;
  if (hasElse && released === results.length) return { state: 'released' };
  return { state: 'open', partial: released > 0 || results.some((r) => r.state === 'open' && r.partial) };
}
