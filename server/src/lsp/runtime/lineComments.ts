// Suppression comments on the lines run-time findings point at, in the comment syntax of the
// file's language: `# lockorder: ignore[...]` in Python, `// lockorder: ignore[...]` or
// `/* lockorder: ignore[...] */` in TypeScript and JavaScript (as the TS front end reads them:
// the comment must start with `lockorder: ignore`; codes are matched without regard to case).
// The line alone is looked at, so a `//` inside a string before the comment can hide it.

import { suppresses, withoutSuppression } from '../suppression';

/** The TS/JS files (by extension) whose comments are `//` and `/* *\/`. */
const scriptFile = /\.(?:[cm]?[jt]sx?)$/i;
/** A `lockorder: ignore` comment in TS/JS, with its code list if any. */
const scriptComment = /(\/\/|\/\*)\s*lockorder:\s*ignore(?:\[([^\]]*)\])?(?![\w[])/i;

/** Whether a path is a TypeScript or JavaScript file. */
export function isScriptFile(path: string): boolean {
  return scriptFile.test(path);
}

/** The TS/JS suppression comment of a line, when it is the line's first `//` comment. */
function scriptSuppression(lineText: string): { at: number; codes?: string[] } | undefined {
  const match = scriptComment.exec(lineText);
  if (!match) return undefined;
  // A `//` before it makes the line comment start earlier: then it is prose, not a suppression.
  if (lineText.slice(0, match.index).includes('//')) return undefined;
  const codes = match[2] === undefined ? undefined : match[2].split(',').map((c) => c.trim().toUpperCase()).filter(Boolean);
  return { at: match.index, codes };
}

/** Whether the line of `path` holds a suppression comment for `code` (no list: every code). */
export function lineSuppresses(path: string, lineText: string, code: string): boolean {
  if (!isScriptFile(path)) return suppresses(lineText, code);
  const found = scriptSuppression(lineText);
  if (!found) return false;
  return found.codes === undefined || found.codes.length === 0 || found.codes.includes(code.toUpperCase());
}

/** A line of `path` without its suppression comment, to compare code across a suppression added since. */
export function lineWithoutSuppression(path: string, lineText: string): string {
  if (!isScriptFile(path)) return withoutSuppression(lineText);
  const found = scriptSuppression(lineText);
  return found ? lineText.slice(0, found.at).trimEnd() : lineText;
}
