// Line breaks as the parser needs them. A lone carriage return (old Mac files) ends a line for
// the editor (LSP counts `\n`, `\r\n` and `\r`) but not for tree-sitter-python, which then sees
// one long line and a syntax error. Turning each lone `\r` into `\n` keeps every offset and,
// since both count it as one line break, every line and column the editor shows.

const LONE_CR = /\r(?!\n)/g;

/** `text` with each carriage return not followed by a line feed turned into a line feed. */
export function withLineFeeds(text: string): string {
  return text.includes('\r') ? text.replace(LONE_CR, '\n') : text;
}
