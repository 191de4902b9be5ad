// The "ignore this on this line" edit: append `  # lockorder: ignore[CODE]` to the line, or add
// the code to an `ignore[...]` comment already there.

import type { TextEdit } from 'vscode-languageserver/node';

const listComment = /#\s*lockorder:\s*ignore\[([^\]]*)\]/;
const bareComment = /#\s*lockorder:\s*ignore(?!\[)\b/;

/** The edit that suppresses `code` on line `line` whose text is `lineText`, or undefined if none can. */
export function suppressionEdit(lineText: string, line: number, code: string): TextEdit | undefined {
  const list = listComment.exec(lineText);
  if (list) {
    const codes = list[1].split(',').map((c) => c.trim()).filter(Boolean);
    if (codes.includes(code)) return undefined;
    const closeAt = list.index + list[0].length - 1;
    const text = codes.length === 0 ? code : `, ${code}`;
    return { range: { start: { line, character: closeAt }, end: { line, character: closeAt } }, newText: text };
  }
  if (bareComment.test(lineText)) return undefined;
  const trimmed = lineText.replace(/\s+$/, '');
  // A comment after a line continuation would break the statement.
  if (trimmed.endsWith('\\')) return undefined;
  return {
    range: { start: { line, character: trimmed.length }, end: { line, character: lineText.length } },
    newText: `  # lockorder: ignore[${code}]`,
  };
}

/** Whether a line's `# lockorder: ignore` comment suppresses `code` (run-time findings honour it too). */
export function suppresses(lineText: string, code: string): boolean {
  if (bareComment.test(lineText)) return true;
  const list = listComment.exec(lineText);
  return !!list && list[1].split(',').map((c) => c.trim()).includes(code);
}

/** A line without its `# lockorder: ignore…` comment, to compare code across a suppression. */
export function withoutSuppression(lineText: string): string {
  return lineText.replace(/\s*#\s*lockorder:\s*ignore(\[[^\]]*\])?.*$/, '');
}
