// Wildcard matching within one segment (a path segment, or one dotted part of a lock name):
// `*` (any run of characters), and optionally `?` and `[...]` sets. Matching takes time
// proportional to pattern length times text length at worst, never exponential: a `*` is
// retried only from the most recent `*`, which is enough for patterns without `**`.

/** One compiled element of a segment pattern. */
type Token =
  | { kind: 'text'; text: string }
  | { kind: 'star' }
  | { kind: 'one' }
  | { kind: 'set'; negate: boolean; ranges: [number, number][] };

/** A compiled segment pattern. */
export interface Wildcard {
  readonly tokens: readonly Token[];
  /** The pattern has no wildcard: it matches only this text. */
  readonly literal?: string;
}

/** Compile a segment pattern; `sets` enables `?` and `[...]` (else only `*` is special). */
export function compileWildcard(pattern: string, sets: boolean): Wildcard {
  const tokens: Token[] = [];
  const addChar = (ch: string): void => {
    const last = tokens[tokens.length - 1];
    if (last?.kind === 'text') last.text += ch;
    else tokens.push({ kind: 'text', text: ch });
  };
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') {
      if (tokens[tokens.length - 1]?.kind !== 'star') tokens.push({ kind: 'star' });
    } else if (sets && c === '?') tokens.push({ kind: 'one' });
    else if (sets && c === '[') {
      const set = parseSet(pattern, i);
      if (set) {
        tokens.push(set.token);
        i = set.end;
      } else addChar(c);
    } else addChar(c);
  }
  const only = tokens.length === 1 && tokens[0].kind === 'text' ? tokens[0].text : tokens.length === 0 ? '' : undefined;
  return only === undefined ? { tokens } : { tokens, literal: only };
}

/** A `[...]` set starting at `start`: `[abc]`, `[a-z]`, `[!abc]` or `[^abc]`; a `]` first is literal. */
function parseSet(pattern: string, start: number): { token: Token; end: number } | undefined {
  let i = start + 1;
  const negate = pattern[i] === '!' || pattern[i] === '^';
  if (negate) i++;
  const first = i;
  const ranges: [number, number][] = [];
  while (i < pattern.length && (pattern[i] !== ']' || i === first)) {
    const lo = pattern.charCodeAt(i);
    if (pattern[i + 1] === '-' && i + 2 < pattern.length && pattern[i + 2] !== ']') {
      ranges.push([lo, pattern.charCodeAt(i + 2)]);
      i += 3;
    } else {
      ranges.push([lo, lo]);
      i++;
    }
  }
  if (i >= pattern.length) return undefined;
  return { token: { kind: 'set', negate, ranges }, end: i };
}

/** Whether the whole of `text` matches the pattern. */
export function matchWildcard(w: Wildcard, text: string): boolean {
  if (w.literal !== undefined) return w.literal === text;
  const tokens = w.tokens;
  let t = 0;
  let pos = 0;
  let starToken = -1;
  let starPos = 0;
  while (true) {
    if (t === tokens.length && pos === text.length) return true;
    const token = tokens[t];
    if (token?.kind === 'star') {
      starToken = t++;
      starPos = pos;
      continue;
    }
    const width = token === undefined ? -1 : stepWidth(token, text, pos);
    if (width >= 0) {
      t++;
      pos += width;
      continue;
    }
    // Mismatch: let the last `*` take one more character, or fail.
    if (starToken < 0 || starPos >= text.length) return false;
    t = starToken + 1;
    pos = ++starPos;
  }
}

/** How many characters a non-star token consumes at `pos`, or -1 when it does not match there. */
function stepWidth(token: Token, text: string, pos: number): number {
  if (token.kind === 'text') return text.startsWith(token.text, pos) ? token.text.length : -1;
  if (pos >= text.length) return -1;
  if (token.kind === 'one') return 1;
  if (token.kind !== 'set') return -1;
  const code = text.charCodeAt(pos);
  const inside = token.ranges.some(([lo, hi]) => code >= lo && code <= hi);
  return inside !== token.negate ? 1 : -1;
}
