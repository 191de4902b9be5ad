// Path globs shared by the CLI's --exclude and the server's `lockorder.exclude` and
// `lockorder.runtime.reports`: `**` (any number of path segments), `*`, `?`, `[...]`, and
// optionally `{a,b}`. A glob is matched segment by segment, keeping the set of pattern
// positions reached (an NFA), so time grows with path length times pattern length, whatever
// the pattern: repeated `**/` cannot make it backtrack.

import { compileWildcard, matchWildcard, type Wildcard } from './wildcard';

/** One element of a compiled path glob: a segment pattern, or `**`. */
type Part = Wildcard | 'globstar';

/** A compiled path glob (one alternative per `{a,b}` expansion). */
export interface PathGlob {
  readonly alternatives: readonly (readonly Part[])[];
}

/** Most alternatives one pattern may expand to through `{a,b}` (beyond that it is refused). */
export const maxAlternatives = 256;

/** Compile a `/`-separated glob; throws an Error with a one-line message on a malformed one. */
export function compilePathGlob(pattern: string, braces: boolean): PathGlob {
  const expanded = braces ? expandBraces(pattern) : [pattern];
  return { alternatives: expanded.map(compileParts) };
}

function compileParts(pattern: string): Part[] {
  const parts: Part[] = [];
  for (const segment of pattern.split('/')) {
    if (segment === '**') {
      if (parts[parts.length - 1] !== 'globstar') parts.push('globstar');
    } else parts.push(compileWildcard(segment, true));
  }
  return parts;
}

/** Whether a `/`-separated path matches the glob as a whole. */
export function matchPathGlob(glob: PathGlob, path: string): boolean {
  const segments = path.split('/');
  return glob.alternatives.some((parts) => matchParts(parts, segments));
}

/** Whether a single segment (no `/`) matches a one-segment glob, in any alternative. */
export function matchSegmentGlob(glob: PathGlob, segment: string): boolean {
  return glob.alternatives.some((parts) => parts.length === 1
    && (parts[0] === 'globstar' ? true : matchWildcard(parts[0], segment)));
}

/** NFA simulation: `reached[i]` says pattern position i is reached after the segments so far. */
function matchParts(parts: readonly Part[], segments: string[]): boolean {
  const start = new Uint8Array(parts.length + 1);
  start[0] = 1;
  let reached = closure(parts, start);
  for (const segment of segments) {
    const next = new Uint8Array(parts.length + 1);
    let any = false;
    for (let i = 0; i < parts.length; i++) {
      if (!reached[i]) continue;
      const part = parts[i];
      if (part === 'globstar') {
        next[i] = 1;
        any = true;
      } else if (matchWildcard(part, segment)) {
        next[i + 1] = 1;
        any = true;
      }
    }
    if (!any) return false;
    reached = closure(parts, next);
  }
  return reached[parts.length] === 1;
}

/** A reached `**` may also match no segment at all: reach the position after it too. */
function closure(parts: readonly Part[], reached: Uint8Array): Uint8Array {
  for (let i = 0; i < parts.length; i++) if (reached[i] && parts[i] === 'globstar') reached[i + 1] = 1;
  return reached;
}

/** Expand `{a,b}` alternatives (nested allowed), innermost first, without recursion. */
function expandBraces(pattern: string): string[] {
  const done: string[] = [];
  let pending = [pattern];
  while (pending.length > 0) {
    const next: string[] = [];
    for (const p of pending) {
      const open = innermostBrace(p);
      if (open === undefined) done.push(p);
      else {
        const close = p.indexOf('}', open);
        const options = p.slice(open + 1, close).split(',');
        for (const o of options) next.push(p.slice(0, open) + o + p.slice(close + 1));
      }
      if (done.length + next.length > maxAlternatives) {
        throw new Error(`more than ${maxAlternatives} alternatives in {...}`);
      }
    }
    pending = next;
  }
  return [...new Set(done)];
}

/** The `{` of the first innermost `{...}` pair, or undefined; an unclosed `{` throws. */
function innermostBrace(p: string): number | undefined {
  let open: number | undefined;
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '{') open = i;
    else if (p[i] === '}' && open !== undefined) return open;
  }
  if (open !== undefined) throw new Error('unclosed "{"');
  return undefined;
}
