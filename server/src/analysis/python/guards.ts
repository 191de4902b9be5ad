// Branches guarded by a plain name (`if flag:` / `if not flag:` and their `elif`/`else`): the
// linker binds constant arguments along calls (`close(synchronous=False)`) and skips the
// branches that cannot run for them.

import type { Node } from 'web-tree-sitter';
import { rangeOf } from './refs';
import type { WalkState } from './walkState';

/** Record the branches of an `if` whose condition is a name or `not name`. */
export function onGuard(st: WalkState, node: Node): void {
  const cond = node.childForFieldName('condition');
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
