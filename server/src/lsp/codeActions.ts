// Code actions: each lockorder diagnostic's fixes (read back from `Diagnostic.data`), the
// suppression comment, and `source.fixAll.lockorder`, which applies only the safe fixes.

import { CodeActionKind, type CodeAction, type CodeActionParams, type Diagnostic, type TextEdit, type WorkspaceEdit } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { diagnosticSource, type DiagnosticData, type FixData } from './diagnostics';
import { isScriptFile } from './runtime/lineComments';
import { scriptSuppressionEdit } from './scriptSuppression';
import { suppressionEdit } from './suppression';

/** The fix-all kind this server offers. */
export const fixAllKind = `${CodeActionKind.SourceFixAll}.lockorder`;

/** Whether an action of `kind` answers a request restricted to `only` (no restriction: all but source). */
function wanted(kind: string, only: string[] | undefined): boolean {
  if (!only || only.length === 0) return !kind.startsWith(CodeActionKind.Source);
  return only.some((o) => kind === o || kind.startsWith(`${o}.`));
}

/**
 * The actions for a request: quick fixes for the diagnostics in its context, and fix-all over
 * `fileDiagnostics` (what was last published for the document).
 */
export function codeActions(params: CodeActionParams, doc: TextDocument | undefined, fileDiagnostics: Diagnostic[]): CodeAction[] {
  const only = params.context.only;
  const actions: CodeAction[] = [];
  if (wanted(CodeActionKind.QuickFix, only)) {
    for (const d of params.context.diagnostics) {
      if (d.source !== diagnosticSource) continue;
      actions.push(...fixActions(d, doc));
      const ignore = ignoreAction(d, params.textDocument.uri, doc);
      if (ignore) actions.push(ignore);
    }
  }
  if (wanted(fixAllKind, only)) {
    const all = fixAllAction(fileDiagnostics, doc);
    if (all) actions.push(all);
  }
  return actions;
}

/** The engine's fixes of one diagnostic, as quick fixes; none if the document moved on. */
function fixActions(d: Diagnostic, doc: TextDocument | undefined): CodeAction[] {
  const data = readData(d);
  if (!data || !isCurrent(data, doc)) return [];
  return data.fixes.map((fix) => ({
    title: fix.safe || /unsafe/i.test(fix.title) ? fix.title : `${fix.title} (unsafe)`,
    kind: CodeActionKind.QuickFix,
    diagnostics: [d],
    isPreferred: fix.safe,
    edit: toWorkspaceEdit([fix]),
  }));
}

/** `# lockorder: ignore[CODE]` (TS/JS: `// lockorder: ignore[CODE]`) on the diagnostic's first line. */
function ignoreAction(d: Diagnostic, uri: string, doc: TextDocument | undefined): CodeAction | undefined {
  if (!doc || typeof d.code !== 'string' || !/^LO\d+$/.test(d.code)) return undefined;
  const line = d.range.start.line;
  const lineText = doc.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }).replace(/\r?\n$/, '');
  // An untitled document has no extension: its language says which comment it takes.
  const script = isScriptFile(uri) || /^(?:java|type)script(?:react)?$/.test(doc.languageId);
  const edit = script ? scriptSuppressionEdit(lineText, line, d.code) : suppressionEdit(lineText, line, d.code);
  if (!edit) return undefined;
  return {
    title: `Ignore ${d.code} on this line`,
    kind: CodeActionKind.QuickFix,
    diagnostics: [d],
    edit: { changes: { [uri]: [edit] } },
  };
}

/** Every safe fix of the document's diagnostics, skipping any that overlaps one already taken. */
function fixAllAction(diagnostics: Diagnostic[], doc: TextDocument | undefined): CodeAction | undefined {
  const chosen: FixData[] = [];
  for (const d of diagnostics) {
    const data = readData(d);
    if (!data || !isCurrent(data, doc)) continue;
    const fix = data.fixes.find((f) => f.safe);
    if (fix && !chosen.some((c) => overlaps(c, fix))) chosen.push(fix);
  }
  if (chosen.length === 0) return undefined;
  return { title: 'Fix all safe lockorder problems', kind: fixAllKind, edit: toWorkspaceEdit(chosen) };
}

/**
 * "Fix all in workspace": the first safe fix of every diagnostic of every file, skipping any
 * that overlaps one already taken or was computed for an older version of an open document.
 */
export function workspaceFixAll(files: { diagnostics: Diagnostic[]; doc: TextDocument | undefined }[]): { edit: WorkspaceEdit; fixes: number; files: number } {
  const chosen: FixData[] = [];
  for (const { diagnostics, doc } of files) {
    for (const d of diagnostics) {
      const data = d.source === diagnosticSource ? readData(d) : undefined;
      if (!data || !isCurrent(data, doc)) continue;
      const fix = data.fixes.find((f) => f.safe);
      if (fix && !chosen.some((c) => overlaps(c, fix))) chosen.push(fix);
    }
  }
  const edit = toWorkspaceEdit(chosen);
  return { edit, fixes: chosen.length, files: Object.keys(edit.changes ?? {}).length };
}

function readData(d: Diagnostic): DiagnosticData | undefined {
  const data = d.data as DiagnosticData | undefined;
  return data && Array.isArray(data.fixes) ? data : undefined;
}

/** Fixes computed for an older version of the open document would land in the wrong place. */
function isCurrent(data: DiagnosticData, doc: TextDocument | undefined): boolean {
  return data.version === undefined || !doc || doc.version === data.version;
}

function overlaps(a: FixData, b: FixData): boolean {
  return a.edits.some((x) => b.edits.some((y) => x.uri === y.uri && rangesTouch(x.range, y.range)));
}

function rangesTouch(a: TextEdit['range'], b: TextEdit['range']): boolean {
  const before = (p: TextEdit['range']['start'], q: TextEdit['range']['start']) =>
    p.line < q.line || (p.line === q.line && p.character < q.character);
  return !(before(a.end, b.start) || before(b.end, a.start));
}

/** Group the fixes' edits by URI. */
function toWorkspaceEdit(fixes: FixData[]): WorkspaceEdit {
  const changes: Record<string, TextEdit[]> = {};
  for (const fix of fixes) {
    for (const e of fix.edits) (changes[e.uri] ??= []).push({ range: e.range, newText: e.newText });
  }
  return { changes };
}
