// What functions return, when it is a plain reference (`return self._lock`, `return _locks[k]`):
// recorded as an alias of the name `return` (a keyword, so it never clashes with a local), so
// that a function returning a lock can stand for that lock where it is called.

import type { Node } from './syntax';
import { RETURN_ALIAS } from '../events';
import { refOfType } from './refs';
import type { WalkState } from './walkState';

export { RETURN_ALIAS };

const RETURNED_TYPES = new Set(['identifier', 'attribute', 'subscript']);

/** Record `return <reference>` in a function as the alias `return` of that function (`value`: its first named child, of `type`). */
export function onReturn(st: WalkState, value: Node | null, type: string | undefined): void {
  const fn = st.functionId();
  if (!value || !RETURNED_TYPES.has(type!) || st.scope()?.kind !== 'function') return;
  st.facts.aliases.push({ functionId: fn, name: RETURN_ALIAS, value: refOfType(value, type!) });
}
