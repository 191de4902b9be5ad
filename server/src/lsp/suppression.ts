// The "ignore this on this line" edit, in the comment syntax of the file's language: in Python,
// append `  # lockorder: ignore[CODE]`; in TypeScript and JavaScript, `  // lockorder: ignore[CODE]`
// (or `/* lockorder: ignore[CODE] */` at the start of a line that already has a comment); or add
// the code to an `ignore[...]` comment already there. Also reads those comments back.

import type { TextEdit } from 'vscode-languageserver/node';

const listComment = /#\s*lockorder:\s*ignore\[([^\]]*)\]/;
const bareComment = /#\s*lockorder:\s*ignore(?!\[)\b/;
/** A `lockorder: ignore` comment in TS/JS, with its code list if any (the TS front end reads them so). */
const scriptComment = /(\/\/|\/\*)\s*lockorder:\s*ignore(?:\[([^\]]*)\])?(?![\w[])/i;

/** The TS/JS suppression comment of a line, when it is the line's first `//` comment: where it starts, its codes. */
export function scriptSuppression(lineText: string): { at: number; codes?: string[]; close?: number } | undefined {
  const match = scriptComment.exec(lineText);
  if (!match) return undefined;
  // A `//` before it makes the line comment start earlier: then it is prose, not a suppression.
  if (lineText.slice(0, match.index).includes('//')) return undefined;
  const codes = match[2] === undefined ? undefined : match[2].split(',').map((c) => c.trim().toUpperCase()).filter(Boolean);
  return { at: match.index, codes, close: match[2] === undefined ? undefined : match.index + match[0].length - 1 };
}

/**
 * The edit that suppresses `code` on line `line` whose text is `lineText`, or undefined if none
 * can (or one already does). `script`: the file is TypeScript or JavaScript.
 */
export function suppressionEdit(lineText: string, line: number, code: string, script = false): TextEdit | undefined {
  if (script) return scriptSuppressionEdit(lineText, line, code);
  const list = listComment.exec(lineText);
  if (list) return addToList(list[1].split(','), list.index + list[0].length - 1, line, code);
  if (bareComment.test(lineText)) return undefined;
  const trimmed = lineText.replace(/\s+$/, '');
  // A comment after a line continuation would break the statement.
  if (trimmed.endsWith('\\')) return undefined;
  return append(lineText, line, `  # lockorder: ignore[${code}]`);
}

/** The TS/JS edit: extend a list, else a line comment at the end, else (the line has a comment) a block comment at its start. */
function scriptSuppressionEdit(lineText: string, line: number, code: string): TextEdit | undefined {
  const found = scriptSuppression(lineText);
  // A comment without codes, or with an empty list, already suppresses every code.
  if (found && (found.codes === undefined || found.codes.length === 0 || found.close === undefined)) return undefined;
  if (found?.codes && found.close !== undefined) return addToList(found.codes, found.close, line, code);
  // A `//` or `/*` already on the line (a comment, or inside a string): a line comment appended
  // could land in it, so the suppression goes before the line's code, where none of that can be.
  if (!/\/[/*]/.test(lineText)) return append(lineText, line, `  // lockorder: ignore[${code}]`);
  const indent = /^\s*/.exec(lineText)![0].length;
  const at = { line, character: indent };
  return { range: { start: at, end: at }, newText: `/* lockorder: ignore[${code}] */ ` };
}

/** Add `code` to a code list whose `]` is at `closeAt` (nothing when it is already there). */
function addToList(listed: string[], closeAt: number, line: number, code: string): TextEdit | undefined {
  const codes = listed.map((c) => c.trim()).filter(Boolean);
  if (codes.some((c) => c.toUpperCase() === code.toUpperCase())) return undefined;
  const at = { line, character: closeAt };
  return { range: { start: at, end: at }, newText: codes.length === 0 ? code : `, ${code}` };
}

/** Replace the line's trailing blanks with `comment`. */
function append(lineText: string, line: number, comment: string): TextEdit {
  const trimmed = lineText.replace(/\s+$/, '');
  return { range: { start: { line, character: trimmed.length }, end: { line, character: lineText.length } }, newText: comment };
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
