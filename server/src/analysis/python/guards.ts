// Branches guarded by a plain name (`if flag:` / `if not flag:` and their `elif`/`else`): the
// linker binds constant arguments along calls (`close(synchronous=False)`) and skips the
// branches that cannot run for them. Also bodies guarded by a try-lock (`if lock.acquire(False):`),
// which never run in a thread holding that lock.

import type { Node } from './syntax';
import { isTryLock } from './calls';
import { rangeOf, refOf } from './refs';
import type { WalkState } from './walkState';

/** Record the branches of an `if` whose condition is a name or `not name`, or a try-lock. */
export function onGuard(st: WalkState, node: Node): void {
  const cond = node.childForFieldName('condition');
  if (cond?.type === 'call') return onTryGuard(st, node, cond);
  const negated = cond?.type === 'not_operator';
  const name = negated ? cond?.childForFieldName('argument')?.text : cond?.text;
  const body = node.childForFieldName('consequence');
  if (!name || !body) return;
  const functionId = st.functionId();
  const guards = (st.facts.guards ??= []);
  guards.push({ functionId, name, truthy: !negated, range: rangeOf(body) });
  for (const clause of node.childrenForFieldName('alternative')) {
    if (clause) guards.push({ functionId, name, truthy: negated, range: rangeOf(clause) });
  }
}

/** `if lock.acquire(False):`: its body runs only when the try-lock succeeded. */
function onTryGuard(st: WalkState, node: Node, cond: Node | null): void {
  const fn = cond?.type === 'call' ? cond.childForFieldName('function') : null;
  const obj = fn?.type === 'attribute' ? fn.childForFieldName('object') : null;
  const body = node.childForFieldName('consequence');
  if (!cond || !obj || !body || fn?.childForFieldName('attribute')?.text !== 'acquire' || !isTryLock(cond)) return;
  (st.facts.tryGuards ??= []).push({ functionId: st.functionId(), lock: refOf(obj), range: rangeOf(body) });
}
