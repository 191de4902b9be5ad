// Where things happen: a cheap stack capture at each acquisition (V8 formats it only when a
// record needs it) and its conversion to report frames {file, line, column, function, code},
// innermost first, user frames only. Node's own frames and the runtime's are dropped; frames of
// node_modules are dropped unless nothing else is left. Under --enable-source-maps Node maps the
// stack text, so frames name the original (.ts) source lines.

import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const runtimeDir = dirname(fileURLToPath(import.meta.url));
const frameLine = /^\s*at (?:(.*?) \()?(.+?):(\d+):(\d+)\)?$/;
/** @type {Map<string, string[] | null>} file -> its lines (null: unreadable) */
const sourceLines = new Map();

/**
 * A frame of a report.
 * @typedef {{ file: string, line: number, column: number, function: string, code?: string }} Frame
 */

/**
 * Capture the current stack, unformatted (formatting is deferred to `framesOf`).
 * @returns {Error}
 */
export function captureStack() {
  const limit = Error.stackTraceLimit;
  // Deep enough to get past the runtime's own frames and a library's (async-mutex's withTimeout
  // under tslib's __awaiter takes 7) to the user's call.
  Error.stackTraceLimit = 32;
  const holder = new Error('lockorder site');
  Error.stackTraceLimit = limit;
  return holder;
}

/**
 * The user frames of a captured stack, innermost first, at most `depth`.
 * @param {Error | undefined} captured @param {number} [depth]
 * @returns {Frame[]}
 */
export function framesOf(captured, depth = 20) {
  if (!captured) return [];
  /** @type {Frame[]} */
  const all = [];
  for (const text of String(captured.stack ?? '').split('\n').slice(1)) {
    const frame = parseFrame(text);
    if (frame && !frame.file.startsWith('node:') && !frame.file.startsWith(runtimeDir)) all.push(frame);
  }
  const user = all.filter((f) => !/[\\/]node_modules[\\/]/.test(f.file));
  return (user.length > 0 ? user : all).slice(0, depth).map(withCode);
}

/**
 * The innermost user frame of a captured stack, or an "unknown" frame.
 * @param {Error | undefined} captured
 * @returns {Frame}
 */
export function siteOf(captured) {
  return framesOf(captured, 1)[0] ?? { file: '<unknown>', line: 1, column: 1, function: '' };
}

/**
 * One line of a V8 stack as a frame, or null (native, eval or unparsable frames).
 * @param {string} text
 * @returns {Frame | null}
 */
function parseFrame(text) {
  const match = frameLine.exec(text);
  if (!match) return null;
  let file = match[2].replace(/^async /, '');
  if (file.startsWith('file://')) {
    try { file = fileURLToPath(file); } catch { return null; }
  }
  if (file.includes('(') || file === 'native') return null;
  const name = (match[1] ?? '').replace(/^async /, '').replace(/^new /, 'new ');
  return { file, line: Number(match[3]), column: Number(match[4]), function: name || '<anonymous>' };
}

/**
 * The frame with the text of its line, when the file can be read.
 * @param {Frame} frame
 * @returns {Frame}
 */
function withCode(frame) {
  let lines = sourceLines.get(frame.file);
  if (lines === undefined) {
    try { lines = readFileSync(frame.file, 'utf8').split(/\r?\n/); } catch { lines = null; }
    sourceLines.set(frame.file, lines);
  }
  const code = lines?.[frame.line - 1];
  if (code === undefined) return frame;
  const out = { ...frame, code: code.trim().slice(0, 200) };
  // Where `code` starts in the line (not written to reports): nameFromLine maps the column.
  Object.defineProperty(out, 'indent', { value: code.length - code.trimStart().length, enumerable: false });
  return out;
}

/**
 * A name for a lock from the line that created it: `x` in `const x = new Mutex()` or
 * `const x = pLimit(2)` (`b` for the second lock of `const a = new Mutex(), b = new Mutex()`),
 * `Class.attr` style `this.attr` as `attr`, with or without a type annotation; null when the
 * line names nothing.
 * @param {Frame} site
 * @returns {string | null}
 */
export function nameFromLine(site) {
  // A TypeScript type annotation may stand between the name and `=` (`lock: Mutex = new Mutex()`).
  const pattern = /(?:(?:const|let|var)\s+|this\.|\b)([A-Za-z_$][\w$]*)[?!]?\s*(?::\s*[\w$.<>[\], |]+?\s*=|[:=])\s*(?:new\s+)?[\w$.]+\s*\(/g;
  // With several on one line (`const a = new Mutex(), b = new Mutex()`), the one that starts
  // before the creation's column and is the nearest to it.
  const column = (site.column ?? Infinity) - (/** @type {{ indent?: number }} */ (site).indent ?? 0);
  let name = null;
  for (const match of (site.code ?? '').matchAll(pattern)) {
    if (name !== null && match.index >= column - 1) break;
    name = match[1];
  }
  return name;
}
