// Describes the `with` statement around an acquisition (its items, indentation, and the
// `with` it is nested in), so rules can offer fixes without touching the tree.

import type { Node } from './syntax';
import type { WithShape } from '../events';
import { rangeOf } from './refs';

function itemRanges(stmt: Node): ReturnType<typeof rangeOf>[] {
  const clause = stmt.namedChildren.find((c) => c?.type === 'with_clause');
  return (clause?.namedChildren ?? []).filter((c): c is Node => c?.type === 'with_item').map(rangeOf);
}

function indentOf(stmt: Node): string {
  return ' '.repeat(stmt.startPosition.column);
}

/** The shape of `with` statement `stmt` as seen from its item number `index`. */
export function withShape(stmt: Node, index: number): WithShape | undefined {
  const body = stmt.childForFieldName('body');
  if (!body) return undefined;
  const shape: WithShape = {
    statementRange: rangeOf(stmt),
    items: itemRanges(stmt),
    itemIndex: index,
    indent: indentOf(stmt),
    bodyRange: rangeOf(body),
  };
  const block = stmt.parent;
  const outer = block?.type === 'block' ? block.parent : null;
  if (outer?.type === 'with_statement' && outer.childForFieldName('body')?.id === block?.id) {
    const statements = block!.namedChildren.filter((c) => c && c.type !== 'comment');
    shape.nestedDirectlyIn = {
      statementRange: rangeOf(outer),
      items: itemRanges(outer),
      bodyOnlyThis: statements.length === 1,
    };
  }
  return shape;
}
