// The outcome of one `lockorder check` run, as every output format sees it, with helpers
// for sorting findings, counting them by code, and 1-based positions.

import type { FileProblem, Finding, LockClass, Range, SuppressionNote } from '../analysis/index';
import type { SkippedPath } from './files';

/** Everything an output format needs. */
export interface CheckReport {
  /** The directory paths are shown relative to. */
  cwd: string;
  /** Findings, sorted by file and position. */
  findings: Finding[];
  /** Files the engine only partly parsed. */
  problems: FileProblem[];
  /** Suppression comments naming unknown codes or suppressing nothing (warnings, not findings). */
  suppressionNotes: SuppressionNote[];
  /** Files or directories that could not be read. */
  skipped: SkippedPath[];
  /** How many files were analyzed. */
  fileCount: number;
  /** The text of each analyzed file, by absolute path (read on demand when the run did not need it). */
  sources: { get(file: string): string | undefined };
  /** The lock classes the engine found, by id. */
  locks: Map<string, LockClass>;
}

/** A range with 1-based lines and columns (end column exclusive), as editors show them. */
export interface OneBasedRange {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** Convert a 0-based range to 1-based numbers. */
export function oneBased(range: Range): OneBasedRange {
  return {
    line: range.start.line + 1,
    column: range.start.character + 1,
    endLine: range.end.line + 1,
    endColumn: range.end.character + 1,
  };
}

/** Sort findings by file, line, column, then code. */
export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort((a, b) =>
    compare(a.location.file, b.location.file)
    || a.location.range.start.line - b.location.range.start.line
    || a.location.range.start.character - b.location.range.start.character
    || compare(a.code, b.code));
}

/** How many findings each code has, codes in order. */
export function countByCode(findings: Finding[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const f of findings) counts.set(f.code, (counts.get(f.code) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => compare(a[0], b[0]));
}

/** `1 file`, `2 files`. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
