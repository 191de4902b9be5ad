// The calls whose result a function may return: `return f(...)`, or `return x` where `x = f(...)`
// reaches the `return` (no later assignment to `x` that runs on every path to it). A loop over a
// call of a plain function that returns a generator iterates that generator (FN3: pyroute2's
// `link('dump')` returns the generator `nlm_request(...)` makes, which holds the socket's lock).

import type { Node } from './syntax';
import type { FunctionFact } from '../events';
import { rangeOf } from './refs';
import type { LocalAssignment, WalkState } from './walkState';
import { inCleanTree } from './lexical';

/** Record the calls a `return` statement may give back in its function's `returnsCalls` (`value`: its first named child, of `type`). */
export function onReturnedCalls(st: WalkState, node: Node, value: Node | null, type: string | undefined, fn: FunctionFact | undefined): void {
  if (!fn || st.lambdas.length || !value) return;
  const calls = type === 'call' ? [value] : type === 'identifier' ? assignedCalls(st, node, value.text) : [];
  for (const c of calls) (fn.returnsCalls ??= []).push(rangeOf(c));
}

/** Per walk, per function node and local name, the assignments to it in the function (read once). */
const assignmentsOf = new WeakMap<WalkState, Map<string, Node[]>>();

/** The calls assigned to local `name` before `ret` that may still be its value there. */
function assignedCalls(st: WalkState, ret: Node, name: string): Node[] {
  if (inCleanTree(ret)) return assignedCallsSoFar(st, ret, name);
  const fn = enclosingFunction(ret);
  if (!fn) return [];
  let byKey = assignmentsOf.get(st);
  if (!byKey) assignmentsOf.set(st, (byKey = new Map()));
  const key = `${fn.id}:${name}`;
  let all = byKey.get(key);
  if (!all) byKey.set(key, (all = collectAssignments(fn.childForFieldName('body'), name, fn.endIndex, [])));
  const assigned = all.filter((a) => a.startIndex < ret.startIndex);
  let from = 0;
  assigned.forEach((a, i) => { if (dominates(a, ret)) from = i; });
  return assigned.slice(from).map((a) => a.childForFieldName('right')!).filter((r) => r.type === 'call');
}

/**
 * `assignedCalls` from the assignments the walk met so far in the function (the walk is in
 * document order, so those are the ones before `ret`). In a tree without syntax errors these
 * are what `collectAssignments` finds, without reading the function's nodes again: assignments
 * are statements, so none sits in a lambda, and one sits in another only as its value
 * (`x = y = f()`), where `collectAssignments` does not look into an assignment to `name`.
 */
function assignedCallsSoFar(st: WalkState, ret: Node, name: string): Node[] {
  const all = st.localAssignments.get(st.functionId());
  if (!all) return [];
  const assigned: LocalAssignment[] = [];
  let end = -1;
  for (const a of all) {
    if (a.node.startIndex >= ret.startIndex || (a.name ??= a.left.text) !== name) continue;
    if (a.node.startIndex < end) continue;
    assigned.push(a);
    end = a.node.endIndex;
  }
  let from = 0;
  assigned.forEach((a, i) => { if (dominates(a.node, ret)) from = i; });
  return assigned.slice(from).filter((a) => a.rightType === 'call').map((a) => a.right);
}

/** Assignments `name = ...` in `node` before `limit`, in order, not inside nested functions, lambdas or classes. */
function collectAssignments(node: Node | null, name: string, limit: number, out: Node[]): Node[] {
  if (!node || node.startIndex >= limit) return out;
  if (node.type === 'function_definition' || node.type === 'lambda' || node.type === 'class_definition') return out;
  if (node.type === 'assignment' && node.childForFieldName('left')?.type === 'identifier'
    && node.childForFieldName('left')?.text === name && node.childForFieldName('right')) {
    out.push(node);
    return out;
  }
  for (const child of node.namedChildren) collectAssignments(child, name, limit, out);
  return out;
}

/** Whether the statement of assignment `a` runs on every path to `ret`: its block also holds `ret`. */
function dominates(a: Node, ret: Node): boolean {
  const statement = a.parent?.type === 'expression_statement' ? a.parent : undefined;
  const block = statement?.parent;
  if (!block || (block.type !== 'block' && block.type !== 'module')) return false;
  for (let p = ret.parent; p; p = p.parent) {
    if (p.id === block.id) return true;
    if (p.type === 'function_definition') return false;
  }
  return false;
}

function enclosingFunction(node: Node): Node | undefined {
  for (let p = node.parent; p; p = p.parent) if (p.type === 'function_definition') return p;
  return undefined;
}
