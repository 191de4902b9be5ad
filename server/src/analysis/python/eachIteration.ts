// An `acquire()` in a `for` loop that takes each element's lock and keeps it past the iteration
// (`for f in futures: f._condition.acquire()`, concurrent.futures' `_AcquireFutures`): every
// iteration after the first takes another instance of the lock class while holding the earlier
// ones. The engine lists that nesting of two instances (a self-edge of the lock class) without
// weighing it in any rule: whether two such loops order their elements alike is not known here.
// The locks stay held after the loop until a later loop over the same elements releases them
// (eachRelease.ts), which is also what LO104 accepts as their release.

import { descendantsOfType, type Node } from './syntax';

const SCOPES = new Set(['function_definition', 'class_definition', 'lambda', 'module']);
const LEAVES = new Set(['break_statement', 'return_statement', 'raise_statement']);

/**
 * A loop taking each element's lock: the loop, the collection it walks (as written), and the
 * lock's text and the loop's names with those names numbered (`$0._lock`, `$0, $1`), so that a
 * later loop over the same collection releasing the same lock of each element can be recognised.
 */
export interface EachLoop {
  loop: Node;
  collection: string;
  element: string;
  targets: string;
}

/**
 * The loop in which the `acquire()` call on the lock whose source text is `text` is so taken,
 * element after element, keeping each: none when the loop body releases it or always leaves.
 */
export function eachLoopOf(call: Node, text: string): EachLoop | undefined {
  for (let n = call.parent; n && !SCOPES.has(n.type); n = n.parent) {
    const loop = n.parent;
    if (n.type !== 'block' || loop?.type !== 'for_statement' || loop.childForFieldName('body')?.id !== n.id) continue;
    const shape = loopShape(loop, text);
    if (!shape) continue;
    return releasedOrLeft(n, text) ? undefined : shape;
  }
  return undefined;
}

/** The shape of `loop` for the lock `text` of its elements, if the lock's text uses the loop's names. */
export function loopShape(loop: Node, text: string): EachLoop | undefined {
  const left = loop.childForFieldName('left');
  const names = targetNames(left);
  if (!usesAny(text, names)) return undefined;
  const number = numbering(names);
  return {
    loop,
    collection: loop.childForFieldName('right')?.text ?? '',
    element: number(text),
    targets: number(left?.text ?? ''),
  };
}

/** Rewrites a text, each of `names` (not after a dot) replaced by `$i`, its place in the loop's target. */
function numbering(names: Set<string>): (text: string) => string {
  const order = [...names];
  return (text) => text.replace(/\s+/g, '').replace(/(?<![.\w$])[A-Za-z_]\w*/g, (w) => (names.has(w) ? `$${order.indexOf(w)}` : w));
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
