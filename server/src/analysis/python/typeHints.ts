// Reads what the Python source says about types: parameter annotations, decorators, and the
// class an assignment stores (`self.db = Database()`), for resolving `obj.attr` and `obj.m()`.

import type { Node } from './syntax';
import type { Ref } from '../events';
import { refOf, refOfType } from './refs';
import { dottedRef, inCleanTree } from './lexical';

/** The class an annotation names, if it names one: `X`, `mod.X`, `Optional[X]`, `X | None`, `"X"`. */
export function annotationRef(type: Node | null): Ref | undefined {
  return type ? classFromAnnotation(type.text) : undefined;
}

/** Read an annotation's text: unwrap quotes, `Optional[...]`, and unions with `None`. */
export function classFromAnnotation(text: string, depth = 0): Ref | undefined {
  const t = text.trim().replace(/^(['"])(.*)\1$/s, '$2').trim();
  if (depth > 4 || !t) return undefined;
  const optional = /^(?:typing\.)?Optional\[(.*)\]$/s.exec(t);
  if (optional) return classFromAnnotation(optional[1], depth + 1);
  const union = /^(?:typing\.)?Union\[(.*)\]$/s.exec(t);
  const members = union ? splitTop(union[1], ',') : splitTop(t, '|');
  if (members.length > 1) {
    const real = members.filter((m) => m.trim() !== 'None');
    return real.length === 1 ? classFromAnnotation(real[0], depth + 1) : undefined;
  }
  if (!/^[A-Za-z_][\w.]*$/.test(t)) return undefined;
  const parts = t.split('.');
  let ref: Ref = { kind: 'name', name: parts[0] };
  for (const p of parts.slice(1)) ref = { kind: 'attr', base: ref, attr: p };
  return ref;
}

/** Split on a separator outside brackets. */
function splitTop(text: string, sep: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '[' || c === '(') depth++;
    else if (c === ']' || c === ')') depth--;
    else if (c === sep && depth === 0) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out;
}

/** Parameter name → annotated class, for a function's parameter list (`text`: the list's text, when already read). */
export function paramTypesOf(params: Node | null, text = params?.text): Record<string, Ref> | undefined {
  // No `:` in the parameter list, no annotation: most functions stop here.
  if (!params || !text?.includes(':')) return undefined;
  let out: Record<string, Ref> | undefined;
  for (const p of params?.namedChildren ?? []) {
    if (!p || (p.type !== 'typed_parameter' && p.type !== 'typed_default_parameter')) continue;
    const name = (p.childForFieldName('name') ?? p.namedChild(0))?.text;
    const ref = annotationRef(p.childForFieldName('type'));
    if (name && ref) (out ??= {})[name] = ref;
  }
  return out;
}

/** The decorators of a function definition, with call arguments (`parent`: the `decorated_definition` around it). */
export function decoratorsOf(parent: Node): { ref: Ref; args: Ref[] }[] {
  const out: { ref: Ref; args: Ref[] }[] = [];
  for (const d of parent.namedChildren) {
    if (d?.type !== 'decorator') continue;
    const expr = d.namedChild(0);
    if (!expr) continue;
    if (expr.type === 'call') {
      const callee = expr.childForFieldName('function');
      const args = expr.childForFieldName('arguments')?.namedChildren ?? [];
      if (callee) out.push({ ref: refOf(callee), args: args.filter((a): a is Node => !!a && a.type !== 'keyword_argument').map(refOf) });
    } else out.push({ ref: refOf(expr), args: [] });
  }
  return out;
}

/** The class an assigned value is an instance of, when it is a constructor-like call. */
export function constructedClass(value: Node | null): Ref | undefined {
  return value?.type === 'call' ? classOfCallee(value.childForFieldName('function')) : undefined;
}

/** The class a call of `callee` makes, when the callee's last name is a class-like one (`Queue`, `mod._Pool`). */
export function classOfCallee(callee: Node | null): Ref | undefined {
  const type = callee?.type;
  if (!callee || (type !== 'identifier' && type !== 'attribute')) return undefined;
  const fast = type === 'attribute' ? dottedAttribute(callee) : undefined;
  const last = type === 'identifier' ? callee.text : fast ? fast.attr : callee.childForFieldName('attribute')?.text ?? '';
  return /^_*[A-Z]/.test(last) ? (fast ?? refOf(callee)) : undefined;
}

/** An attribute node's ref read from its text when that is a plain dotted name (as `refOf` reads it). */
function dottedAttribute(node: Node): Extract<Ref, { kind: 'attr' }> | undefined {
  const ref = inCleanTree(node) ? dottedRef(node.text) : undefined;
  return ref?.kind === 'attr' ? ref : undefined;
}

const LITERAL_TYPES: Record<string, string> = {
  dictionary: 'dict', dictionary_comprehension: 'dict', list: 'list', list_comprehension: 'list',
  set: 'set', set_comprehension: 'set',
};

/** Lower-case constructors of stdlib objects whose methods share names with project classes'. */
const BUILTIN_CONSTRUCTORS = new Set([
  'dict', 'list', 'set', 'deque', 'collections.deque', 'defaultdict', 'collections.defaultdict',
  'socket.socket', 'socket.create_connection', 'socket.socketpair', 'selectors.DefaultSelector', 'open',
]);

/**
 * What a value plainly is, when `constructedClass` does not say: a literal (`{}`, `[]`), a
 * lower-case stdlib constructor (`deque()`, `socket.socket()`), or what a function of an
 * imported module returns (`socket.create_connection(...)`). The type is the callee; where it
 * is not an analyzed class, the value's methods are never guessed by name.
 */
export function builtinValueType(value: Node | null, isModule: (name: string) => boolean): Ref | undefined {
  if (!value) return undefined;
  const type = value.type;
  return literalType(type) ?? (type === 'call' ? builtinCallType(value.childForFieldName('function'), isModule) : undefined);
}

/** The type of a literal display or comprehension (`{}`, `[x for x in y]`), by its node type. */
export function literalType(nodeType: string | undefined): Ref | undefined {
  const literal = nodeType === undefined ? undefined : LITERAL_TYPES[nodeType];
  return literal ? { kind: 'name', name: literal } : undefined;
}

/** `builtinValueType` of a call of `callee`: a lower-case stdlib constructor, or a function of an imported module. */
export function builtinCallType(callee: Node | null, isModule: (name: string) => boolean): Ref | undefined {
  if (!callee) return undefined;
  const text = callee.text;
  if (BUILTIN_CONSTRUCTORS.has(text)) return refOf(callee);
  const fast = inCleanTree(callee) ? dottedRef(text) : undefined;
  if (fast) {
    if (fast.kind !== 'attr') return undefined;
    let root: Ref = fast;
    while (root.kind === 'attr') root = root.base;
    return root.kind === 'name' && isModule(root.name) ? fast : undefined;
  }
  let root: Node | null = callee;
  while (root?.type === 'attribute') root = root.childForFieldName('object');
  return root !== callee && root?.type === 'identifier' && isModule(root.text) ? refOf(callee) : undefined;
}

/** A constructor call's arguments as references (a call stays a call: `Guard(threading.Lock())`). */
export function constructorArguments(call: Node): { args?: Ref[]; kwargs?: Record<string, Ref> } {
  const list = call.childForFieldName('arguments');
  if (!list || list.namedChildCount === 0) return {};
  const args: Ref[] = [];
  let kwargs: Record<string, Ref> | undefined;
  for (const a of list.namedChildren) {
    if (!a) continue;
    if (a.type !== 'keyword_argument') args.push(argumentRef(a));
    else {
      const name = a.childForFieldName('name')?.text;
      const value = a.childForFieldName('value');
      if (name && value) (kwargs ??= {})[name] = argumentRef(value);
    }
  }
  return kwargs ? { args, kwargs } : { args };
}

const ARGUMENT_TYPES = new Set(['identifier', 'attribute', 'subscript', 'call']);

/** An argument as a reference or a call; anything else (literals, lambdas) is kept as nothing. */
function argumentRef(node: Node): Ref {
  const type = node.type;
  return ARGUMENT_TYPES.has(type) ? refOfType(node, type) : { kind: 'other', text: '' };
}
