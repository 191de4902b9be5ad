// `@property` reads: `obj.value` runs the getter, which may take a lock. Reads (not calls,
// not assignments) of the properties a file defines, and of the lock-taking properties other
// files define (the project passes those in), are recorded as calls of the getter, so
// summaries, edges and self-deadlocks see them. Most files pay nothing: a text check comes first.

import type { Node, Query, QueryCapture } from './syntax';
import { compileQuery } from './parser';
import { rangeOf, refOf } from './refs';
import type { WalkState } from './walkState';
import type { CallFact } from '../events';

const DEFINITION = /@(?:property|(?:functools\.)?cached_property)\s*\r?\n\s*(?:async\s+)?def\s+([A-Za-z_]\w*)/g;
const NO_NAMES: ReadonlySet<string> = new Set();
const NO_CAPTURES: QueryCapture[] = [];

let query: Query | undefined;

/**
 * The property names whose reads a file's walk records: the properties the file defines
 * (empty for most files), and `elsewhere`, lock-taking properties of other files it may read.
 */
export function propertyNames(text: string, elsewhere: ReadonlySet<string> = NO_NAMES): ReadonlySet<string> {
  if (!text.includes('property')) return elsewhere;
  const names = new Set<string>(elsewhere);
  for (const m of text.matchAll(DEFINITION)) names.add(m[1]);
  return names.size ? names : NO_NAMES;
}

/**
 * Attribute reads under `node` naming one of `names`, in document order (an attribute before
 * the attributes it is made of: `a.p.q` before `a.p`). With `text`, the file's text, only the
 * places where a name follows a dot (or starts a line) are looked up in the tree; without it,
 * a query captures every attribute's name, a node each.
 */
export function propertyCaptures(node: Node, names: ReadonlySet<string>, text?: string): QueryCapture[] {
  if (names.size === 0) return NO_CAPTURES;
  const reads = text === undefined ? queriedReads(node, names) : textReads(node, names, text);
  if (reads.length > 1) {
    const ends = new Map(reads.map((r) => [r.id, r.endIndex]));
    reads.sort((a, b) => a.startIndex - b.startIndex || ends.get(b.id)! - ends.get(a.id)!);
  }
  return reads.map((r) => ({ name: 'prop', node: r }));
}

/** The attributes under `node` whose name (the identifier after the dot) is in `names`, by a query. */
function queriedReads(node: Node, names: ReadonlySet<string>): Node[] {
  query ??= compileQuery('(attribute attribute: (identifier) @prop.name)');
  const reads: Node[] = [];
  for (const c of query.captures(node)) if (names.has(c.node.text)) reads.push(c.node.parent!);
  return reads;
}

/**
 * `queriedReads` from the text: each occurrence of a name as a whole word that a dot comes
 * before on its line (or that starts a line: a comment or line continuation may come between)
 * is looked up in the tree, and kept when it is an identifier ending an attribute.
 */
function textReads(node: Node, names: ReadonlySet<string>, text: string): Node[] {
  const reads: Node[] = [];
  const from = node.startIndex;
  const to = node.endIndex;
  for (const name of names) {
    if (name === '') continue;
    for (let at = text.indexOf(name, from); at >= 0 && at + name.length <= to; at = text.indexOf(name, at + 1)) {
      const end = at + name.length;
      if (!afterDot(text, at) || isWordCode(text.charCodeAt(end))) continue;
      const id = node.descendantForIndex(at, end);
      if (!id || id.startIndex !== at || id.endIndex !== end || id.type !== 'identifier') continue;
      const parent = id.parent;
      if (parent?.type === 'attribute' && parent.endIndex === end) reads.push(parent);
    }
  }
  return reads;
}

/** Whether the text before `at` is a dot, spaces between, or a line break (then the tree decides). */
function afterDot(text: string, at: number): boolean {
  for (let i = at - 1; i >= 0; i--) {
    const c = text.charCodeAt(i);
    if (c === 46 /* . */ || c === 10 || c === 13) return true;
    if (c !== 32 && c !== 9 && c !== 12) return false;
  }
  return false;
}

/** A character code that may continue an identifier (ASCII word characters, and anything beyond ASCII). */
function isWordCode(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c >= 0x80;
}

/** Merge two capture lists, each in document order, into one. */
export function mergeCaptures(a: QueryCapture[], b: QueryCapture[]): QueryCapture[] {
  if (b.length === 0) return a;
  const out: QueryCapture[] = [];
  let j = 0;
  for (const c of a) {
    while (j < b.length && b[j].node.startIndex < c.node.startIndex) out.push(b[j++]);
    out.push(c);
  }
  while (j < b.length) out.push(b[j++]);
  return out;
}

/** Record a property read as a call of its getter (not when it is called, assigned or deleted). */
export function onPropertyRead(st: WalkState, node: Node): void {
  const parent = node.parent;
  if (!parent) return;
  if (parent.type === 'call' && parent.childForFieldName('function')?.id === node.id) return;
  if ((parent.type === 'assignment' || parent.type === 'augmented_assignment') && parent.childForFieldName('left')?.id === node.id) return;
  if (parent.type === 'delete_statement' || parent.type === 'decorator') return;
  const call: CallFact = {
    functionId: st.functionId(), callee: refOf(node), range: rangeOf(node), held: st.heldAt(node.startIndex), args: [],
    property: true,
  };
  const name = st.guessed && node.childForFieldName('attribute')?.text;
  if (name && st.guessed!.has(name)) st.guessedReads.push({ name, at: st.facts.calls.length, call });
  else st.facts.calls.push(call);
}

/** A property getter (`@property`, `@cached_property`, …) and its name and indentation. */
const GETTER = /^[ \t]*@[\w.]*property\b[^\n]*\n(?:[ \t]*(?:[@#][^\n]*)?\n)*([ \t]*)(?:async[ \t]+)?def[ \t]+(\w+)/gm;
/** What a getter that takes a lock has in its body (or so the guess goes). */
const LOCKISH = /\bwith\b|acquire/;

/**
 * The names of the property getters of these texts whose bodies look as if they take a lock
 * (a `with`, an `acquire`): a guess made before any walk (see `FrontEnd.likelyReads`).
 */
export function likelyLockingProperties(texts: readonly string[]): string[] {
  const names = new Set<string>();
  for (const text of texts) {
    if (!text.includes('property')) continue;
    for (const m of text.matchAll(GETTER)) {
      if (LOCKISH.test(bodyAfter(text, m.index! + m[0].length, m[1].length))) names.add(m[2]);
    }
  }
  return [...names].sort();
}

/** The text from `from` to the end of the lines after it indented deeper than `indent` (a def's body). */
function bodyAfter(text: string, from: number, indent: number): string {
  let end = text.indexOf('\n', from);
  while (end !== -1) {
    const next = text.indexOf('\n', end + 1);
    const line = text.slice(end + 1, next === -1 ? undefined : next);
    const rest = line.trimStart();
    if (rest !== '' && line.length - rest.length <= indent) break;
    end = next;
  }
  return text.slice(from, end === -1 ? undefined : end);
}
