// Suppression notes (unknown codes, suppressions that suppressed nothing) as diagnostics:
// source `lockorder`, no rule code but `unknown-code` / `unused-suppression`, a hint faded as
// unnecessary for unused ones, and the engine's removal edit as a quick fix.

import { DiagnosticSeverity, DiagnosticTag, type Diagnostic } from 'vscode-languageserver/node';
import type { RuleCode, SuppressionNote } from '../analysis';
import { diagnosticSource, type DiagnosticData } from './diagnostics';
import { pathToUri } from './convert';
import { ruleEnabled, type Settings } from './settings';

/** The diagnostic codes of suppression notes (never an LO code: those are the rules'). */
export const noteCodes = { unused: 'unused-suppression', 'unknown-code': 'unknown-code' } as const;

/**
 * The notes worth showing under a file's settings: the server analyzes with every rule on, so
 * an unused note about a rule these settings turn off (or a bare ignore while any rule is off,
 * or lockorder is disabled) is dropped: that rule did not run for this file. So is one whose
 * comment silenced a run-time finding (`runtimeUsed`: 0-based line → codes).
 */
export function visibleNotes(notes: SuppressionNote[], settings: Settings, allCodes: RuleCode[],
  runtimeUsed?: Map<number, Set<string>>): SuppressionNote[] {
  return notes.filter((n) => {
    if (n.kind !== 'unused') return settings.enable;
    const named = n.codes.length === 0 ? allCodes : (n.codes as RuleCode[]);
    const silenced = runtimeUsed?.get(n.line);
    if (silenced && (n.codes.length === 0 || n.codes.some((c) => silenced.has(c)))) return false;
    return named.every((c) => ruleEnabled(settings, c));
  });
}

/** One note as a diagnostic. */
export function noteDiagnostic(note: SuppressionNote, version?: number): Diagnostic {
  const data: DiagnosticData = {
    version,
    fixes: note.fix ? [{
      title: note.fix.title,
      safe: note.fix.safe,
      edits: note.fix.edits.map((e) => ({ uri: pathToUri(e.file), range: e.range, newText: e.newText })),
    }] : [],
  };
  const unused = note.kind === 'unused';
  return {
    range: note.range,
    severity: unused ? DiagnosticSeverity.Hint : DiagnosticSeverity.Information,
    code: noteCodes[note.kind],
    source: diagnosticSource,
    message: note.message,
    ...(unused ? { tags: [DiagnosticTag.Unnecessary] } : {}),
    data,
  };
}
