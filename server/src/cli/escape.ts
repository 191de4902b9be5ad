// Makes text from file names and source code safe to print on a terminal: control characters
// (C0, DEL, C1) and the Unicode line separators and bidirectional overrides are shown as
// escapes (`\n`, `\x1b`, `\u202e`), so a file name cannot move the cursor, color or clear the
// terminal, split a `path:line:col` line in two, or reorder what is shown.

/** Characters that are escaped. */
const unsafe = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** `text` with every control character written as an escape; other text is unchanged. */
export function escapeControl(text: string): string {
  return text.replace(unsafe, (c) => named[c] ?? escapeCode(c.charCodeAt(0)));
}

function escapeCode(code: number): string {
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}
