// `@property` reads: `obj.value` runs the getter, which may take a lock. Reads (not calls,
// not assignments) of the properties a file defines, and of the lock-taking properties other
// files define (the project passes those in), are recorded as calls of the getter, so
// summaries, edges and self-deadlocks see them. Most files pay nothing: a text check comes first.

import type { Node, Query, QueryCapture } from './syntax';
import { compileQuery } from './parser';
import { rangeOf, refOf } from './refs';
import type { WalkState } from './walkState';

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

/** Attribute reads under `node` naming one of `names`, in document order. */
export function propertyCaptures(node: Node, names: ReadonlySet<string>): QueryCapture[] {
  if (names.size === 0) return NO_CAPTURES;
  query ??= compileQuery('(attribute attribute: (identifier) @prop.name) @prop');
  return query.captures(node).filter((c) => c.name === 'prop' && names.has(c.node.childForFieldName('attribute')?.text ?? ''));
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
  st.facts.calls.push({
    functionId: st.functionId(), callee: refOf(node), range: rangeOf(node), held: st.heldAt(node.startIndex), args: [],
    property: true,
  });
}
