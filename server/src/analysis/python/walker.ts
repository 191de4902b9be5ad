// The Python front end: one pass of tree-sitter query captures over a file, in document
// order, turned into language-neutral facts (lock creations, acquisitions, releases, calls
// made while holding locks, thread starts). Held locks are tracked with a scope stack.

import type { Node, Query, Tree } from 'web-tree-sitter';
import {
  MODULE_FUNCTION,
  type AcquireFact, type AcquireVia, type FileFacts, type HeldFact, type ImportFact, type Ref,
} from '../events';
import { compileQuery } from './parser';
import { dottedName, isReentrant, lockKindOf, rangeOf, refOf, refText } from './refs';
import { releaseCheck } from './releaseCheck';
import { withShape } from './withShape';
import { parseImport } from './imports';
import { parseSuppression } from './suppressions';
import { lockDefsOf, type DefContext } from './lockDefs';
import { annotationRef, constructedClass, decoratorsOf, paramTypes } from './typeHints';

const QUERY_SOURCE = `
(function_definition) @fn
(class_definition) @cls
(with_statement) @with
(call) @call
(assignment) @asg
(import_statement) @import
(import_from_statement) @import
(comment) @comment
(global_statement) @global
(ERROR) @error
(lambda) @lambda
(argument_list (attribute attribute: (identifier) @release.name (#eq? @release.name "release")) @release.ref)
`;

let query: Query | undefined;

/** An open scope (function or class) while walking in document order. */
interface Scope {
  kind: 'function' | 'class';
  id: string;
  qualname: string;
  end: number;
  className?: string;
  selfName?: string;
}

/** A `with` statement whose body is being walked. */
interface OpenWith {
  functionId: string;
  bodyStart: number;
  end: number;
  held: HeldFact[];
  /** `with self.assertRaises(...)` / `pytest.raises(...)`: the body is expected to fail. */
  expectsError?: boolean;
}

/** An explicit `acquire()` still in force (until its release or the end of its block). */
interface OpenAcquire {
  key: string;
  scopeEnd: number;
  held: HeldFact;
}

/** Mutable state of one walk. */
class WalkState {
  scopes: Scope[] = [];
  withs: OpenWith[] = [];
  linear = new Map<string, OpenAcquire[]>();
  handled = new Set<number>();
  functionIds = new Set<string>();
  /** Function id → its annotated parameter types. */
  paramTypes = new Map<string, Record<string, Ref>>();
  /** End offsets of open lambdas: their bodies run later (callbacks, thread targets). */
  lambdas: number[] = [];
  groups = 0;
  imports = new Map<string, ImportFact>();
  facts: FileFacts;
  constructor(path: string) {
    this.facts = {
      path, imports: [], classes: [], functions: [], lockDefs: [], aliases: [], types: [], acquires: [], releases: [],
      calls: [], threads: [], suppressions: new Map(), globalsDeclared: new Map(), syntaxErrors: [],
      importInsertLine: 0,
    };
  }

  /** Pop scopes and withs that end before `pos`. */
  advance(pos: number): void {
    while (this.scopes.length && this.scopes[this.scopes.length - 1].end <= pos) this.scopes.pop();
    while (this.withs.length && this.withs[this.withs.length - 1].end <= pos) this.withs.pop();
    while (this.lambdas.length && this.lambdas[this.lambdas.length - 1] <= pos) this.lambdas.pop();
  }

  /** The innermost scope, if any. */
  scope(): Scope | undefined {
    return this.scopes[this.scopes.length - 1];
  }

  /** The innermost enclosing function's id, or the module pseudo-function. */
  functionId(): string {
    for (let i = this.scopes.length - 1; i >= 0; i--) if (this.scopes[i].kind === 'function') return this.scopes[i].id;
    return MODULE_FUNCTION;
  }

  /** Locks held at `pos` in the current function: enclosing `with` bodies and open acquires. */
  heldAt(pos: number): HeldFact[] {
    if (this.lambdas.length) return [];
    const fn = this.functionId();
    const held: HeldFact[] = [];
    for (const w of this.withs) if (w.functionId === fn && w.bodyStart <= pos) held.push(...w.held);
    const open = this.linear.get(fn);
    if (open) for (const a of open) if (a.scopeEnd > pos) held.push(a.held);
    return held;
  }
}

/** Extract the facts of one parsed Python file. */
export function walkPython(path: string, tree: Tree): FileFacts {
  query ??= compileQuery(QUERY_SOURCE);
  const st = new WalkState(path);
  const captures = query.captures(tree.rootNode);
  for (const c of captures) if (c.name === 'import') addImport(st, c.node);
  st.facts.importInsertLine = importInsertLine(tree.rootNode);
  for (const c of captures) {
    const node = c.node;
    st.advance(node.startIndex);
    switch (c.name) {
      case 'fn': openFunction(st, node); break;
      case 'cls': openClass(st, node); break;
      case 'with': onWith(st, node); break;
      case 'call': if (!st.handled.has(node.id)) onCall(st, node); break;
      case 'asg': onAssignment(st, node); break;
      case 'comment': onComment(st, node); break;
      case 'global': onGlobal(st, node); break;
      case 'error': st.facts.syntaxErrors.push(rangeOf(node)); break;
      case 'lambda': st.lambdas.push(node.endIndex); break;
      case 'release.ref': onReleaseReference(st, node); break;
    }
  }
  if (tree.rootNode.hasError && st.facts.syntaxErrors.length === 0) st.facts.syntaxErrors.push(rangeOf(tree.rootNode));
  return st.facts;
}

/** After the last top-level import, else after a module docstring, else the first line. */
function importInsertLine(root: Node): number {
  let line = 0;
  for (const child of root.namedChildren) {
    if (!child) continue;
    const isImport = child.type === 'import_statement' || child.type === 'import_from_statement'
      || child.type === 'future_import_statement';
    const isDocstring = child.type === 'expression_statement' && child.namedChild(0)?.type === 'string' && line === 0;
    if (isImport || isDocstring) line = child.endPosition.row + 1;
    else if (child.type !== 'comment') break;
  }
  return line;
}

function addImport(st: WalkState, node: Node): void {
  for (const imp of parseImport(node)) {
    st.facts.imports.push(imp);
    st.imports.set(imp.local, imp);
  }
}

function openFunction(st: WalkState, node: Node): void {
  const nameNode = node.childForFieldName('name');
  const name = nameNode?.text ?? '<anonymous>';
  const outer = st.scope();
  const qualname = outer ? `${outer.qualname}.${name}` : name;
  const params = paramNames(node);
  const className = outer?.kind === 'class' ? outer.qualname : undefined;
  let id = qualname;
  if (st.functionIds.has(id)) id = `${qualname}@${node.startPosition.row + 1}`;
  st.functionIds.add(id);
  const parent = outer?.kind === 'function' ? outer.id : undefined;
  const isStatic = hasDecorator(node, 'staticmethod');
  const selfName = className && !isStatic ? params[0] : outer?.selfName;
  st.facts.functions.push({
    id, qualname, name, className, parent, params, range: rangeOf(node), nameRange: rangeOf(nameNode ?? node),
    paramTypes: paramTypes(node), decorators: decoratorsOf(node), isAsync: node.child(0)?.type === 'async',
  });
  const types = st.facts.functions[st.facts.functions.length - 1].paramTypes;
  if (types) st.paramTypes.set(id, types);
  st.scopes.push({ kind: 'function', id, qualname, end: node.endIndex, className: className ?? outer?.className, selfName });
}

function hasDecorator(fn: Node, name: string): boolean {
  const parent = fn.parent;
  if (parent?.type !== 'decorated_definition') return false;
  return parent.namedChildren.some((d) => d?.type === 'decorator' && d.text.replace(/^@/, '').trim() === name);
}

function paramNames(fn: Node): string[] {
  const params = fn.childForFieldName('parameters');
  if (!params) return [];
  const names: string[] = [];
  for (const p of params.namedChildren) {
    if (!p) continue;
    const id = p.type === 'identifier' ? p : (p.childForFieldName('name') ?? p.namedChild(0));
    if (id?.type === 'identifier') names.push(id.text);
  }
  return names;
}

function openClass(st: WalkState, node: Node): void {
  const name = node.childForFieldName('name')?.text ?? '<anonymous>';
  const outer = st.scope();
  const qualname = outer ? `${outer.qualname}.${name}` : name;
  const supers = node.childForFieldName('superclasses');
  const bases: Ref[] = [];
  if (supers) for (const b of supers.namedChildren) if (b && b.type !== 'keyword_argument') bases.push(refOf(b));
  st.facts.classes.push({ qualname, name, bases, range: rangeOf(node) });
  st.scopes.push({ kind: 'class', id: qualname, qualname, end: node.endIndex, className: qualname });
}

function onComment(st: WalkState, node: Node): void {
  const codes = parseSuppression(node.text);
  if (codes) st.facts.suppressions.set(node.startPosition.row, codes);
}

function onGlobal(st: WalkState, node: Node): void {
  const fn = st.functionId();
  const set = st.facts.globalsDeclared.get(fn) ?? new Set<string>();
  for (const n of node.namedChildren) if (n?.type === 'identifier') set.add(n.text);
  st.facts.globalsDeclared.set(fn, set);
}

function onAssignment(st: WalkState, node: Node): void {
  const scope = st.scope();
  const fn = st.functionId();
  const ctx: DefContext = {
    imports: st.imports,
    scope: scope?.kind ?? 'module',
    className: scope?.className,
    selfName: scope?.selfName,
    functionId: fn,
    globals: st.facts.globalsDeclared.get(fn),
  };
  const defs = lockDefsOf(node, ctx);
  for (const d of defs) {
    st.facts.lockDefs.push(d.def);
    for (const id of d.constructorIds) st.handled.add(id);
  }
  if (defs.length === 0 && scope?.kind === 'function') recordAlias(st, node, fn);
  if (defs.length === 0) recordType(st, node, ctx);
}

/** `self.pool = pool` where the parameter `pool` is annotated: the attribute has that class. */
function paramType(st: WalkState, ctx: DefContext, right: Node | null): Ref | undefined {
  if (right?.type !== 'identifier') return undefined;
  return st.paramTypes.get(ctx.functionId)?.[right.text];
}

/** Remember which class a name or attribute holds, from a constructor call or an annotation. */
function recordType(st: WalkState, node: Node, ctx: DefContext): void {
  const left = node.childForFieldName('left');
  if (!left) return;
  const right = node.childForFieldName('right');
  const type = constructedClass(right) ?? annotationRef(node.childForFieldName('type')) ?? paramType(st, ctx, right);
  if (!type) return;
  if (left.type === 'identifier') {
    const name = left.text;
    if (ctx.scope === 'class' && ctx.className) st.facts.types.push({ owner: 'class', className: ctx.className, name, type });
    else if (ctx.scope === 'function' && !ctx.globals?.has(name)) st.facts.types.push({ owner: 'local', functionId: ctx.functionId, name, type });
    else st.facts.types.push({ owner: 'module', name, type });
  } else if (left.type === 'attribute' && ctx.className && left.childForFieldName('object')?.text === ctx.selfName) {
    const name = left.childForFieldName('attribute')?.text;
    if (name) st.facts.types.push({ owner: 'instance', className: ctx.className, name, type });
  }
}

function recordAlias(st: WalkState, node: Node, fn: string): void {
  const left = node.childForFieldName('left');
  const right = node.childForFieldName('right');
  if (left?.type !== 'identifier' || !right) return;
  if (right.type !== 'identifier' && right.type !== 'attribute' && right.type !== 'subscript') return;
  st.facts.aliases.push({ functionId: fn, name: left.text, value: refOf(right) });
}

/** Whether a callee is `lockorder.acquire` (the ordered group acquire). */
function isOrderedAcquire(st: WalkState, callee: Node): boolean {
  const dotted = dottedName(refOf(callee), st.imports);
  return dotted === 'lockorder.acquire';
}

const EXPECTS_ERROR = /^(self\.)?assertRaises|^(pytest\.)?raises\(/;

/** Whether `pos` is inside a block that expects an exception (so an acquire there may fail fast). */
function expectsError(st: WalkState, pos: number): boolean {
  const fn = st.functionId();
  return st.withs.some((w) => w.expectsError && w.functionId === fn && w.bodyStart <= pos);
}

function onWith(st: WalkState, node: Node): void {
  const clause = node.namedChildren.find((c) => c?.type === 'with_clause');
  const body = node.childForFieldName('body');
  if (!clause || !body) return;
  const isAsync = node.child(0)?.type === 'async';
  const fn = st.functionId();
  const open: OpenWith = { functionId: fn, bodyStart: body.startIndex, end: node.endIndex, held: [] };
  const items = clause.namedChildren.filter((c): c is Node => c?.type === 'with_item');
  open.expectsError = items.some((i) => EXPECTS_ERROR.test(i.text));
  items.forEach((item, index) => {
    let value = item.childForFieldName('value');
    if (value?.type === 'as_pattern') value = value.namedChild(0);
    if (!value) return;
    const before = [...st.heldAt(node.startIndex), ...open.held];
    for (const fact of withItemAcquires(st, node, value, index, isAsync, before)) {
      const acquireIndex = st.facts.acquires.push(fact) - 1;
      open.held.push({ lock: fact.lock, range: fact.range, via: fact.via, acquireIndex });
    }
  });
  st.withs.push(open);
}

/** The acquisitions one `with` item makes: a lock, an ordered group, or nothing. */
function withItemAcquires(
  st: WalkState, stmt: Node, value: Node, index: number, isAsync: boolean, held: HeldFact[],
): AcquireFact[] {
  const fn = st.functionId();
  const via: AcquireVia = isAsync ? 'async with' : 'with';
  if (value.type === 'call') {
    st.handled.add(value.id);
    const callee = value.childForFieldName('function');
    if (!callee) return [];
    if (isOrderedAcquire(st, callee)) return orderedGroup(st, value, held);
    if (lockKindOf(dottedName(refOf(callee), st.imports))) return []; // `with Lock():` orders nothing
    onCall(st, value);
    // A context manager may take a lock in `__enter__`; the linker decides.
    return [{ functionId: fn, lock: refOf(value), range: rangeOf(value), via, blocking: true, held }];
  }
  if (!['identifier', 'attribute', 'subscript', 'parenthesized_expression'].includes(value.type)) return [];
  return [{
    functionId: fn, lock: refOf(value), range: rangeOf(value), via, blocking: true, held,
    withShape: withShape(stmt, index),
  }];
}

function orderedGroup(st: WalkState, call: Node, held: HeldFact[]): AcquireFact[] {
  const args = call.childForFieldName('arguments');
  const group = ++st.groups;
  const out: AcquireFact[] = [];
  for (const a of args?.namedChildren ?? []) {
    if (!a || a.type === 'keyword_argument' || a.type === 'list_splat') continue;
    out.push({ functionId: st.functionId(), lock: refOf(a), range: rangeOf(a), via: 'ordered', blocking: true, held, group });
  }
  return out;
}

function onCall(st: WalkState, node: Node): void {
  const callee = node.childForFieldName('function');
  if (!callee) return;
  const ref = refOf(callee);
  if (ref.kind === 'attr' && (ref.attr === 'acquire' || ref.attr === 'release')) {
    const obj = callee.childForFieldName('object');
    // `create_task(lock.acquire())` hands the coroutine to someone else: this code does not wait.
    if (obj && ref.attr === 'acquire' && node.parent?.type !== 'argument_list' && !isOrderedAcquire(st, callee)) {
      return onAcquireCall(st, node, obj);
    }
    // `pool.release(conn)` is a method call, not a lock release.
    if (obj && ref.attr === 'release' && (node.childForFieldName('arguments')?.namedChildCount ?? 0) === 0) {
      onReleaseCall(st, node, obj);
    }
  }
  const { args, keywords, kwargs } = argumentsOf(node);
  st.facts.calls.push({
    functionId: st.functionId(), callee: ref, range: rangeOf(node), held: st.heldAt(node.startIndex), args, keywords, kwargs,
  });
  recordThreadStart(st, node, ref);
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
      if (value && REFERENCE_TYPES.has(value.type)) (kwargs ??= {})[name] = refOf(value);
    } else if (args.length < 8) args.push(REFERENCE_TYPES.has(type) ? refOf(a) : OTHER);
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
function isTryLock(call: Node): boolean {
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

function isFalsy(n: Node | null): boolean {
  return !!n && (n.type === 'false' || n.text === '0');
}

function onAcquireCall(st: WalkState, call: Node, obj: Node): void {
  const fn = st.functionId();
  const lock = refOf(obj);
  const blocking = !isTryLock(call) && !expectsError(st, call.startIndex);
  const check = releaseCheck(call, refText(lock));
  const fact: AcquireFact = {
    functionId: fn, lock, range: rangeOf(call), via: 'acquire', blocking, held: st.heldAt(call.startIndex),
    release: check.result,
  };
  const acquireIndex = st.facts.acquires.push(fact) - 1;
  if (!check.scopeEnd) return;
  const list = st.linear.get(fn) ?? [];
  list.push({ key: refText(lock), scopeEnd: check.scopeEnd, held: { lock, range: fact.range, via: 'acquire', acquireIndex } });
  st.linear.set(fn, list);
}

/** `call_soon(lock.release)`: the release is handed to other code to run later. */
function onReleaseReference(st: WalkState, node: Node): void {
  const obj = node.childForFieldName('object');
  if (obj) st.facts.releases.push({ functionId: st.functionId(), lock: refOf(obj), range: rangeOf(node), deferred: true });
}

function onReleaseCall(st: WalkState, call: Node, obj: Node): void {
  const fn = st.functionId();
  const lock = refOf(obj);
  st.facts.releases.push({ functionId: fn, lock, range: rangeOf(call) });
  const list = st.linear.get(fn);
  if (!list) return;
  const key = refText(lock);
  for (let i = list.length - 1; i >= 0; i--) {
    if (list[i].key === key) {
      list.splice(i, 1);
      return;
    }
  }
}

const THREAD_CTORS = new Set(['threading.Thread', 'threading.Timer', 'multiprocessing.Process']);

const START_METHODS = new Set(['submit', 'start_new_thread', 'run_in_executor']);

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
  }
  if (target?.type === 'lambda') target = target.childForFieldName('body')?.childForFieldName('function') ?? undefined;
  if (!how || !target) return;
  const nameNode = keyword('name');
  const threadName = nameNode?.type === 'string' ? nameNode.text.replace(/^[rbuf]*['"]+|['"]+$/gi, '') : undefined;
  const argsNode = keyword('args') ?? (how === 'Timer' ? positional[2] : undefined);
  const tupleArgs = last === 'start_new_thread' ? positional[1] : argsNode;
  const args = how === 'submit' && last !== 'start_new_thread' ? positional.slice(method === 'run_in_executor' ? 2 : 1).map(refOf)
    : tupleArgs && (tupleArgs.type === 'tuple' || tupleArgs.type === 'list')
      ? tupleArgs.namedChildren.filter((a): a is Node => !!a).map(refOf) : [];
  st.facts.threads.push({ target: refOf(target), threadName, how, range: rangeOf(call), args, boundTo: assignedTo(call) });
}

export { isReentrant };
