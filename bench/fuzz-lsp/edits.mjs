// The random edits of the LSP fuzzer. Each call gives one `textDocument/didChange`'s content
// changes (usually one, sometimes several applied in order), chosen from what typing, pasting
// and deleting do, plus the awkward: unbalanced brackets, tabs, "\r\n", a lone "\r", NUL,
// non-ASCII (astral too, and ranges that split a surrogate pair), huge deletions.

import { bugs, fragments } from './fragments.mjs';
import { applyChange, lineStarts, positionAt } from './text.mjs';

/** How often each kind of change is made. */
const weights = {
  type: 24, backspace: 10, deleteSpan: 8, deleteLarge: 2, paste: 14, pasteBug: 5, replace: 5, bracket: 8,
  lineBreak: 8, nonAscii: 6, nul: 2, copyBlock: 5, splitSurrogate: 3, clamped: 2, rename: 3,
};

const typed = 'abcdefghijklmnopqrstuvwxyz_ABCLR0123456789.:,=() ';
const brackets = ['(', ')', '[', ']', '{', '}', '((', '))', ')]}', '"', "'", '"""', ':', '\\'];
const breaks = ['\n', '\r\n', '\r', '\t', '\t\t', '\n\n', '\r\r', '\n\r'];
const nonAscii = ['é', 'ß', '中文', '\u0301', '\u200b', '\ufeff', '😀', '𝔘𝔫', '𐍈', '🔒lock', '\u{10ffff}', 'Ω'];
const lockNames = ['_lock', 'lock', 'mutex', 'self._lock', 'self.mutex', 'self._cond', 'lock_a', 'lock_b', '_active_limbo_lock'];

/** One document as the fuzzer sees it: its current text and the text it was opened with. */
export function nextChanges(rng, doc, others) {
  const count = rng.chance(0.04) ? rng.between(2, 4) : 1;
  const changes = [];
  let text = doc.text;
  for (let i = 0; i < count; i++) {
    const { change, kind } = oneChange(rng, text, doc.original, others);
    changes.push({ change, kind });
    text = applyChange(text, change);
  }
  return { changes, text };
}

/** One ranged change of `text`, and its kind. */
function oneChange(rng, text, original, others) {
  if (text.length > original.length * 3 || text.length < original.length * 0.2 || rng.chance(0.008)) {
    return { kind: 'restore', change: span(text, 0, text.length, original) };
  }
  const kind = rng.weighted(weights);
  const at = rng.int(text.length + 1);
  switch (kind) {
    case 'type': return { kind, change: span(text, at, at, rng.chance(0.2) ? word(rng) : rng.pick(typed)) };
    case 'backspace': return { kind, change: span(text, Math.max(0, at - rng.between(1, 2)), at, '') };
    case 'deleteSpan': return { kind, change: span(text, at, Math.min(text.length, at + rng.between(1, 200)), '') };
    case 'deleteLarge': return { kind, change: span(text, at, Math.min(text.length, at + rng.between(500, Math.max(500, text.length >> 2))), '') };
    case 'paste': return { kind, change: pasteAtLine(rng, text, rng.pick(fragments)) };
    case 'pasteBug': return { kind, change: pasteAtLine(rng, text, rng.pick(bugs), rng.chance(0.7)) };
    case 'replace': return { kind, change: span(text, at, Math.min(text.length, at + rng.between(1, 80)), lineEnds(rng, rng.pick(fragments))) };
    case 'bracket': return { kind, change: span(text, at, at, rng.pick(brackets)) };
    case 'lineBreak': return { kind, change: span(text, at, at, rng.pick(breaks)) };
    case 'nonAscii': return { kind, change: span(text, at, at, rng.pick(nonAscii)) };
    case 'nul': return { kind, change: span(text, at, at, rng.chance(0.5) ? '\0' : 'x\0y') };
    case 'copyBlock': return { kind, change: copyBlock(rng, text, others) };
    case 'splitSurrogate': return { kind, change: splitSurrogate(rng, text, at) };
    case 'clamped': return { kind, change: clamped(rng, text, at) };
    default: return { kind, change: rename(rng, text, at) };
  }
}

/** The change replacing offsets [a, b) of `text` by `newText`, as an LSP range. */
function span(text, a, b, newText) {
  const starts = lineStarts(text);
  return { range: { start: positionAt(starts, a), end: positionAt(starts, b) }, text: newText };
}

/** A short identifier-like word. */
function word(rng) {
  let w = '';
  for (let n = rng.between(2, 10); n > 0; n--) w += rng.pick(typed.slice(0, 27));
  return w;
}

/** A fragment with its line breaks changed, sometimes, to "\r\n" or "\r". */
function lineEnds(rng, fragment) {
  const style = rng.weighted({ lf: 8, crlf: 2, cr: 1 });
  return style === 'lf' ? fragment : fragment.replace(/\n/g, style === 'crlf' ? '\r\n' : '\r');
}

/** Paste a fragment at the start of a random line (`topLevel`: of an unindented one), indented like it (or deeper, or with tabs). */
function pasteAtLine(rng, text, fragment, topLevel = false) {
  const starts = lineStarts(text);
  let line = rng.int(starts.length);
  if (topLevel) line = topLevelLine(text, starts, line);
  const indent = /^[ \t]*/.exec(text.slice(starts[line], starts[line] + 200))[0];
  const extra = topLevel ? '' : rng.pick(['', '', '    ', '\t', ' ']);
  const body = fragment.split('\n').map((l, i, all) => (i === all.length - 1 && l === '' ? '' : indent + extra + l)).join('\n');
  return span(text, starts[line], starts[line], lineEnds(rng, body));
}

/** The first line from `line` on that starts a top-level statement (or the end). */
function topLevelLine(text, starts, line) {
  for (let l = line; l < starts.length; l++) if (/^(def |class |[A-Za-z_]\w* = )/.test(text.slice(starts[l], starts[l] + 8))) return l;
  return starts.length - 1;
}

/** Copy a block of lines of this document or another open one to a random offset. */
function copyBlock(rng, text, others) {
  const source = rng.chance(0.5) || others.length === 0 ? text : rng.pick(others);
  const starts = lineStarts(source);
  const first = rng.int(starts.length);
  const last = Math.min(starts.length - 1, first + rng.between(1, 40));
  const block = source.slice(starts[first], starts[last]);
  const at = lineStarts(text)[rng.int(lineStarts(text).length)];
  return span(text, at, at, block);
}

/** A range with one end between the two halves of a surrogate pair (inserting one first if none is near). */
function splitSurrogate(rng, text, at) {
  const found = /[\ud800-\udbff][\udc00-\udfff]/.exec(text.slice(at, at + 5000));
  if (!found) return span(text, at, at, rng.pick(['😀', '𝔘', '🔒']));
  const middle = at + found.index + 1;
  if (rng.chance(0.5)) return span(text, middle, Math.min(text.length, middle + rng.between(0, 3)), rng.pick(['', 'x', '\n', '😀']));
  return span(text, Math.max(0, middle - rng.between(0, 3)), middle, rng.pick(['', 'y', '\t']));
}

/** A range whose end lies past its line's end or past the last line (the protocol clamps both). */
function clamped(rng, text, at) {
  const starts = lineStarts(text);
  const start = positionAt(starts, at);
  const end = rng.chance(0.5)
    ? { line: start.line, character: start.character + rng.between(1, 100000) }
    : { line: starts.length + rng.between(0, 50), character: rng.between(0, 10) };
  return { range: { start, end }, text: rng.pick(['', 'pass\n', ')', '\r\n']) };
}

/** Replace a lock-like name near `at` with another one. */
function rename(rng, text, at) {
  const window = text.slice(at, at + 3000);
  const found = /(self\.)?_?(lock|mutex|cond)\w*/.exec(window);
  if (!found) return span(text, at, at, rng.pick(lockNames));
  return span(text, at + found.index, at + found.index + found[0].length, rng.pick(lockNames));
}
