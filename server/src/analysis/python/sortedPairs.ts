// Names a function binds in a sorted order, so that locks taken through them in that order
// cannot be taken in the opposite order by another thread: `first, second = sorted(...)` and
// `first, second = (a, b) if a.id < b.id else (b, a)`.

import type { Node } from './syntax';

/** The names an assignment (its target and value) binds in a sorted order, first to last, if it does. */
export function sortedNames(left: Node, right: Node): string[] | undefined {
  if (left.type !== 'pattern_list' && left.type !== 'tuple_pattern' && left.type !== 'tuple') return undefined;
  const names = left.namedChildren.map((n) => (n?.type === 'identifier' ? n.text : ''));
  if (names.length < 2 || names.some((n) => !n)) return undefined;
  return isSortedCall(right) || isOrderedSwap(right) ? names : undefined;
}

/** `sorted(...)`, `sorted(..., key=...)`. */
function isSortedCall(value: Node): boolean {
  return value.type === 'call' && value.childForFieldName('function')?.text === 'sorted';
}

/** `(a, b) if <comparison> else (b, a)`: the same two names, swapped on a comparison. */
function isOrderedSwap(value: Node): boolean {
  if (value.type !== 'conditional_expression') return false;
  const [whenTrue, condition, whenFalse] = value.namedChildren;
  if (!whenTrue || !condition || !whenFalse || condition.type !== 'comparison_operator') return false;
  const one = tupleNames(whenTrue);
  const other = tupleNames(whenFalse);
  return !!one && !!other && one.length === 2 && other.length === 2 && one[0] === other[1] && one[1] === other[0];
}

function tupleNames(n: Node): string[] | undefined {
  const t = n.type === 'parenthesized_expression' ? n.namedChild(0) : n;
  if (t?.type !== 'tuple' && t?.type !== 'expression_list') return undefined;
  const names = t.namedChildren.map((c) => c?.text ?? '');
  return names.every((x) => /^[\w.]+$/.test(x)) ? names : undefined;
}
