// The clauses of a `try` statement for the release check (releaseCheck.ts): which of its blocks
// run after the body, and which of them still hold the lock.

import type { Node } from './syntax';

/** The block of a clause (`except ...:`, `else:`, `finally:`), or the block itself. */
function blockOf(c: Node | null | undefined): Node | undefined {
  return (c?.type === 'block' ? c : c?.namedChildren.find((b) => b?.type === 'block')) ?? undefined;
}

/** The `finally:` block of a `try`, if any. */
export function finallyBlock(s: Node): Node | undefined {
  return blockOf(s.namedChildren.find((c) => c?.type === 'finally_clause'));
}

/**
 * `try: ... except: x.release(); raise ... else: x.release()`: the `else:` releases after the
 * body, and every `except:` releases too (`releases` tells for one block).
 */
export function releasedAfterBody(s: Node, releases: (block: Node) => boolean): boolean {
  const elseBlock = blockOf(s.namedChildren.find((c) => c?.type === 'else_clause'));
  const excepts = s.namedChildren.filter((c) => c?.type === 'except_clause').map(blockOf);
  return !!elseBlock && excepts.length > 0 && [elseBlock, ...excepts].every((b) => !!b && releases(b));
}

/**
 * In a `try` without `finally:`, the last of its `except:` blocks and its `else:` (or its body,
 * without `else:`) that still holds the lock (`keeps` tells for one block): where such a path ends.
 */
export function keepingTryBlock(s: Node, keeps: (block: Node) => boolean): Node | undefined {
  const elseClause = s.namedChildren.find((c) => c?.type === 'else_clause');
  const blocks = [
    elseClause ? undefined : blockOf(s.childForFieldName('body')),
    ...s.namedChildren.filter((c) => c?.type === 'except_clause').map(blockOf),
    blockOf(elseClause),
  ];
  const keeping = blocks.filter((b): b is Node => !!b && keeps(b));
  return keeping[keeping.length - 1];
}
