// Fixes that rewrite `with` statements for lock-order inversions: reorder the items of one
// `with a, b:`, or merge a nested `with a:` / `with b:` into `with acquire(a, b):`.

import type { OrderEdge, Program } from '../program';
import type { Fix, TextEdit } from '../types';
import { insertLine, reindent, textAt } from './describe';
import { declaredFirst } from './swapFix';

/**
 * Swap the two items of a `with a, b:` (or a literal key array) so the locks are taken in the
 * cycle's other order; when `lockorder.order` says the primary edge's order is right, the other
 * edge of a two-lock cycle is the one reordered.
 */
export function reorderItemsFix(program: Program, primary: OrderEdge, edges: OrderEdge[] = [primary]): Fix | undefined {
  const declared = edges.length === 2 ? declaredFirst(program, primary) : undefined;
  const e = declared === 'from' ? edges.find((x) => x !== primary)! : primary;
  if (e.from.hidden || e.to.hidden) return undefined;
  const shape = e.to.chain.length ? undefined : e.to.site && findShape(program, e);
  if (!shape) return undefined;
  const file = e.to.site.file;
  const text = program.textOf(file);
  const fromIndex = shape.items.findIndex((r) => r.start.line === e.from.site.range.start.line
    && r.start.character <= e.from.site.range.start.character && e.from.site.range.end.character <= r.end.character);
  if (fromIndex < 0 || fromIndex === shape.itemIndex) return undefined;
  const a = shape.items[fromIndex];
  const b = shape.items[shape.itemIndex];
  const edits: TextEdit[] = [
    { file, range: a, newText: textAt(text, b) },
    { file, range: b, newText: textAt(text, a) },
  ];
  const why = declared ? ', as lockorder.order declares' : '';
  return { title: `Reorder to take ${textAt(text, b)} before ${textAt(text, a)}${why}`, safe: true, edits };
}

/** Merge `with a:` + nested `with b:` into one `with acquire(a, b):`, adding the import (not for `async with`). */
export function mergeNestedFix(program: Program, e: OrderEdge): Fix | undefined {
  if (e.from.hidden || e.to.hidden) return undefined;
  // lockorder.acquire() is a plain context manager: asyncio locks cannot go through it.
  if (e.from.via === 'async with' || e.to.via === 'async with') return undefined;
  const shape = e.to.chain.length ? undefined : findShape(program, e);
  const outer = shape?.nestedDirectlyIn;
  if (!shape || !outer || outer.items.length !== 1 || shape.items.length !== 1) return undefined;
  const outerItem = outer.items[0];
  if (outerItem.start.line !== e.from.site.range.start.line) return undefined;
  const file = e.to.site.file;
  const text = program.textOf(file);
  const a = textAt(text, outerItem).replace(/\s+as\s+\w+$/, '');
  const b = textAt(text, shape.items[0]).replace(/\s+as\s+\w+$/, '');
  const innerHeader = shape.statementRange.start.line;
  const bodyStart = shape.bodyRange.start.line;
  const edits: TextEdit[] = [{ file, range: outerItem, newText: `acquire(${a}, ${b})` }];
  edits.push({ file, range: { start: { line: innerHeader, character: 0 }, end: { line: bodyStart, character: 0 } }, newText: '' });
  const delta = shape.indent.length - outerIndent(text, outer.statementRange.start.line).length;
  edits.push(...reindent(file, text, bodyStart, shape.bodyRange.end.line, -Math.max(0, delta) ));
  const importEdit = acquireImport(program, file);
  if (importEdit) edits.push(importEdit);
  const needs = 'needs the lockorder runtime installed';
  const title = `Take ${a} and ${b} together with \`with acquire(${a}, ${b}):\` `
    + (outer.bodyOnlyThis ? `(${needs})` : `(${needs}; unsafe: holds ${b} longer than before)`);
  return { title, safe: outer.bodyOnlyThis, edits };
}

function outerIndent(text: string, line: number): string {
  const l = text.split('\n')[line] ?? '';
  return l.slice(0, l.length - l.trimStart().length);
}

function findShape(program: Program, e: OrderEdge) {
  const mod = program.symbols.modules.get(e.to.site.file);
  const r = e.to.site.range;
  return mod?.facts.acquires.find((a) => a.withShape && a.range.start.line === r.start.line
    && a.range.start.character === r.start.character)?.withShape;
}

/** `from lockorder import acquire`, unless the file already imports it. */
function acquireImport(program: Program, file: string): TextEdit | undefined {
  const facts = program.symbols.modules.get(file)?.facts;
  if (!facts || facts.imports.some((i) => i.local === 'acquire' && i.module === 'lockorder')) return undefined;
  return insertLine(file, facts.importInsertLine, 'from lockorder import acquire');
}
