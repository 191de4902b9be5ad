// The parse tree as the Python front end reads it: the part of tree-sitter's node, tree and
// query that the walk uses. Both parsers (the native N-API binding and the wasm build, see
// parser.ts) hand out objects of this shape, so the walk never knows which one ran.

/** A row and column, both from 0 (columns in UTF-16 units, as both parsers count for string input). */
export interface Point {
  row: number;
  column: number;
}

/** A syntax node. */
export interface Node {
  /** Unique within its tree, and the same for every object standing for the same node. */
  readonly id: number;
  readonly type: string;
  readonly text: string;
  readonly tree: Tree;
  readonly startIndex: number;
  readonly endIndex: number;
  readonly startPosition: Point;
  readonly endPosition: Point;
  readonly hasError: boolean;
  readonly parent: Node | null;
  readonly children: (Node | null)[];
  readonly namedChildren: (Node | null)[];
  readonly namedChildCount: number;
  readonly lastNamedChild: Node | null;
  readonly nextNamedSibling: Node | null;
  readonly previousNamedSibling: Node | null;
  child(index: number): Node | null;
  namedChild(index: number): Node | null;
  childForFieldName(name: string): Node | null;
  childrenForFieldName(name: string): (Node | null)[];
  /** The smallest node spanning `start` to `end` (indexes as `startIndex` counts them). */
  descendantForIndex(start: number, end?: number): Node | null;
}

/** A parsed file. */
export interface Tree {
  readonly rootNode: Node;
}

/** One node a query captured, under the capture's name. */
export interface QueryCapture {
  name: string;
  node: Node;
}

/** A compiled query. */
export interface Query {
  /** Every capture within `node`, in document order. */
  captures(node: Node): QueryCapture[];
}

/** Where a text changed, as a parser is told before it re-parses (see `parsePython`). */
export interface TextEdit {
  startIndex: number;
  oldEndIndex: number;
  newEndIndex: number;
  startPosition: Point;
  oldEndPosition: Point;
  newEndPosition: Point;
}

/** Every node of `type` below `node` (not `node` itself), in document order. */
export function descendantsOfType(node: Node, type: string): Node[] {
  const found: Node[] = [];
  const stack = [...node.children].reverse();
  while (stack.length > 0) {
    const next = stack.pop();
    if (!next) continue;
    if (next.type === type) found.push(next);
    for (let i = next.children.length - 1; i >= 0; i -= 1) stack.push(next.children[i]);
  }
  return found;
}
