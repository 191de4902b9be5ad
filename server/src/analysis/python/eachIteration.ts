// An `acquire()` in a `for` loop that takes each element's lock and keeps it past the iteration
// (`for f in futures: f._condition.acquire()`, concurrent.futures' `_AcquireFutures`): every
// iteration after the first takes another instance of the lock class while holding the earlier
// ones. The engine lists that nesting of two instances (a self-edge of the lock class) without
// weighing it in any rule: whether two such loops order their elements alike is not known here.

import { descendantsOfType, type Node } from './syntax';

const SCOPES = new Set(['function_definition', 'class_definition', 'lambda', 'module']);
const LEAVES = new Set(['break_statement', 'return_statement', 'raise_statement']);

/** Whether the `acquire()` call on the lock whose source text is `text` is so taken, element after element. */
export function takenEachIteration(call: Node, text: string): boolean {
  for (let n = call.parent; n && !SCOPES.has(n.type); n = n.parent) {
    const loop = n.parent;
    if (n.type !== 'block' || loop?.type !== 'for_statement' || loop.childForFieldName('body')?.id !== n.id) continue;
    if (!usesAny(text, targetNames(loop.childForFieldName('left')))) continue;
    return !releasedOrLeft(n, text);
  }
  return false;
}

/** The names a `for` statement binds (`f`, `i, (k, f)`). */
function targetNames(left: Node | null): Set<string> {
  const out = new Set<string>();
  const visit = (n: Node | null): void => {
    if (!n) return;
    if (n.type === 'identifier') out.add(n.text);
    else if (/^(pattern_list|tuple_pattern|list_pattern|parenthesized_expression|tuple|list)$/.test(n.type)) for (const c of n.namedChildren) visit(c);
  };
  visit(left);
  return out;
}

/** Whether a lock's text starts with one of `names` (`f._condition`, `lock`) or indexes by one (`self.locks[k]`). */
function usesAny(text: string, names: Set<string>): boolean {
  const root = /^[A-Za-z_]\w*/.exec(text)?.[0];
  if (root && names.has(root)) return true;
  for (const m of text.matchAll(/\[\s*([A-Za-z_]\w*)\s*\]/g)) if (names.has(m[1])) return true;
  return false;
}

/** The loop body releases the lock again, or always leaves the loop in its first iteration. */
function releasedOrLeft(body: Node, text: string): boolean {
  if (body.namedChildren.some((c) => !!c && LEAVES.has(c.type))) return true;
  const release = `${text}.release()`.replace(/\s+/g, '');
  return descendantsOfType(body, 'call').some((c) => c.text.replace(/\s+/g, '') === release);
}
