// The swap-order fix for a two-lock inversion: take the two locks at one site in the order the
// other site (or `lockorder.order`) uses, by swapping a nested `with a:` / `with b:` pair or two
// straight-line acquire()/release() pairs. Offered only when no code runs between the two
// acquisitions (nor between the two releases), so nothing else changes which lock it runs under.

import type { AcquireFact } from '../events';
import type { OrderEdge, Program } from '../program';
import type { Fix, Range, TextEdit } from '../types';
import { textAt } from './describe';

/**
 * "Take `a` before `b`, as `one` does": for a two-edge cycle, swap the reported edge to the other
 * edge's order; when `lockorder.order` orders the two locks, swap whichever edge goes against it.
 */
export function swapOrderFix(program: Program, edges: OrderEdge[], primary: OrderEdge): Fix | undefined {
  if (edges.length !== 2) return undefined;
  const other = edges.find((e) => e !== primary)!;
  const declared = declaredFirst(program, primary);
  if (declared === 'from') return swapAt(program, other, 'as lockorder.order declares');
  const reason = declared === 'to' ? 'as lockorder.order declares' : `as ${program.where(other.fn)} does`;
  return swapAt(program, primary, reason);
}

/** Which lock of the edge `lockorder.order` declares first, if it orders them. */
export function declaredFirst(program: Program, e: OrderEdge): 'from' | 'to' | undefined {
  const d = program.declared;
  if (!d) return undefined;
  const a = d.find(e.from.lock.name);
  const b = d.find(e.to.lock.name);
  if (a === undefined || b === undefined || a === b) return undefined;
  if (d.before(a, b) && !d.before(b, a)) return 'from';
  if (d.before(b, a) && !d.before(a, b)) return 'to';
  return undefined;
}

/** Swap edge `e`'s two acquisitions so `e.to` is taken first. */
function swapAt(program: Program, e: OrderEdge, reason: string): Fix | undefined {
  if (e.from.hidden || e.to.hidden || e.to.chain.length || e.to.boundAt) return undefined;
  if (e.from.via !== e.to.via || e.from.site.file !== e.to.site.file) return undefined;
  const file = e.to.site.file;
  const text = program.textOf(file);
  const pairs = e.to.via === 'acquire' ? acquirePairs(program, e, text) : withPairs(program, e);
  if (!pairs) return undefined;
  const edits: TextEdit[] = pairs.flatMap(([x, y]) => [
    { file, range: x, newText: textAt(text, y) },
    { file, range: y, newText: textAt(text, x) },
  ]);
  const first = lockText(text, pairs[0][1]);
  const second = lockText(text, pairs[0][0]);
  return {
    title: `Take ${first} before ${second}, ${reason} (swaps the two acquisitions: no code runs between them)`,
    safe: true,
    edits,
  };
}

/** `x` for an item `x as y`, or a statement `x.acquire()`, in backquotes. */
function lockText(text: string, r: Range): string {
  return `\`${textAt(text, r).replace(/\s+as\s+\w+$/, '').replace(/\.acquire\(\s*\)$/, '')}\``;
}

/** A nested `with a:` whose body is only `with b:`: the two item ranges, outer first. */
function withPairs(program: Program, e: OrderEdge): [Range, Range][] | undefined {
  const shape = factAt(program, e.to.site.file, e.to.site.range)?.withShape;
  const outer = shape?.nestedDirectlyIn;
  if (!shape || !outer || !outer.bodyOnlyThis || outer.items.length !== 1 || shape.items.length !== 1) return undefined;
  // The outer lock's item holds its acquisition (`with a:`) or starts it (`a` of `a.runExclusive`).
  if (!contains(outer.items[0], e.from.site.range) && !sameStart(outer.items[0], e.from.site.range)) return undefined;
  return [[outer.items[0], shape.items[0]]];
}

/**
 * Two straight-line `x.acquire()` statements next to each other in one block, released by two
 * `x.release()` statements next to each other: the acquire pair, then the release pair.
 */
function acquirePairs(program: Program, e: OrderEdge, text: string): [Range, Range][] | undefined {
  const outer = factAt(program, e.from.site.file, e.from.site.range)?.release;
  const inner = factAt(program, e.to.site.file, e.to.site.range)?.release;
  const oa = outer?.acquireStatement;
  const ia = inner?.acquireStatement;
  const orl = outer?.releaseStatement;
  const irl = inner?.releaseStatement;
  if (!oa || !ia || !orl || !irl) return undefined;
  const plain = (r: Range, verb: string) => new RegExp(`^[\\w.]+(\\[[\\w.]*\\])?\\.${verb}\\(\\s*\\)$`).test(textAt(text, r));
  if (![oa, ia].every((r) => plain(r, 'acquire')) || ![orl, irl].every((r) => plain(r, 'release'))) return undefined;
  if (oa.start.character !== ia.start.character || irl.start.character !== orl.start.character) return undefined;
  if (!onlyBlank(text, oa.end, ia.start) || !onlyBlank(text, irl.end, orl.start)) return undefined;
  return [[oa, ia], [irl, orl]];
}

/** Nothing but whitespace and comments between two positions. */
function onlyBlank(text: string, from: Range['start'], to: Range['start']): boolean {
  if (to.line < from.line || (to.line === from.line && to.character <= from.character)) return false;
  const between = textAt(text, { start: from, end: to });
  return between.split('\n').every((l) => /^\s*(#.*)?$/.test(l));
}

function factAt(program: Program, file: string, r: Range): AcquireFact | undefined {
  return program.symbols.modules.get(file)?.facts.acquires.find((a) => a.range.start.line === r.start.line
    && a.range.start.character === r.start.character);
}

function contains(outer: Range, inner: Range): boolean {
  const before = (a: Range['start'], b: Range['start']) => a.line < b.line || (a.line === b.line && a.character <= b.character);
  return before(outer.start, inner.start) && before(inner.end, outer.end);
}

function sameStart(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character;
}
