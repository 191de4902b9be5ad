// Suppression comments on the lines run-time findings point at, in the comment syntax of the
// file's language: `# lockorder: ignore[...]` in Python, `// lockorder: ignore[...]` or
// `/* lockorder: ignore[...] */` in TypeScript and JavaScript (as the TS front end reads them:
// the comment must start with `lockorder: ignore`; codes are matched without regard to case).
// The line alone is looked at, so a `//` inside a string before the comment can hide it.

import { scriptSuppression, suppresses, withoutSuppression } from '../suppression';

/** The TS/JS files (by extension) whose comments are `//` and `/* *\/`. */
const scriptFile = /\.(?:[cm]?[jt]sx?)$/i;

/** Whether a path is a TypeScript or JavaScript file. */
export function isScriptFile(path: string): boolean {
  return scriptFile.test(path);
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
  if (!found) return lineText;
  // A block comment ends where it closes (the code may go on after it); a line comment ends the line.
  const close = lineText.startsWith('/*', found.at) ? lineText.indexOf('*/', found.at) : -1;
  if (close < 0) return lineText.slice(0, found.at).trimEnd();
  return `${lineText.slice(0, found.at)}${lineText.slice(close + 2).trimStart()}`.trimEnd();
}
