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
 * the attributes it is made of: `a.p.q` before `a.p`). `text`, the file's text, spares reading
 * each attribute's name from the parser. Only the names are captured, a node each, and only
 * the attributes of the names kept are read.
 */
export function propertyCaptures(node: Node, names: ReadonlySet<string>, text?: string): QueryCapture[] {
  if (names.size === 0) return NO_CAPTURES;
  query ??= compileQuery('(attribute attribute: (identifier) @prop.name)');
  const reads: Node[] = [];
  for (const c of query.captures(node)) {
    if (names.has((text !== undefined && asciiWordAt(text, c.node.startIndex)) || c.node.text)) reads.push(c.node.parent!);
  }
  if (reads.length > 1) {
    const ends = new Map(reads.map((r) => [r.id, r.endIndex]));
    reads.sort((a, b) => a.startIndex - b.startIndex || ends.get(b.id)! - ends.get(a.id)!);
  }
  return reads.map((r) => ({ name: 'prop', node: r }));
}

/** A word of ASCII letters, digits and `_`. */
const ASCII_WORD = /[A-Za-z_][A-Za-z0-9_]*/y;

/** The identifier starting at `at` when it is all ASCII (an identifier token ends where such a word ends), else ''. */
function asciiWordAt(text: string, at: number): string {
  ASCII_WORD.lastIndex = at;
  const m = ASCII_WORD.exec(text);
  if (!m) return '';
  const next = text.charCodeAt(at + m[0].length);
  return next >= 0x80 ? '' : m[0];
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
