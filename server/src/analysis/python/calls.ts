// Calls in Python code: lock `acquire()`/`release()` calls (with their release check),
// ordinary calls with their arguments (for summaries and parameter binding), and thread starts.

import type { Node } from './syntax';
import type { AcquireFact, CallFact, Ref } from '../events';
import { dottedName, rangeOf, rangeOfText, refOf, refOfType, refText } from './refs';
import { releaseCheck } from './releaseCheck';
import { eachLoopOf } from './eachIteration';
import { inReleasingLoop } from './eachRelease';
import { argumentsAt, dottedCallee, dottedRef, inCleanTree, lexicalArguments } from './lexical';
import { expectsError, isOrderedAcquire, type WalkState } from './walkState';
import { isExecutorLike, partialCall } from './taskTargets';
import { withLambdaTargets } from './lambdaArgs';
import { noteConfinedLocal } from './confinedLocals';

/** Record a call (and what it does to locks and threads); returns its callee's ref (null: no callee). */
export function onCall(st: WalkState, node: Node): Ref | null {
  // Read from the text when the tree is clean: a dotted callee and the arguments after it
  // without a node read, else the callee node and its text.
  const clean = inCleanTree(node);
  const text = clean ? node.text : '';
  const dotted = clean ? dottedCallee(text) : undefined;
  let callee = dotted ? undefined : node.childForFieldName('function');
  if (callee === null) return null;
  const calleeNode = (): Node => (callee ??= node.childForFieldName('function')!);
  let ref: Ref;
  let argsText: string | undefined;
  if (dotted) {
    ref = dotted.ref;
  } else {
    const calleeText = clean ? calleeNode().text : '';
    ref = (clean && dottedRef(calleeText)) || refOf(calleeNode());
    argsText = clean && calleeNode().startIndex === node.startIndex ? text.slice(calleeText.length).trimStart() : undefined;
  }
  if (ref.kind === 'attr' && (ref.attr === 'acquire' || ref.attr === 'release')) {
    const obj = calleeNode().childForFieldName('object');
    // `create_task(lock.acquire())` hands the coroutine to someone else: this code does not wait.
    if (obj && ref.attr === 'acquire' && node.parent?.type !== 'argument_list' && !isOrderedAcquire(st, calleeNode())) {
      onAcquireCall(st, node, obj);
      return ref;
    }
    // `pool.release(conn)` is a method call, not a lock release.
    if (obj && ref.attr === 'release' && (node.childForFieldName('arguments')?.namedChildCount ?? 0) === 0) {
      onReleaseCall(st, node, obj);
    }
  }
  const lexical = dotted ? argumentsAt(text, dotted.open, dotted.commas, OTHER, NO_ARGS)
    : argsText !== undefined ? lexicalArguments(argsText, OTHER, NO_ARGS) : undefined;
  const { args, keywords, kwargs } = lexical ?? argumentsOf(node);
  const held = st.heldAt(node.startIndex);
  const fact: CallFact = {
    functionId: st.functionId(), callee: ref, range: clean ? rangeOfText(node, text) : rangeOf(node), held, args: withLambdaTargets(node, ref, args), keywords, kwargs,
  };
  if (ref.kind === 'attr' && ref.attr === 'get' && held.length && args.length === 0 && emptyChecked(node, refText(ref.base))) fact.nonEmpty = true;
  const scope = st.scope();
  if (ref.kind === 'attr' && ref.base.kind === 'name' && scope?.kind === 'function' && ref.base.name === scope.selfName) fact.onSelf = true;
  if (isFork(st, ref)) fact.forks = true;
  st.facts.calls.push(fact);
  recordThreadStart(st, node, ref);
  recordForkHook(st, node, ref);
  return ref;
}

const FORKS = new Set(['os.fork', 'os.forkpty', 'posix.fork', 'posix.forkpty']);

/** `os.fork()`, `os.forkpty()` (also `from os import fork`). */
function isFork(st: WalkState, ref: Ref): boolean {
  const last = ref.kind === 'attr' ? ref.attr : ref.kind === 'name' ? ref.name : '';
  return (last === 'fork' || last === 'forkpty') && FORKS.has(dottedName(ref, st.imports) ?? '');
}

/** `os.register_at_fork(before=hook, ...)`: the hook runs at every `os.fork()` of the program. */
function recordForkHook(st: WalkState, call: Node, ref: Ref): void {
  if ((ref.kind === 'attr' ? ref.attr : ref.kind === 'name' ? ref.name : '') !== 'register_at_fork') return;
  if (!['os.register_at_fork', 'posix.register_at_fork'].includes(dottedName(ref, st.imports) ?? '')) return;
  const keyword = (name: string) => call.childForFieldName('arguments')?.namedChildren.find(
    (a) => a?.type === 'keyword_argument' && a.childForFieldName('name')?.text === name,
  )?.childForFieldName('value');
  const before = keyword('before');
  if (!before || !REFERENCE_TYPES.has(before.type)) return;
  const after = ['after_in_parent', 'after_in_child'].map(keyword).filter((a): a is Node => !!a && REFERENCE_TYPES.has(a.type)).map(refOf);
  (st.facts.forkHooks ??= []).push({ functionId: st.functionId(), before: refOf(before), ...(after.length ? { after } : {}), range: rangeOf(call) });
}

/**
 * Whether a `q.get()` runs only after the code checked that `q` has an item: inside
 * `while not q.empty():`/`if not q.empty():` (or `q.qsize()`), in the same function.
 */
function emptyChecked(call: Node, receiver: string): boolean {
  const q = receiver.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const guard = new RegExp(`^(not\\s+${q}\\.empty\\(\\)|${q}\\.qsize\\(\\)(\\s*(>|!=)\\s*0)?)$`);
  for (let n: Node | null = call.parent; n && n.type !== 'function_definition' && n.type !== 'lambda'; n = n.parent) {
    if (n.type !== 'while_statement' && n.type !== 'if_statement') continue;
    const cond = n.childForFieldName('condition');
    if (cond && !(cond.startIndex <= call.startIndex && call.endIndex <= cond.endIndex) && guard.test(cond.text.trim())) return true;
  }
  return false;
}

const NO_ARGS: Ref[] = [];
const OTHER: Ref = { kind: 'other', text: '' };
const REFERENCE_TYPES = new Set(['identifier', 'attribute', 'subscript']);

/** Positional argument refs (up to eight) and keyword names of a call. */
function argumentsOf(call: Node): { args: Ref[]; keywords?: string[]; kwargs?: Record<string, Ref> } {
  const list = call.childForFieldName('arguments');
  if (!list || list.namedChildCount === 0) return { args: NO_ARGS };
  const args: Ref[] = [];
  let keywords: string[] | undefined;
  let kwargs: Record<string, Ref> | undefined;
  for (const a of list.namedChildren) {
    if (!a) continue;
    const type = a.type;
    if (type === 'keyword_argument') {
      const name = a.childForFieldName('name')?.text ?? '';
      (keywords ??= []).push(name);
      const value = a.childForFieldName('value');
      const valueType = value?.type;
      if (value && REFERENCE_TYPES.has(valueType!)) (kwargs ??= {})[name] = refOfType(value, valueType!);
    } else if (args.length < 8) args.push(REFERENCE_TYPES.has(type) ? refOfType(a, type) : OTHER);
  }
  return { args, keywords, kwargs };
}

/** The source text of the target a call's result is assigned to, if any. */
function assignedTo(call: Node): string | undefined {
  const parent = call.parent;
  if (parent?.type !== 'assignment' || parent.childForFieldName('right')?.id !== call.id) return undefined;
  const left = parent.childForFieldName('left');
  return left && (left.type === 'identifier' || left.type === 'attribute') ? left.text : undefined;
}

/** `blocking=False`, `acquire(False)` or `acquire(0)`: a try-lock, which cannot wait. */
export function isTryLock(call: Node): boolean {
  const args = call.childForFieldName('arguments');
  if (!args) return false;
  for (const a of args.namedChildren) {
    if (!a) continue;
    if (a.type === 'keyword_argument') {
      if (a.childForFieldName('name')?.text === 'blocking') return isFalsy(a.childForFieldName('value'));
      continue;
    }
    return isFalsy(a);
  }
  return false;
}

/**
 * `if x.acquire(timeout=...):` or `while not x.acquire(True, 5):`: a timed acquire whose failure
 * the code handles. It gives up instead of waiting forever, so it cannot deadlock.
 */
function isCheckedTimeout(call: Node): boolean {
  const args = call.childForFieldName('arguments')?.namedChildren ?? [];
  const timed = args.some((a, i) => a?.type === 'keyword_argument' ? a.childForFieldName('name')?.text === 'timeout' && !isNegativeOne(a.childForFieldName('value')) : i === 1 && !isNegativeOne(a));
  if (!timed) return false;
  let n: Node = call;
  while (n.parent && (n.parent.type === 'not_operator' || n.parent.type === 'parenthesized_expression')) n = n.parent;
  const stmt = n.parent;
  if (stmt && (stmt.type === 'if_statement' || stmt.type === 'while_statement' || stmt.type === 'elif_clause')) {
    return stmt.childForFieldName('condition')?.id === n.id;
  }
  return testedLater(call);
}

/** `got = x.acquire(timeout=1)` followed (within two statements) by an `if`/`while` on `got`. */
function testedLater(call: Node): boolean {
  const asg = call.parent;
  const left = asg?.type === 'assignment' && asg.childForFieldName('right')?.id === call.id ? asg.childForFieldName('left') : null;
  if (left?.type !== 'identifier' || asg?.parent?.type !== 'expression_statement') return false;
  const name = new RegExp(`\\b${left.text}\\b`);
  let next = asg.parent.nextNamedSibling;
  for (let i = 0; next && i < 3; i++, next = next.nextNamedSibling) {
    if (next.type !== 'if_statement' && next.type !== 'while_statement') continue;
    return name.test(next.childForFieldName('condition')?.text ?? '');
  }
  return false;
}

function isNegativeOne(n: Node | null): boolean {
  return !!n && n.text.replace(/\s/g, '') === '-1';
}

function isFalsy(n: Node | null): boolean {
  return !!n && (n.type === 'false' || n.text === '0');
}

function onAcquireCall(st: WalkState, call: Node, obj: Node): void {
  const fn = st.functionId();
  const lock = refOf(obj);
  const blocking = !isTryLock(call) && !expectsError(st, call.startIndex) && !isCheckedTimeout(call);
  const each = eachLoopOf(call, refText(lock));
  const check = releaseCheck(call, refText(lock), each);
  const fact: AcquireFact = {
    functionId: fn, lock, range: rangeOf(call), via: 'acquire', blocking, held: st.heldAt(call.startIndex),
    release: check.result,
  };
  if (blocking && each) fact.eachIteration = true;
  const acquireIndex = st.facts.acquires.push(fact) - 1;
  noteConfinedLocal(st, fact);
  // Locks a loop takes for each element, released by a later loop, are held from the one to the other.
  const kept = each && check.result.released ? each : undefined;
  const scopeEnd = kept ? kept.loop.parent?.endIndex : check.scopeEnd;
  if (!scopeEnd) return;
  const list = st.linear.get(fn) ?? [];
  list.push({ key: refText(lock), scopeEnd, held: { lock, range: fact.range, via: 'acquire', acquireIndex }, each: kept });
  st.linear.set(fn, list);
}

/** `call_soon(lock.release)`: the release is handed to other code to run later. */
export function onReleaseReference(st: WalkState, node: Node): void {
  const obj = node.childForFieldName('object');
  if (obj) st.facts.releases.push({ functionId: st.functionId(), lock: refOf(obj), range: rangeOf(node), deferred: true });
}

function onReleaseCall(st: WalkState, call: Node, obj: Node): void {
  const fn = st.functionId();
  const lock = refOf(obj);
  st.facts.releases.push({ functionId: fn, lock, range: rangeOf(call) });
  const key = refText(lock);
  const list = st.linear.get(fn) ?? [];
  for (let i = list.length - 1; i >= 0; i--) {
    const each = list[i].each;
    if (list[i].key === key || (each && inReleasingLoop(call, each))) {
      list.splice(i, 1);
      return;
    }
  }
  releaseWithHold(st, fn, key, call.startIndex);
}

/**
 * `with lock: ... lock.release()`: released by hand inside the `with` (to call out, then taken
 * back with `acquire()`, which holds it again on its own): the `with` no longer holds it after.
 */
function releaseWithHold(st: WalkState, fn: string, key: string, pos: number): void {
  for (let i = st.withs.length - 1; i >= 0; i--) {
    const w = st.withs[i];
    if (w.functionId !== fn || w.bodyStart > pos) continue;
    const h = w.held.find((x) => refText(x.lock) === key && !w.released?.has(x.acquireIndex));
    if (h) {
      (w.released ??= new Set()).add(h.acquireIndex);
      return;
    }
  }
}

const THREAD_CTORS = new Set(['threading.Thread', 'threading.Timer', 'multiprocessing.Process']);

const START_METHODS = new Set(['submit', 'start_new_thread', 'run_in_executor', 'map']);

function recordThreadStart(st: WalkState, call: Node, callee: Ref): void {
  const method = callee.kind === 'attr' ? callee.attr : undefined;
  const last = method ?? (callee.kind === 'name' ? callee.name : '');
  if (!START_METHODS.has(last) && last !== 'Thread' && last !== 'Timer' && last !== 'Process'
    && !st.imports.has(last)) return;
  const dotted = dottedName(callee, st.imports);
  const argList = call.childForFieldName('arguments');
  if (!argList) return;
  const positional = argList.namedChildren.filter((a): a is Node => !!a && a.type !== 'keyword_argument');
  const keyword = (name: string) => argList.namedChildren.find(
    (a) => a?.type === 'keyword_argument' && a.childForFieldName('name')?.text === name,
  )?.childForFieldName('value') ?? undefined;
  let target: Node | undefined;
  let how: 'Thread' | 'Timer' | 'submit' | undefined;
  if (dotted && THREAD_CTORS.has(dotted)) {
    how = dotted.endsWith('Timer') ? 'Timer' : 'Thread';
    target = keyword(how === 'Timer' ? 'function' : 'target') ?? (how === 'Timer' ? positional[1] : undefined);
  } else if (method === 'submit' || method === 'start_new_thread' || dotted === '_thread.start_new_thread') {
    how = 'submit';
    target = positional[0];
  } else if (method === 'run_in_executor') {
    how = 'submit';
    target = positional[1];
  } else if (method === 'map' && isExecutorLike(callee)) {
    how = 'submit';
    target = positional[0];
  }
  if (target?.type === 'lambda') target = target.childForFieldName('body')?.childForFieldName('function') ?? undefined;
  const partial = target && partialCall(st, target);
  if (partial) target = partial.fn;
  if (!how || !target) return;
  const nameNode = keyword('name');
  const threadName = nameNode?.type === 'string' ? nameNode.text.replace(/^[rbuf]*['"]+|['"]+$/gi, '') : undefined;
  const argsNode = keyword('args') ?? (how === 'Timer' ? positional[2] : undefined);
  const tupleArgs = last === 'start_new_thread' ? positional[1] : argsNode;
  const args = how === 'submit' && last !== 'start_new_thread' ? positional.slice(method === 'run_in_executor' ? 2 : 1).map(refOf)
    : tupleArgs && (tupleArgs.type === 'tuple' || tupleArgs.type === 'list')
      ? tupleArgs.namedChildren.filter((a): a is Node => !!a).map(refOf) : [];
  const process = dotted === 'multiprocessing.Process' ? { process: true } : {};
  const bound = partial ? [...partial.args, ...(method === 'map' ? [] : args)] : method === 'map' ? [] : args;
  st.facts.threads.push({ target: refOf(target), threadName, how, range: rangeOf(call), args: bound, boundTo: assignedTo(call), ...process });
}
