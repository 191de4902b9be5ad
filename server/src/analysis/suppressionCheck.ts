// Suppression hygiene: `# lockorder: ignore[...]` comments that name unknown codes, or that
// suppressed nothing in this run (like ruff's RUF100), and findings whose ignore comment sits
// on another line of the cycle, where it does not apply.

import type { Suppressions } from './events';
import { ruleRegistry, runtimeRuleRegistry } from './rules/registry';
import type { AnalyzeOptions, Finding, Fix, Range, RuleCode, SuppressionNote } from './types';

/** Every code a suppression may name: the static rules and the runtime-only ones. */
const knownCodes = new Set<string>([...ruleRegistry, ...runtimeRuleRegistry].map((r) => r.code));
const staticCodes = ruleRegistry.map((r) => r.code);

/** Whether a rule ran under these options (a suppression of a rule that did not run is not "unused"). */
export function ruleRan(code: string, options: AnalyzeOptions): boolean {
  if (!(staticCodes as string[]).includes(code)) return false;
  const rule = code as RuleCode;
  if (options.select?.length && !options.select.includes(rule)) return false;
  if (options.ignore?.includes(rule)) return false;
  return options.rules?.[rule]?.enabled !== false;
}

/** The suppression comments used in one run: file → line → codes used ('*': a bare ignore). */
export type UsedSuppressions = Map<string, Map<number, Set<string>>>;

/** Record that the comment on `line` of `file` suppressed a finding of `code`. */
export function markUsed(used: UsedSuppressions, file: string, line: number, code: string): void {
  let lines = used.get(file);
  if (!lines) used.set(file, (lines = new Map()));
  let codes = lines.get(line);
  if (!codes) lines.set(line, (codes = new Set()));
  codes.add(code);
}

/** Notes for one file's suppressions: unknown codes, and codes (or bare ignores) that suppressed nothing. */
export function suppressionNotes(
  file: string, suppressions: Suppressions, used: Map<number, Set<string>> | undefined,
  options: AnalyzeOptions, lineText: (line: number) => string,
): SuppressionNote[] {
  const notes: SuppressionNote[] = [];
  for (const [line, codes] of suppressions) {
    const text = lineText(line);
    const comment = commentIn(text);
    if (!comment) continue;
    const usedHere = used?.get(line) ?? new Set<string>();
    const named = [...codes];
    const unknown = named.filter((c) => !knownCodes.has(c));
    const known = named.filter((c) => knownCodes.has(c));
    const range = { start: { line, character: comment.start }, end: { line, character: comment.end } };
    if (unknown.length > 0) {
      notes.push({
        kind: 'unknown-code', file, line, codes: unknown, range,
        message: `Unknown rule code${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} in lockorder suppression `
          + `(known codes: ${[...knownCodes].join(', ')})`,
        fix: known.length > 0 ? listFix(file, line, comment, known, 'Remove unknown code') : undefined,
      });
    }
    if (named.length === 0) {
      if (usedHere.size === 0 && staticCodes.every((c) => ruleRan(c, options))) {
        notes.push({ kind: 'unused', file, line, codes: [], range, message: 'Unused lockorder suppression: no finding is reported on this line',
          fix: removeFix(file, line, text, comment) });
      }
      continue;
    }
    const unused = known.filter((c) => ruleRan(c, options) && !usedHere.has(c));
    if (unused.length === 0) continue;
    const keep = named.filter((c) => !unused.includes(c));
    notes.push({
      kind: 'unused', file, line, codes: unused, range,
      message: `Unused lockorder suppression: no ${unused.join(', ')} finding is reported on this line`,
      fix: keep.length === 0 ? removeFix(file, line, text, comment) : listFix(file, line, comment, keep, 'Remove unused suppression code'),
    });
  }
  return notes;
}

/** Where a line's `# lockorder: ignore...` (or `// lockorder: ignore...`) comment is, with its code list, if any. */
interface CommentSpan {
  start: number;
  end: number;
  /** Where `[...]` starts and ends (exclusive), when the comment has a list. */
  list?: { start: number; end: number };
}

// `# lockorder: ignore[...]` (Python); `// lockorder: ignore[...]` and the same in a block comment (TS/JS).
const commentPattern = /(?:#|\/\/|\/\*)\s*lockorder:\s*ignore(\[[^\]]*\])?(?:\s*\*\/)?/gi;

function commentIn(text: string): CommentSpan | undefined {
  let last: RegExpExecArray | undefined;
  for (const m of text.matchAll(commentPattern)) last = m as RegExpExecArray;
  if (!last) return undefined;
  const start = last.index;
  const end = start + last[0].length;
  const listAt = last[1] ? start + last[0].indexOf(last[1]) : undefined;
  return { start, end, list: listAt !== undefined ? { start: listAt, end: listAt + last[1].length } : undefined };
}

/** Drop the whole comment (and the blanks before it); a line holding only the comment goes. */
function removeFix(file: string, line: number, text: string, comment: CommentSpan): Fix {
  const before = text.slice(0, comment.start);
  const rest = text.slice(comment.end);
  const range: Range = before.trim() === '' && rest.trim() === ''
    ? { start: { line, character: 0 }, end: { line: line + 1, character: 0 } }
    : { start: { line, character: before.replace(/\s+$/, '').length }, end: { line, character: comment.end } };
  return { title: 'Remove unused suppression', safe: true, edits: [{ file, range, newText: '' }] };
}

/** Rewrite the comment's `[...]` list to `codes`. */
function listFix(file: string, line: number, comment: CommentSpan, codes: string[], title: string): Fix {
  const list = comment.list ?? { start: comment.end, end: comment.end };
  const range: Range = { start: { line, character: list.start }, end: { line, character: list.end } };
  return { title, safe: true, edits: [{ file, range, newText: `[${codes.join(', ')}]` }] };
}

/**
 * A finding that no comment suppressed, but whose other site's line carries an ignore of its
 * code: say that the ignore does not apply there. Returns the finding, changed or not.
 */
export function misplacedIgnoreHint(finding: Finding, suppressionsOf: (file: string) => Suppressions | undefined): Finding {
  const own = finding.location;
  for (const site of finding.related) {
    const at = site.location;
    if (at.file === own.file && at.range.start.line === own.range.start.line) continue;
    const codes = suppressionsOf(at.file)?.get(at.range.start.line);
    if (!codes || !(codes.size === 0 || codes.has(finding.code))) continue;
    const where = at.file === own.file ? `line ${at.range.start.line + 1}` : `line ${at.range.start.line + 1} of ${baseName(at.file)}`;
    const ignore = codes.size === 0 ? 'ignore' : `ignore[${finding.code}]`;
    return { ...finding, message: `${finding.message} (an ${ignore} on ${where} does not apply here: put it on this line)` };
  }
  return finding;
}

function baseName(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}
