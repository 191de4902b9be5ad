// `with` statements: each item that names a lock (or a context manager, or a
// `lockorder.acquire(...)` group) is an acquisition held for the statement's body.

import type { Node } from './syntax';
import type { AcquireFact, AcquireVia, HeldFact } from '../events';
import { dottedName, lockKindOf, rangeOf, refOf } from './refs';
import { withShape } from './withShape';
import { isOrderedAcquire, type OpenWith, type WalkState } from './walkState';
import { onCall } from './calls';
import { noteConfinedLocal } from './confinedLocals';

const EXPECTS_ERROR_ITEM = /^(self\.)?assertRaises|^(pytest\.)?raises\(/;

export function onWith(st: WalkState, node: Node): void {
  const clause = node.namedChildren.find((c) => c?.type === 'with_clause');
  const body = node.childForFieldName('body');
  if (!clause || !body) return;
  const isAsync = node.child(0)?.type === 'async';
  const fn = st.functionId();
  const open: OpenWith = { functionId: fn, bodyStart: body.startIndex, end: node.endIndex, held: [] };
  const items = clause.namedChildren.filter((c): c is Node => c?.type === 'with_item');
  open.expectsError = items.some((i) => EXPECTS_ERROR_ITEM.test(i.text));
  items.forEach((item, index) => {
    let value = item.childForFieldName('value');
    if (value?.type === 'as_pattern') value = value.namedChild(0);
    if (!value) return;
    const before = [...st.heldAt(node.startIndex), ...open.held];
    for (const fact of withItemAcquires(st, node, value, index, isAsync, before)) {
      const acquireIndex = st.facts.acquires.push(fact) - 1;
      noteConfinedLocal(st, fact);
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
