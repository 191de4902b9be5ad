// Reads the suppression comments of a TS/JS file: a comment that starts with
// `lockorder: ignore` or `lockorder: ignore[LO101, LO102]` (line or block comment). Only real
// comments count (found through the parse tree), not the same words in a string or inside
// another comment's prose.

import { ts, type SourceFile } from 'ts-morph';
import type { Suppressions } from '../events';
import { positionAt } from './refs';

const PATTERN = /^(?:\/\/|\/\*)\s*lockorder:\s*ignore(?:\[([^\]]*)\])?/i;

/** The suppression comments of a file, by 0-based line: codes, an empty set meaning every code. */
export function suppressionsOf(sf: SourceFile): Suppressions {
  const out: Suppressions = new Map();
  const text = sf.getFullText();
  if (!/lockorder:/i.test(text)) return out;
  const seen = new Set<number>();
  const note = (ranges: ts.CommentRange[] | undefined) => {
    for (const r of ranges ?? []) {
      if (seen.has(r.pos)) continue;
      seen.add(r.pos);
      const m = PATTERN.exec(text.slice(r.pos, r.end));
      if (!m) continue;
      const line = positionAt(sf, r.pos).line;
      out.set(line, new Set((m[1] ?? '').split(',').map((c) => c.trim().toUpperCase()).filter(Boolean)));
    }
  };
  // Tokens too (getChildren, not forEachChild): a comment after the `{` that ends a line is a
  // trailing comment of that token only, the common place of a suppression on `runExclusive(async () => {`.
  const visit = (node: ts.Node) => {
    note(ts.getLeadingCommentRanges(text, node.pos));
    note(ts.getTrailingCommentRanges(text, node.end));
    for (const child of node.getChildren(sf.compilerNode)) visit(child);
  };
  visit(sf.compilerNode);
  note(ts.getLeadingCommentRanges(text, sf.compilerNode.endOfFileToken.pos));
  return out;
}
