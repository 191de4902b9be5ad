// The Python front end: one pass of tree-sitter query captures over a file, in document
// order, turned into language-neutral facts (lock creations, acquisitions, releases, calls
// made while holding locks, thread starts). Held locks are tracked with a scope stack.

import type { Node, Query, QueryCapture, Tree } from './syntax';
import type { FileFacts, FunctionFact, Ref } from '../events';
import { compileQuery } from './parser';
import { rangeOf, refOf } from './refs';
import { WalkState } from './walkState';
import type { GuessedReads } from '../frontEnd';
import { mayRead } from '../propertyReads';
import { onWith } from './withItems';
import { onCall, onReleaseReference } from './calls';
import { parseImport } from './imports';
import { maySuppress, parseSuppression } from './suppressions';
import { onReturn } from './returns';
import { currentFunction, onCleanupClause, onFor, onYield } from './generators';
import { onReturnedCalls } from './returnedCalls';
import { onElementCall, onForElements } from './elements';
import { mergeCaptures, onPropertyRead, propertyCaptures, propertyNames } from './properties';
import { lockDefsOf, type DefContext } from './lockDefs';
import { sortedNames } from './sortedPairs';
import { onGuard } from './guards';
import { annotationRef, builtinValueType, constructedClass, constructorArguments, decoratorsOf, paramTypes } from './typeHints';

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
(list) @alloc
(dictionary) @alloc
(set) @alloc
(list_comprehension) @alloc
(dictionary_comprehension) @alloc
(set_comprehension) @alloc
(delete_statement) @alloc
(return_statement) @return
(yield) @yield
(for_statement) @for
(finally_clause) @cleanup
(except_clause) @cleanup
(if_statement condition: (identifier)) @guard
(if_statement condition: (not_operator argument: (identifier))) @guard
(if_statement condition: (call function: (attribute attribute: (identifier) @_try (#eq? @_try "acquire")))) @guard
(argument_list (attribute attribute: (identifier) @release.name (#eq? @release.name "release")) @release.ref)
`;

let query: Query | undefined;
/** The query without its comments, for files with no suppression comment (most): a tenth fewer captures. */
let uncommentedQuery: Query | undefined;

/**
 * The captures of the walker's query within a node (the whole file, or one top-level statement);
 * `comments: false` leaves out comments, for a file that has no suppression comment.
 */
export function capturesOf(node: Node, comments = true): QueryCapture[] {
  if (!comments) {
    uncommentedQuery ??= compileQuery(QUERY_SOURCE.replace('(comment) @comment\n', ''));
    return uncommentedQuery.captures(node);
  }
  query ??= compileQuery(QUERY_SOURCE);
  return query.captures(node);
}

/**
 * Extract the facts of one parsed Python file (`text` is its source, when the caller has it
 * at hand; `properties` are lock-taking properties of other files whose reads count).
 */
export function walkPython(path: string, tree: Tree, text = tree.rootNode.text, properties?: ReadonlySet<string>): FileFacts {
  const st = new WalkState(path);
  walkWhole(st, tree, text, propertyNames(text, properties));
  return st.facts;
}

/**
 * `walkPython`, also looking out for reads of `guesses` (names of other files' properties that
 * may take a lock): they are kept apart from the facts, so that facts with any reads among
 * `guessed.names` are these facts plus the guessed reads of those names, without a second walk.
 */
export function walkPythonGuessing(path: string, tree: Tree, text: string, properties: ReadonlySet<string> | undefined,
  guesses: readonly string[]): { facts: FileFacts; guessed: GuessedReads } {
  const st = new WalkState(path);
  const names = propertyNames(text, properties);
  const extra = guesses.filter((n) => !names.has(n) && mayRead(text, n));
  const all = extra.length ? new Set([...names, ...extra]) : names;
  if (extra.length) st.guessed = new Set(extra);
  walkWhole(st, tree, text, all);
  return { facts: st.facts, guessed: { names: [...all], reads: st.guessedReads } };
}

/** Walk a whole file, recording reads of the property names `properties`. */
function walkWhole(st: WalkState, tree: Tree, text: string, properties: ReadonlySet<string>): void {
  const captures = mergeCaptures(capturesOf(tree.rootNode, maySuppress(text)), propertyCaptures(tree.rootNode, properties));
  for (const c of captures) if (c.name === 'import') addImport(st, c.node);
  st.facts.importInsertLine = importInsertLine(tree.rootNode);
  walkCaptures(st, captures);
  finishWalk(st, tree);
}

/** Turn captures, in document order, into facts of the walk state (imports already known). */
export function walkCaptures(st: WalkState, captures: QueryCapture[]): void {
  for (const c of captures) {
    const node = c.node;
    st.advance(node.startIndex);
    switch (c.name) {
      case 'fn': openFunction(st, node); break;
      case 'cls': openClass(st, node); break;
      case 'with': onWith(st, node); break;
      case 'call': if (!st.handled.has(node.id)) onCall(st, node); onElementCall(st, node); break;
      case 'asg': onAssignment(st, node); break;
      case 'comment': onComment(st, node); break;
      case 'global': onGlobal(st, node); break;
      case 'error': st.facts.syntaxErrors.push(rangeOf(node)); break;
      case 'lambda': st.lambdas.push(node.endIndex); break;
      case 'alloc': onAllocation(st, node); break;
      case 'return': onReturn(st, node); onReturnedCalls(st, node, currentFunction(st)); break;
      case 'yield': onYield(st, node); break;
      case 'for': onFor(st, node); onForElements(st, node); break;
      case 'cleanup': onCleanupClause(st, node); break;
      case 'release.ref': onReleaseReference(st, node); break;
      case 'prop': onPropertyRead(st, node); break;
      case 'guard': onGuard(st, node); break;
    }
  }
}

/**
 * A container built, or a reference dropped, while locks are held: a garbage collection may start,
 * or the last reference to an object with a finalizer go, in their regions.
 */
function onAllocation(st: WalkState, node: Node): void {
  if (st.withs.length === 0 && st.linear.size === 0) return;
  for (const h of st.heldAt(node.startIndex)) {
    const a = st.facts.acquires[h.acquireIndex];
    if (a) a.mayCollect = true;
  }
}

/** A file the parser could not fully make sense of gets at least one syntax-error range. */
export function finishWalk(st: WalkState, tree: Tree): void {
  if (tree.rootNode.hasError && st.facts.syntaxErrors.length === 0) st.facts.syntaxErrors.push(rangeOf(tree.rootNode));
}

/** After the last top-level import, else after a module docstring, else the first line. */
export function importInsertLine(root: Node): number {
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

/** Record an import statement's names. */
export function addImport(st: WalkState, node: Node): void {
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
  st.functionNodes.set(id, node);
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
  const right = node.childForFieldName('right');
  const rightType = right?.type;
  if (rightType === 'none') onAllocation(st, node);
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
  if (defs.length === 0 && !scope) recordBoundMethod(st, node, fn);
  if (defs.length === 0 && scope?.kind === 'function' && ctx.className) recordParamAttr(st, node, ctx);
  if (defs.length === 0) recordType(st, node, ctx);
  if (defs.length === 0 && scope?.kind === 'class') recordClassName(st, node, scope.qualname);
  if (scope?.kind === 'function' && right && (rightType === 'call' || rightType === 'conditional_expression')) {
    recordSortedNames(st, node, right, fn);
  }
}

/** `Process = ForkProcess` in a class body: the class attribute names another class (or anything else). */
function recordClassName(st: WalkState, node: Node, className: string): void {
  const left = node.childForFieldName('left');
  const right = node.childForFieldName('right');
  if (left?.type !== 'identifier' || (right?.type !== 'identifier' && right?.type !== 'attribute')) return;
  const classes = st.facts.classes;
  for (let i = classes.length - 1; i >= 0; i--) {
    if (classes[i].qualname !== className) continue;
    (classes[i].names ??= {})[left.text] = refOf(right);
    return;
  }
}

/** `first, second = sorted(...)`: remember the names on the function's fact. */
function recordSortedNames(st: WalkState, node: Node, right: Node, fnId: string): void {
  const left = node.childForFieldName('left');
  const names = left && left.type !== 'identifier' ? sortedNames(left, right) : undefined;
  if (!names) return;
  const fns = st.facts.functions;
  for (let i = fns.length - 1; i >= 0; i--) {
    if (fns[i].id !== fnId) continue;
    fns[i].sortedNames = [...(fns[i].sortedNames ?? []), ...names];
    return;
  }
}

/** `self._lock = lock` with `lock` a parameter of the method: a lock wrapper may be handed its lock. */
function recordParamAttr(st: WalkState, node: Node, ctx: DefContext): void {
  const left = node.childForFieldName('left');
  const right = node.childForFieldName('right');
  if (left?.type !== 'attribute' || right?.type !== 'identifier') return;
  const attr = left.childForFieldName('attribute')?.text;
  if (!attr || left.childForFieldName('object')?.text !== ctx.selfName) return;
  const fns = st.facts.functions;
  let fn: FunctionFact | undefined;
  for (let i = fns.length - 1; i >= 0 && !fn; i--) if (fns[i].id === ctx.functionId) fn = fns[i];
  if (fn?.params.includes(right.text) && fn.params[0] !== right.text) (fn.paramAttrs ??= {})[attr] = right.text;
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
  const built = constructedClass(right);
  const declared = built ?? annotationRef(node.childForFieldName('type')) ?? paramType(st, ctx, right);
  const type = declared ?? builtinValueType(right, (name) => { const imp = st.imports.get(name); return !!imp && imp.name === undefined; });
  if (!type) return;
  const plain = declared ? {} : { plain: true };
  const range = built && right ? rangeOf(right) : undefined;
  const call = built && right ? constructorArguments(right) : {};
  if (left.type === 'identifier') {
    const name = left.text;
    if (ctx.scope === 'class' && ctx.className) st.facts.types.push({ owner: 'class', className: ctx.className, name, type, range, ...call, ...plain });
    else if (ctx.scope === 'function' && !ctx.globals?.has(name)) st.facts.types.push({ owner: 'local', functionId: ctx.functionId, name, type, range, ...plain });
    else st.facts.types.push({ owner: 'module', name, type, range, ...call, ...plain });
  } else if (left.type === 'attribute' && ctx.className && left.childForFieldName('object')?.text === ctx.selfName) {
    const name = left.childForFieldName('attribute')?.text;
    if (name) st.facts.types.push({ owner: 'instance', className: ctx.className, functionId: ctx.functionId, name, type, range, ...call, ...plain });
  }
}

/**
 * `lk = self._get_lock()`: a local bound to a call may be a lock from an accessor. Only calls
 * whose name or local says so are kept (every `x = f(...)` would cost memory for nothing).
 */
function isLockishCall(left: Node, right: Node): boolean {
  if (right.type !== 'call') return false;
  const callee = right.childForFieldName('function');
  return LOCKISH_NAME.test(left.text) || (!!callee && LOCKISH_NAME.test(callee.text));
}

const LOCKISH_NAME = /lock|mutex|cond|sem|guard/i;

/** A module-level `name = obj.method` (multiprocessing's `ensure_running = _resource_tracker.ensure_running`). */
function recordBoundMethod(st: WalkState, node: Node, fn: string): void {
  const left = node.childForFieldName('left');
  const right = node.childForFieldName('right');
  if (left?.type !== 'identifier' || right?.type !== 'attribute' || right.childForFieldName('object')?.type !== 'identifier') return;
  st.facts.aliases.push({ functionId: fn, name: left.text, value: refOf(right) });
}

function recordAlias(st: WalkState, node: Node, fn: string): void {
  const left = node.childForFieldName('left');
  const right = node.childForFieldName('right');
  if (left?.type !== 'identifier' || !right) return;
  if (!['identifier', 'attribute', 'subscript'].includes(right.type) && !isLockishCall(left, right)) return;
  st.facts.aliases.push({ functionId: fn, name: left.text, value: refOf(right) });
}
