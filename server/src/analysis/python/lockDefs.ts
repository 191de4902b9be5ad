// Recognises lock creations in assignments: `x = threading.Lock()`, `self._lock = RLock()`,
// class attributes, tuple assignments, and containers of locks (lists, dicts, comprehensions,
// `defaultdict(Lock)`), which make one lock family.

import type { Node } from './syntax';
import type { ImportFact, LockDefFact, LockTarget } from '../events';
import type { LockKind } from '../types';
import { dottedName, lockKindOf, rangeOf, refOf } from './refs';

/** Where the assignment sits. */
export interface DefContext {
  imports: Map<string, ImportFact>;
  scope: 'module' | 'class' | 'function';
  className?: string;
  selfName?: string;
  functionId: string;
  globals?: Set<string>;
}

/** A lock definition, with the constructor call nodes it consumed. */
export interface FoundDef {
  def: LockDefFact;
  constructorIds: number[];
}

/**
 * The locks an assignment creates. `fileText`, the whole file's text when at hand, rules out
 * every assignment of a file that has no lock constructor's name at all (most files).
 */
export function lockDefsOf(asg: Node, ctx: DefContext, fileText?: string): FoundDef[] {
  if (fileText !== undefined && !fileMayCreateLock(fileText)) return [];
  if (!mayCreateLock(asg.text, ctx.imports)) return [];
  const left = asg.childForFieldName('left');
  const right = asg.childForFieldName('right');
  if (!left || !right) return [];
  let statement: Node | undefined;
  const statementOf = () => (statement ??= asg.parent?.type === 'expression_statement' ? asg.parent : asg);
  const lefts = left.type === 'pattern_list' || left.type === 'tuple_pattern' ? left.namedChildren : [left];
  const rights = right.type === 'expression_list' && lefts.length > 1 ? right.namedChildren : [right];
  const out: FoundDef[] = [];
  lefts.forEach((l, i) => {
    const r = rights.length === lefts.length ? rights[i] : undefined;
    if (!l || !r) return;
    let target = targetOf(l, ctx);
    const made = target && constructorIn(r, ctx.imports);
    // A dataclass field's default factory runs once per instance: each instance has its own lock.
    if (made?.perInstance && target?.scope === 'class') target = { scope: 'instance', className: target.className, name: target.name };
    if (target && made) {
      out.push({
        def: {
          target, kind: made.kind, container: made.container, counting: made.counting, wraps: made.wraps,
          range: rangeOf(made.call), calleeRange: rangeOf(made.callee), calleeText: made.callee.text,
          statementRange: rangeOf(statementOf()),
        },
        constructorIds: [made.call.id],
      });
    }
  });
  return out;
}

/** Every constructor that makes a lock (or a `defaultdict` of them) has one of these in its dotted name. */
const LOCKISH = /Lock|Semaphore|Condition|allocate|defaultdict/;

const lockishImport = new WeakMap<ImportFact, boolean>();

/** The last file text checked by `fileMayCreateLock`, and the answer. */
let lastFile: { text: string; lockish: boolean } | undefined;

/**
 * Whether any assignment of a file may create a lock: `mayCreateLock` needs a lock constructor's
 * name in the assignment's text or in the dotted name of an import, both made of the file's text.
 */
function fileMayCreateLock(text: string): boolean {
  if (lastFile?.text !== text) lastFile = { text, lockish: LOCKISH.test(text) };
  return lastFile.lockish;
}

/**
 * A text check that rules out most assignments before any node is read: a lock constructor's
 * name is in the text, or a local name imported from one (`from threading import Lock as L`).
 */
function mayCreateLock(text: string, imports: Map<string, ImportFact>): boolean {
  if (LOCKISH.test(text)) return true;
  for (const [local, imp] of imports) {
    let lockish = lockishImport.get(imp);
    if (lockish === undefined) {
      lockish = LOCKISH.test(dottedName({ kind: 'name', name: local }, new Map([[local, imp]])) ?? '');
      lockishImport.set(imp, lockish);
    }
    if (lockish && text.includes(local)) return true;
  }
  return false;
}

function targetOf(l: Node, ctx: DefContext): LockTarget | undefined {
  if (l.type === 'identifier') {
    const name = l.text;
    if (ctx.scope === 'module' || ctx.globals?.has(name)) return { scope: 'module', name };
    if (ctx.scope === 'class' && ctx.className) return { scope: 'class', className: ctx.className, name };
    return { scope: 'local', functionId: ctx.functionId, name };
  }
  if (l.type === 'attribute' && ctx.className) {
    const obj = l.childForFieldName('object')?.text;
    const attr = l.childForFieldName('attribute')?.text;
    if (!attr) return undefined;
    if (obj && obj === ctx.selfName) return { scope: 'instance', className: ctx.className, name: attr };
    const shortClass = ctx.className.split('.').pop();
    if (obj === 'cls' || obj === shortClass) return { scope: 'class', className: ctx.className, name: attr };
  }
  return undefined;
}

interface Made {
  kind: LockKind;
  container: boolean;
  counting: boolean;
  call: Node;
  callee: Node;
  wraps?: ReturnType<typeof refOf>;
  /** Made once per instance (`field(default_factory=threading.Lock)`). */
  perInstance?: boolean;
}

/** The lock constructor call an expression is, or contains as a container's elements. */
function constructorIn(expr: Node, imports: Map<string, ImportFact>): Made | undefined {
  switch (expr.type) {
    case 'call': {
      const direct = asConstructor(expr, imports);
      if (direct) return direct;
      return defaultdictOfLocks(expr, imports) ?? dataclassFieldLock(expr, imports);
    }
    case 'list': case 'tuple': case 'set': {
      const first = expr.namedChild(0);
      const made = first?.type === 'call' ? asConstructor(first, imports) : undefined;
      return made && { ...made, container: true };
    }
    case 'list_comprehension': case 'set_comprehension': case 'generator_expression': {
      const body = expr.childForFieldName('body');
      const made = body?.type === 'call' ? asConstructor(body, imports) : undefined;
      return made && { ...made, container: true };
    }
    case 'dictionary': case 'dictionary_comprehension': {
      const pair = expr.type === 'dictionary' ? expr.namedChild(0) : expr.childForFieldName('body');
      const value = pair?.type === 'pair' ? pair.childForFieldName('value') : undefined;
      const made = value?.type === 'call' ? asConstructor(value, imports) : undefined;
      return made && { ...made, container: true };
    }
  }
  return undefined;
}

function asConstructor(call: Node, imports: Map<string, ImportFact>): Made | undefined {
  const callee = call.childForFieldName('function');
  if (!callee) return undefined;
  const kind = lockKindOf(dottedName(refOf(callee), imports));
  if (!kind) return undefined;
  const args = call.childForFieldName('arguments');
  const first = args?.namedChildren.find((a) => a && a.type !== 'keyword_argument')
    ?? args?.namedChildren.find((a) => a?.type === 'keyword_argument')?.childForFieldName('value');
  const counting = kind.endsWith('Semaphore') && !!first && first.text !== '1';
  const wraps = kind.endsWith('Condition') && first ? refOf(first) : undefined;
  return { kind, container: false, counting, call, callee, wraps };
}

function defaultdictOfLocks(call: Node, imports: Map<string, ImportFact>): Made | undefined {
  const callee = call.childForFieldName('function');
  const dotted = callee ? dottedName(refOf(callee), imports) : undefined;
  if (dotted !== 'collections.defaultdict' && dotted !== 'defaultdict') return undefined;
  const factory = call.childForFieldName('arguments')?.namedChild(0);
  if (!factory || !callee) return undefined;
  const kind = lockKindOf(dottedName(refOf(factory), imports));
  return kind ? { kind, container: true, counting: false, call, callee: factory } : undefined;
}

/** `dataclasses.field(default_factory=threading.Lock)`: a lock made for every instance. */
function dataclassFieldLock(call: Node, imports: Map<string, ImportFact>): Made | undefined {
  const callee = call.childForFieldName('function');
  if (!callee || dottedName(refOf(callee), imports) !== 'dataclasses.field') return undefined;
  const factory = call.childForFieldName('arguments')?.namedChildren
    .find((a) => a?.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'default_factory')
    ?.childForFieldName('value');
  const kind = factory ? lockKindOf(dottedName(refOf(factory), imports)) : undefined;
  return kind && factory ? { kind, container: false, counting: false, call, callee: factory, perInstance: true } : undefined;
}
