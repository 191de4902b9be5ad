// Language features for the order file (`lockorder.order`): its own diagnostics (unknown
// names, duplicates, contradictions, lines that do not parse), completion of lock names,
// go-to-definition of a name to where the lock is created, and hover. Positions past the end
// of a line are clamped to it; a line past the end of the file names nothing.

import {
  CompletionItemKind, DiagnosticSeverity, MarkupKind,
  type CompletionItem, type Diagnostic, type Hover, type Location, type Position,
} from 'vscode-languageserver/node';
import { pathToFileURL } from 'node:url';
import type { FileProblem, LockClass } from '../analysis/index';
import { compileName } from '../analysis/orderNames';

/** The default name of the order file at a workspace root. */
export const orderFileName = 'lockorder.order';

const NAME_CHARS = /[A-Za-z0-9_.*[\]]/;

/** Diagnostics for the order file's own problems. */
export function orderFileDiagnostics(problems: FileProblem[], text: string): Diagnostic[] {
  const lines = text.split(/\r?\n/);
  return problems.filter((p) => p.line !== undefined).map((p) => ({
    range: { start: { line: p.line!, character: 0 }, end: { line: p.line!, character: (lines[p.line!] ?? '').length } },
    severity: /contradiction/.test(p.message) ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    source: 'lockorder',
    message: p.message,
  }));
}

/** The text of one 0-based line, without its line break; undefined past the end of the text. */
function lineText(text: string, line: number): string | undefined {
  if (!Number.isInteger(line) || line < 0) return undefined;
  let start = 0;
  for (let i = 0; i < line; i++) {
    const next = text.indexOf('\n', start);
    if (next < 0) return undefined;
    start = next + 1;
  }
  const end = text.indexOf('\n', start);
  return text.slice(start, end < 0 ? text.length : end).replace(/\r$/, '');
}

/** The lock name (or partial name) under or just before a position (clamped to its line). */
export function nameAt(text: string, pos: Position): { name: string; start: number; end: number; at: number } | undefined {
  const line = lineText(text, pos.line);
  if (line === undefined) return undefined;
  const at = Number.isFinite(pos.character) ? Math.max(0, Math.min(Math.trunc(pos.character), line.length)) : line.length;
  if (line.slice(0, at).includes('#')) return undefined;
  let start = at;
  while (start > 0 && NAME_CHARS.test(line[start - 1])) start--;
  let end = at;
  while (end < line.length && NAME_CHARS.test(line[end])) end++;
  return { name: line.slice(start, end), start, end, at };
}

/** Completion of lock names known from the analyzed code, filtered by what is typed. */
export function completeLockNames(text: string, pos: Position, locks: LockClass[]): CompletionItem[] {
  const typed = nameAt(text, pos);
  const prefix = typed ? typed.name.slice(0, typed.at - typed.start) : '';
  const seen = new Set<string>();
  const items: CompletionItem[] = [];
  for (const lock of locks) {
    if (seen.has(lock.name) || !lock.name.startsWith(prefix)) continue;
    seen.add(lock.name);
    items.push({
      label: lock.name,
      kind: CompletionItemKind.Variable,
      detail: `${lock.kind}${lock.family ? ' (family)' : ''}`,
      documentation: `Created at ${lock.created.file}:${lock.created.range.start.line + 1}`,
    });
  }
  return items.sort((a, b) => a.label.localeCompare(b.label));
}

/** The locks a declared name (possibly with `*`) stands for. */
export function locksNamed(name: string, locks: LockClass[]): LockClass[] {
  const pattern = compileName(name);
  return locks.filter((l) => pattern.matches(l.name));
}

/** Where each lock a name stands for is created. */
export function lockDefinitions(text: string, pos: Position, locks: LockClass[]): Location[] {
  const at = nameAt(text, pos);
  if (!at?.name) return [];
  return locksNamed(at.name, locks).map((l) => ({ uri: pathToFileURL(l.created.file).href, range: l.created.range }));
}

/** Hover on a name: what it stands for and where each lock is created. */
export function orderFileHover(text: string, pos: Position, locks: LockClass[]): Hover | null {
  const at = nameAt(text, pos);
  if (!at?.name) return null;
  const found = locksNamed(at.name, locks);
  const range = { start: { line: pos.line, character: at.start }, end: { line: pos.line, character: at.end } };
  if (found.length === 0) {
    return { range, contents: { kind: MarkupKind.Markdown, value: `\`${at.name}\`: no lock of that name in the analyzed code.` } };
  }
  const lines = found.slice(0, 10).map((l) =>
    `- \`${l.name}\`: ${l.kind}${l.family ? ', a family (one per instance)' : ''}, created at ${l.created.file}:${l.created.range.start.line + 1}`);
  if (found.length > 10) lines.push(`- and ${found.length - 10} more`);
  return { range, contents: { kind: MarkupKind.Markdown, value: [`**${at.name}**`, '', ...lines].join('\n') } };
}
