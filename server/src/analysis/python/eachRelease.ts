// A `for` loop that releases the lock of each element of the collection an earlier loop took
// them from (`for a in ordered: a.lock.acquire()` ... `for a in reversed(ordered): a.lock.release()`):
// for the release check it counts as the release of every lock the earlier loop took.

import { descendantsOfType, type Node } from './syntax';
import { loopShape, type EachLoop } from './eachIteration';

const LEAVES = ['break_statement', 'continue_statement', 'return_statement', 'raise_statement'];
/** Wrappers that walk the same elements in another order or copy them: `reversed(xs)`, `list(xs)`. */
const SAME_ELEMENTS = /^(?:reversed|list|tuple|sorted)\((.*?)(?:,key=.*)?\)$/;

/** Whether `stmt` is a `for` loop over the same collection as `each` releasing each element's lock on every pass. */
export function releasesEach(stmt: Node, each: EachLoop): boolean {
  if (stmt.type !== 'for_statement' || stmt.id === each.loop.id) return false;
  const walked = sameElements(stmt.childForFieldName('right')?.text ?? '');
  if (walked !== sameElements(each.collection) && !collectedIn(each, walked)) return false;
  const body = stmt.childForFieldName('body');
  for (const s of body?.namedChildren ?? []) {
    if (!s) continue;
    const released = releaseText(s);
    const shape = released !== undefined ? loopShape(stmt, released) : undefined;
    if (shape && shape.element === each.element && shape.targets === each.targets) return true;
    if (LEAVES.includes(s.type) || LEAVES.some((t) => descendantsOfType(s, t).length > 0)) return false;
  }
  return false;
}

/** Whether a `release()` call is in a loop releasing each lock `each` took (the loop's name for the element may differ). */
export function inReleasingLoop(call: Node, each: EachLoop): boolean {
  for (let n = call.parent; n && n.type !== 'function_definition'; n = n.parent) if (releasesEach(n, each)) return true;
  return false;
}

/** Whether the loop taking each lock appends its element to `list` (`taken.append(a)`): the locks taken so far. */
function collectedIn(each: EachLoop, list: string): boolean {
  const left = each.loop.childForFieldName('left')?.text.replace(/\s+/g, '');
  const body = each.loop.childForFieldName('body');
  return !!left && !!body && body.namedChildren.some((s) => s?.text.replace(/\s+/g, '') === `${list}.append(${left})`);
}

/** The collection's text with wrappers that keep its elements (and `[::-1]`) taken off. */
function sameElements(text: string): string {
  let t = text.replace(/\s+/g, '');
  for (let i = 0; i < 4; i++) {
    const m = SAME_ELEMENTS.exec(t) ?? /^(.*)\[::-1\]$/.exec(t);
    if (!m || m[1].split('(').length !== m[1].split(')').length) break;
    t = m[1];
  }
  return t;
}

/**
 * The lock `X` of a statement `X.release()`, or of a `try:` whose body starts with it (a
 * `try: x.release() except RuntimeError: pass` releases it whenever it is held).
 */
function releaseText(s: Node): string | undefined {
  if (s.type === 'try_statement') {
    const first = s.childForFieldName('body')?.namedChildren.find((c) => c?.type !== 'comment');
    return first ? releaseText(first) : undefined;
  }
  const call = s.type === 'expression_statement' ? s.namedChild(0) : null;
  const fn = call?.type === 'call' && (call.childForFieldName('arguments')?.namedChildren.length ?? 1) === 0 ? call.childForFieldName('function') : null;
  if (fn?.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== 'release') return undefined;
  return fn.childForFieldName('object')?.text;
}
