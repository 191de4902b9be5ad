// Reading simple expressions from their source text instead of their syntax nodes. Every
// node property read crosses into the parser's wasm, so a dotted name (`self._lock.acquire`)
// or a plain argument list (`(a, self.b, timeout=None)`) is read from the text when its
// shape leaves no doubt, and from the nodes otherwise; both give exactly the same facts.

import type { Node, Tree } from './syntax';
import type { Ref } from '../events';
import { dottedRef } from '../refText';

export { dottedRef };

/** Arguments whose text is a literal that is never a reference: `None`, `1`, `-1`, `'x'`, `'\\n'`, `*args`. */
const LITERAL = /^(?:None|True|False|-?\d+(?:\.\d+)?|[rRbBuUfF]{0,2}'(?:[^'\\\n\r]|\\[^\n\r])*'|[rRbBuUfF]{0,2}"(?:[^"\\\n\r]|\\[^\n\r])*"|\*{1,2}[A-Za-z_][A-Za-z0-9_.]*)$/;

/** `name=value` in an argument list. */
const KEYWORD = /^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*([^=].*)$/s;

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
  if (text.charCodeAt(0) !== 40 /* ( */) return undefined;
  const commas: number[] = [];
  if (scanBrackets(text, 0, commas) !== text.length - 1) return undefined;
  return argumentsAt(text, 0, commas, other, none);
}

/**
 * The arguments of the list opening at `open` and closing at the text's end, whose top-level
 * commas `scanBrackets` found (see `lexicalArguments`).
 */
export function argumentsAt(text: string, open: number, commas: number[], other: Ref, none: Ref[]): CallArguments | undefined {
  const close = text.length - 1;
  let count = commas.length + 1;
  const pieceAt = (k: number) => text.slice(k === 0 ? open + 1 : commas[k - 1] + 1, k === commas.length ? close : commas[k]).trim();
  if (count === 1 && pieceAt(0) === '') return { args: none };
  if (count > 1 && pieceAt(count - 1) === '') count--;
  const args: Ref[] = [];
  let keywords: string[] | undefined;
  let kwargs: Record<string, Ref> | undefined;
  for (let k = 0; k < count; k++) {
    const piece = pieceAt(k);
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
 * The callee of a call read from the call's text (`a.b.f(x, y)`): its ref, where its argument
 * list opens and the list's top-level commas. Undefined unless the text is a plain dotted name
 * and an argument list that the parenthesis after the name opens and the text's last character
 * closes (`f(x)(y)` is not one), with no comment, line continuation or string that is not
 * simple in it: then the callee is that name.
 */
export function dottedCallee(text: string): { ref: Ref; open: number; commas: number[] } | undefined {
  const m = DOTTED_CALL.exec(text);
  if (!m) return undefined;
  const open = m[0].length - 1;
  const commas: number[] = [];
  if (scanBrackets(text, open, commas) !== text.length - 1) return undefined;
  const ref = dottedRef(m[1]);
  return ref && { ref, open, commas };
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
  if (text.charCodeAt(0) !== 40 /* ( */ || text.includes('lambda')) return undefined;
  const commas: number[] = [];
  if (scanBrackets(text, 0, commas) !== text.length - 1) return undefined;
  const names: string[] = [];
  for (let i = 0; i <= commas.length; i++) {
    const piece = text.slice(i === 0 ? 1 : commas[i - 1] + 1, i === commas.length ? text.length - 1 : commas[i]).trim();
    if (piece === '') {
      if (i === commas.length) continue;
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
  if (open < 0 || scanBrackets(piece, open) !== piece.length - 1) return false;
  if (open === 0) return true;
  const callee = piece.slice(0, open);
  return piece[open] === '(' && dottedRef(callee) !== undefined;
}

/**
 * Scan a bracketed text from its opening bracket at `open`: the index of the bracket closing it,
 * with the commas directly inside it pushed to `commas`; -1 when no bracket closes it or a
 * comment, a line continuation or a string that is not simple (see `stringEnd`) comes first.
 */
function scanBrackets(text: string, open: number, commas?: number[]): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text.charCodeAt(i);
    switch (c) {
      case 34: case 39: { // " '
        const end = stringEnd(text, i, c);
        if (end < 0) return -1;
        i = end;
        break;
      }
      case 40: case 91: case 123: depth++; break; // ( [ {
      case 41: case 93: case 125: if (--depth === 0) return i; break; // ) ] }
      case 44: if (depth === 1 && commas) commas.push(i); break; // ,
      case 35: case 92: return -1; // # \
    }
  }
  return -1;
}

/**
 * The index of the quote closing a one-line string opened at `i` (not triple-quoted), or -1.
 * A backslash escapes the next character, in raw strings too (`r'\''` is one string), but a
 * line continuation inside a string gives -1.
 */
function stringEnd(text: string, i: number, quote: number): number {
  if (text.charCodeAt(i + 1) === quote && text.charCodeAt(i + 2) === quote) return -1;
  for (let j = i + 1; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === quote) return j;
    if (c === 10 || c === 13) return -1;
    if (c === 92) {
      const next = text.charCodeAt(j + 1);
      if (next === 10 || next === 13) return -1;
      j++;
    }
  }
  return -1;
}
