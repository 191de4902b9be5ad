// Assignments in Python code: the locks they create (see lockDefs.ts), and what they tell
// about names: aliases, the class a name or attribute holds, parameters kept in attributes,
// names bound in a sorted order, and class attributes that name classes. Each side of an
// assignment and its type are read from the tree once (every read crosses into the parser).

import type { Node } from './syntax';
import type { FunctionFact, Ref } from '../events';
import { rangeOf, refOfType, refText } from './refs';
import { dottedRef, inCleanTree } from './lexical';
import { onAllocation, type WalkState } from './walkState';
import { lockDefsOf, type DefContext } from './lockDefs';
import { sortedNames } from './sortedPairs';
import { annotationRef, builtinCallType, classOfCallee, constructorArguments, literalType } from './typeHints';

/** An assignment with its sides and their types, each read once (the rest read when first needed). */
interface Sides {
  node: Node;
  left: Node | null;
  leftType: string | undefined;
  right: Node | null;
  rightType: string | undefined;
  leftText?: string;
  /** The function called on the right (null: the right is no call, or the call has none). */
  callee?: Node | null;
  /** A left-hand attribute's object text and attribute name. */
  parts?: { object: string | undefined; attr: string | undefined };
}

/** Record what an assignment creates (locks) and tells about names. */
export function onAssignment(st: WalkState, node: Node): void {
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
  const defs = lockDefsOf(node, ctx, st.text);
  for (const d of defs) {
    st.facts.lockDefs.push(d.def);
    for (const id of d.constructorIds) st.handled.add(id);
  }
  const left = node.childForFieldName('left');
  const a: Sides = { node, left, leftType: left?.type, right, rightType };
  if (defs.length === 0 && scope?.kind === 'function') recordAlias(st, a, fn);
  if (defs.length === 0 && !scope) recordBoundMethod(st, a, fn);
  if (defs.length === 0 && scope?.kind === 'function' && ctx.className) recordParamAttr(st, a, ctx);
  if (defs.length === 0) recordType(st, a, ctx);
  if (defs.length === 0 && scope?.kind === 'class') recordClassName(st, a, scope.qualname);
  if (scope?.kind === 'function' && right && (rightType === 'call' || rightType === 'conditional_expression')) {
    recordSortedNames(st, a, right, fn);
  }
  if (scope?.kind === 'function' && left && right && a.leftType === 'identifier') noteLocal(st, fn, a);
}

/** Keep an assignment to a plain name in a function body, for the calls a `return` gives back (returnedCalls.ts). */
function noteLocal(st: WalkState, fn: string, a: Sides): void {
  let list = st.localAssignments.get(fn);
  if (!list) st.localAssignments.set(fn, (list = []));
  list.push({ node: a.node, left: a.left!, right: a.right!, rightType: a.rightType!, name: a.leftText });
}

function leftText(a: Sides): string {
  return (a.leftText ??= a.left!.text);
}

function calleeOf(a: Sides): Node | null {
  if (a.callee === undefined) a.callee = a.rightType === 'call' ? a.right!.childForFieldName('function') : null;
  return a.callee;
}

/** A left-hand attribute's object text and name, from its text when it is a plain dotted name (`self.x`). */
function attributeParts(a: Sides): { object: string | undefined; attr: string | undefined } {
  if (a.parts) return a.parts;
  const left = a.left!;
  const fast = inCleanTree(left) ? dottedRef(leftText(a)) : undefined;
  a.parts = fast?.kind === 'attr' ? { object: refText(fast.base), attr: fast.attr }
    : { object: left.childForFieldName('object')?.text, attr: left.childForFieldName('attribute')?.text };
  return a.parts;
}

/** `Process = ForkProcess` in a class body: the class attribute names another class (or anything else). */
function recordClassName(st: WalkState, a: Sides, className: string): void {
  if (a.leftType !== 'identifier' || (a.rightType !== 'identifier' && a.rightType !== 'attribute')) return;
  const classes = st.facts.classes;
  for (let i = classes.length - 1; i >= 0; i--) {
    if (classes[i].qualname !== className) continue;
    (classes[i].names ??= {})[leftText(a)] = refOfType(a.right!, a.rightType!);
    return;
  }
}

/** `first, second = sorted(...)`: remember the names on the function's fact. */
function recordSortedNames(st: WalkState, a: Sides, right: Node, fnId: string): void {
  const names = a.left && a.leftType !== 'identifier' ? sortedNames(a.left, right) : undefined;
  if (!names) return;
  const fns = st.facts.functions;
  for (let i = fns.length - 1; i >= 0; i--) {
    if (fns[i].id !== fnId) continue;
    fns[i].sortedNames = [...(fns[i].sortedNames ?? []), ...names];
    return;
  }
}

/** `self._lock = lock` with `lock` a parameter of the method: a lock wrapper may be handed its lock. */
function recordParamAttr(st: WalkState, a: Sides, ctx: DefContext): void {
  if (a.leftType !== 'attribute' || a.rightType !== 'identifier') return;
  const { object, attr } = attributeParts(a);
  if (!attr || object !== ctx.selfName) return;
  const fns = st.facts.functions;
  let fn: FunctionFact | undefined;
  for (let i = fns.length - 1; i >= 0 && !fn; i--) if (fns[i].id === ctx.functionId) fn = fns[i];
  const param = a.right!.text;
  if (fn?.params.includes(param) && fn.params[0] !== param) (fn.paramAttrs ??= {})[attr] = param;
}

/** `self.pool = pool` where the parameter `pool` is annotated: the attribute has that class. */
function paramType(st: WalkState, ctx: DefContext, a: Sides): Ref | undefined {
  if (a.rightType !== 'identifier') return undefined;
  return st.paramTypes.get(ctx.functionId)?.[a.right!.text];
}

/** Remember which class a name or attribute holds, from a constructor call or an annotation. */
function recordType(st: WalkState, a: Sides, ctx: DefContext): void {
  const { left, right } = a;
  if (!left) return;
  const built = classOfCallee(calleeOf(a));
  const declared = built ?? annotationRef(a.node.childForFieldName('type')) ?? paramType(st, ctx, a);
  const type = declared ?? literalType(a.rightType) ?? builtinCallType(calleeOf(a), (name) => {
    const imp = st.imports.get(name);
    return !!imp && imp.name === undefined;
  });
  if (!type) return;
  const plain = declared ? {} : { plain: true };
  const range = built && right ? rangeOf(right) : undefined;
  const call = built && right ? constructorArguments(right) : {};
  if (a.leftType === 'identifier') {
    const name = leftText(a);
    if (ctx.scope === 'class' && ctx.className) st.facts.types.push({ owner: 'class', className: ctx.className, name, type, range, ...call, ...plain });
    else if (ctx.scope === 'function' && !ctx.globals?.has(name)) st.facts.types.push({ owner: 'local', functionId: ctx.functionId, name, type, range, ...plain });
    else st.facts.types.push({ owner: 'module', name, type, range, ...call, ...plain });
  } else if (a.leftType === 'attribute' && ctx.className && attributeParts(a).object === ctx.selfName) {
    const name = attributeParts(a).attr;
    if (name) st.facts.types.push({ owner: 'instance', className: ctx.className, functionId: ctx.functionId, name, type, range, ...call, ...plain });
  }
}

const LOCKISH_NAME = /lock|mutex|cond|sem|guard/i;

/** A module-level `name = obj.method` (multiprocessing's `ensure_running = _resource_tracker.ensure_running`). */
function recordBoundMethod(st: WalkState, a: Sides, fn: string): void {
  if (a.leftType !== 'identifier' || a.rightType !== 'attribute' || a.right!.childForFieldName('object')?.type !== 'identifier') return;
  st.facts.aliases.push({ functionId: fn, name: leftText(a), value: refOfType(a.right!, a.rightType!) });
}

const ALIASED_TYPES = new Set(['identifier', 'attribute', 'subscript']);

/**
 * `x = y` (a name, attribute or subscript) in a function. Also `lk = self._get_lock()`: a local
 * bound to a call may be a lock from an accessor; only calls whose name or local says so are
 * kept (every `x = f(...)` would cost memory for nothing).
 */
function recordAlias(st: WalkState, a: Sides, fn: string): void {
  if (a.leftType !== 'identifier' || !a.right) return;
  if (!ALIASED_TYPES.has(a.rightType!)) {
    if (a.rightType !== 'call') return;
    const callee = calleeOf(a);
    if (!LOCKISH_NAME.test(leftText(a)) && !(callee && LOCKISH_NAME.test(callee.text))) return;
  }
  st.facts.aliases.push({ functionId: fn, name: leftText(a), value: refOfType(a.right, a.rightType!) });
}
