// The client's copy of a document, kept exactly as LSP defines it: lines end at "\r\n", "\r"
// or "\n"; positions count UTF-16 code units (so a range may split a surrogate pair); a
// character past the line's end means the line's end; a line past the last means the end.

/** Offsets where each line starts ("\r\n" is one line break). */
export function lineStarts(text) {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    } else if (c === 10) {
      starts.push(i + 1);
    }
  }
  return starts;
}

/** Where the content of line `line` ends (before its line break). */
function contentEnd(text, starts, line) {
  if (line + 1 >= starts.length) return text.length;
  let end = starts[line + 1];
  if (text.charCodeAt(end - 1) === 10) end--;
  if (text.charCodeAt(end - 1) === 13) end--;
  return end;
}

/** The offset of an LSP position, clamped as the protocol says. */
export function offsetAt(text, starts, { line, character }) {
  if (line >= starts.length) return text.length;
  return Math.min(starts[line] + character, contentEnd(text, starts, line));
}

/** The LSP position of an offset (inside a "\r\n" pair it is past the line's end, as the protocol allows). */
export function positionAt(starts, offset) {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo, character: offset - starts[lo] };
}

/** Apply one ranged change (`{ range, text }`) and return the new text. */
export function applyChange(text, change) {
  const starts = lineStarts(text);
  let a = offsetAt(text, starts, change.range.start);
  let b = offsetAt(text, starts, change.range.end);
  if (b < a) [a, b] = [b, a];
  return text.slice(0, a) + change.text + text.slice(b);
}

/** Whether `range` lies inside `text` (every position on a line, and no further than its end). */
export function rangeInside(text, starts, range) {
  for (const p of [range.start, range.end]) {
    if (p.line < 0 || p.character < 0 || p.line >= starts.length) return false;
    if (starts[p.line] + p.character > contentEnd(text, starts, p.line)) return false;
  }
  return true;
}
