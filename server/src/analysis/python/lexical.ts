// Reading simple expressions from their source text instead of their syntax nodes. Every
// node property read crosses into the parser's wasm, so a dotted name (`self._lock.acquire`)
// or a plain argument list (`(a, self.b, timeout=None)`) is read from the text when its
// shape leaves no doubt, and from the nodes otherwise; both give exactly the same facts.

import type { Node, Tree } from './syntax';
import type { Ref } from '../events';
import { dottedRef } from '../refText';

export { dottedRef };

/** Arguments whose text is a literal that is never a reference: `None`, `1`, `-1`, `'x'`, `*args`. */
const LITERAL = /^(?:None|True|False|-?\d+(?:\.\d+)?|[rRbBuUfF]{0,2}'[^'\n]*'|[rRbBuUfF]{0,2}"[^"\n]*"|\*{1,2}[A-Za-z_][A-Za-z0-9_.]*)$/;

/** `name=value` in an argument list. */
const KEYWORD = /^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*([^=].*)$/s;

/** Comments, line continuations and escapes: the nodes decide. */
const COMPLEX = /[#\\]/;

/** Brackets or quotes: commas may be nested, split with `splitArguments`. */
const NESTED = /[()[\]{}'"]/;

const cleanTrees = new WeakMap<Tree, boolean>();

/** Whether the node's tree parsed without errors (text shortcuts are only taken then). */
export function inCleanTree(node: Node): boolean {
  let clean = cleanTrees.get(node.tree);
  if (clean === undefined) {
    clean = !node.tree.rootNode.hasError;
    cleanTrees.set(node.tree, clean);
  }
  return clean;
}

/** What `argumentsOf` in calls.ts reads from a call's argument list. */
export interface CallArguments {
  args: Ref[];
  keywords?: string[];
  kwargs?: Record<string, Ref>;
}

/**
 * The arguments of a call read from the text of its argument list (`(a, b.c, x=None, f(y))`),
 * or undefined when an argument is not a dotted name, a simple literal, a call of a dotted
 * name or a bracketed display. `other` and `none` are the caller's shared values for a
 * non-reference argument and an empty list.
 */
export function lexicalArguments(text: string, other: Ref, none: Ref[]): CallArguments | undefined {
  if (text.charCodeAt(0) !== 40 /* ( */ || text.charCodeAt(text.length - 1) !== 41 /* ) */) return undefined;
  const inner = text.slice(1, -1);
  if (COMPLEX.test(inner)) return undefined;
  const pieces = NESTED.test(inner) ? splitArguments(inner) : inner.split(',');
  if (!pieces) return undefined;
  for (let i = 0; i < pieces.length; i++) pieces[i] = pieces[i].trim();
  if (pieces.length === 1 && pieces[0] === '') return { args: none };
  if (pieces.length > 1 && pieces[pieces.length - 1] === '') pieces.pop();
  const args: Ref[] = [];
  let keywords: string[] | undefined;
  let kwargs: Record<string, Ref> | undefined;
  for (const piece of pieces) {
    const kw = KEYWORD.exec(piece);
    if (kw) {
      const value = kw[2];
      const ref = dottedRef(value);
      if (!ref && !isNotReference(value)) return undefined;
      (keywords ??= []).push(kw[1]);
      if (ref) (kwargs ??= {})[kw[1]] = ref;
      continue;
    }
    const ref = dottedRef(piece);
    if (!ref && !isNotReference(piece)) return undefined;
    if (args.length < 8) args.push(ref ?? other);
  }
  return { args, keywords, kwargs };
}

/** A call's text starting with a dotted name and an opening parenthesis: `self._lock.acquire(`. */
const DOTTED_CALL = /^([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)\s*\(/;

/**
 * The callee of a call read from the call's text (`a.b.f(x, y)`): its ref and where its argument
 * list opens. Undefined unless the text is a plain dotted name and an argument list that the
 * parenthesis after the name opens and the text's last character closes (`f(x)(y)` is not one),
 * with no comment, escape or string that is not simple in it: then the callee is that name.
 */
export function dottedCallee(text: string): { ref: Ref; open: number } | undefined {
  const m = DOTTED_CALL.exec(text);
  if (!m || COMPLEX.test(text)) return undefined;
  const open = m[0].length - 1;
  if (closingBracket(text, open) !== text.length - 1) return undefined;
  const ref = dottedRef(m[1]);
  return ref && { ref, open };
}

/** One parameter: a name, maybe starred, maybe annotated (`: T`) or with a default (`= v`). */
const PARAMETER = /^(\*{0,2})([A-Za-z_][A-Za-z0-9_]*)\s*(?:([:=])[\s\S]*)?$/;

/**
 * The parameter names of a parameter list read from its text (`(self, a, b=1, *args, c: int = 2)`),
 * as `paramNames` in definitions.ts reads them from the nodes: a bare `*` or `/` names nothing,
 * nor does an annotated star parameter (`*args: P.args`), whose node has no name field.
 * Undefined when the text holds anything else (a lambda, a comment, a string that is not simple).
 */
export function lexicalParamNames(text: string): string[] | undefined {
  if (text.charCodeAt(0) !== 40 /* ( */ || text.charCodeAt(text.length - 1) !== 41 /* ) */) return undefined;
  const inner = text.slice(1, -1);
  if (COMPLEX.test(inner) || inner.includes('lambda')) return undefined;
  const pieces = NESTED.test(inner) ? splitArguments(inner) : inner.split(',');
  if (!pieces) return undefined;
  const names: string[] = [];
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i].trim();
    if (piece === '') {
      if (i === pieces.length - 1) continue;
      return undefined;
    }
    if (piece === '*' || piece === '/') continue;
    const m = PARAMETER.exec(piece);
    if (!m || dottedRef(m[2])?.kind !== 'name') return undefined;
    if (m[1] && m[3] === '=') return undefined;
    if (!(m[1] && m[3] === ':')) names.push(m[2]);
  }
  return names;
}

/**
 * Whether an argument's text surely makes a node that is not a reference (a name, attribute
 * or subscript): a literal, a call of a dotted name (`f(x)`), or a list, tuple, dict, set or
 * parenthesized expression (`[a, b]`, `(x for x in y)`), its brackets closing at the end.
 */
function isNotReference(piece: string): boolean {
  if (LITERAL.test(piece)) return true;
  const open = piece.search(/[([{]/);
  if (open < 0 || closingBracket(piece, open) !== piece.length - 1) return false;
  if (open === 0) return true;
  const callee = piece.slice(0, open);
  return piece[open] === '(' && dottedRef(callee) !== undefined;
}

/** Split an argument list's inside at its top-level commas; undefined when a string is not simple. */
function splitArguments(inner: string): string[] | undefined {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i];
    if (c === '"' || c === "'") {
      const end = stringEnd(inner, i);
      if (end < 0) return undefined;
      i = end;
    } else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      if (--depth < 0) return undefined;
    } else if (c === ',' && depth === 0) {
      out.push(inner.slice(start, i));
      start = i + 1;
    }
  }
  if (depth !== 0) return undefined;
  out.push(inner.slice(start));
  return out;
}

/** The index of the bracket closing the one at `open`, or -1. */
function closingBracket(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'") {
      const end = stringEnd(text, i);
      if (end < 0) return -1;
      i = end;
    } else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      if (--depth === 0) return i;
    }
  }
  return -1;
}

/** The index of the quote closing a one-line string opened at `i` (not triple-quoted), or -1. */
function stringEnd(text: string, i: number): number {
  const quote = text[i];
  if (text[i + 1] === quote && text[i + 2] === quote) return -1;
  const end = text.indexOf(quote, i + 1);
  return end < 0 || text.slice(i + 1, end).includes('\n') ? -1 : end;
}
