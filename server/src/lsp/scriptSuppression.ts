// The "ignore this on this line" edit for TS/JS: append `  // lockorder: ignore[CODE]` to the
// line, add the code to an `ignore[...]` comment already there, or, when the line already ends
// in a `//` comment (which would swallow ours), put `/* lockorder: ignore[CODE] */` before it.

import type { TextEdit } from 'vscode-languageserver/node';

const listComment = /(?:\/\/|\/\*)\s*lockorder:\s*ignore\[([^\]]*)\]/i;
const bareComment = /(?:\/\/|\/\*)\s*lockorder:\s*ignore(?![\w[])/i;

/** The edit that suppresses `code` on TS/JS line `line` whose text is `lineText`, or undefined if none can. */
export function scriptSuppressionEdit(lineText: string, line: number, code: string): TextEdit | undefined {
  const list = listComment.exec(lineText);
  if (list) {
    const codes = list[1].split(',').map((c) => c.trim().toUpperCase()).filter(Boolean);
    if (codes.includes(code)) return undefined;
    const closeAt = list.index + list[0].length - 1;
    const at = { line, character: closeAt };
    return { range: { start: at, end: at }, newText: codes.length === 0 ? code : `, ${code}` };
  }
  if (bareComment.test(lineText)) return undefined;
  const comment = lineCommentAt(lineText);
  if (comment !== undefined) {
    const at = { line, character: comment };
    return { range: { start: at, end: at }, newText: `/* lockorder: ignore[${code}] */ ` };
  }
  const trimmed = lineText.replace(/\s+$/, '');
  return {
    range: { start: { line, character: trimmed.length }, end: { line, character: lineText.length } },
    newText: `  // lockorder: ignore[${code}]`,
  };
}

/** Where a `//` comment starts on the line, outside quotes (a line starting inside a template is not told apart). */
function lineCommentAt(text: string): number | undefined {
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'" || c === '`') quote = c;
    else if (c === '/' && text[i + 1] === '/') return i;
    else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) return undefined;
      i = end + 1;
    }
  }
  return undefined;
}
