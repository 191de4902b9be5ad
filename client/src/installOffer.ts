// Offers "Install the lockorder runtime" next to the LO101 fix that adds
// `from lockorder import acquire`, when that import would not resolve in the chosen
// interpreter (trusted workspaces only: finding out runs the interpreter).

import { execFile } from 'node:child_process';
import * as vscode from 'vscode';
import { pythonInterpreter } from './interpreter';

/** Answers per interpreter; a "no" is asked again after a while (the user may install it). */
const known = new Map<string, { answer: Promise<boolean>; at: number }>();
const RECHECK_NO_MS = 30_000;

/** Whether `import lockorder` resolves in an interpreter. */
async function importable(python: string): Promise<boolean> {
  const cached = known.get(python);
  if (cached && (await cached.answer || Date.now() - cached.at < RECHECK_NO_MS)) return cached.answer;
  const answer = new Promise<boolean>((resolve) => {
    execFile(python, ['-c', 'import importlib.util, sys; sys.exit(0 if importlib.util.find_spec("lockorder") else 1)'],
      { timeout: 5000 }, (err) => resolve(!err));
  });
  known.set(python, { answer, at: Date.now() });
  return answer;
}

/** Forget every answer (after installing the runtime). */
export function forgetRuntimeCheck(): void {
  known.clear();
}

/** Whether a diagnostic's fixes add `from lockorder import acquire`. */
function addsAcquireImport(d: vscode.Diagnostic): boolean {
  if (d.source !== 'lockorder') return false;
  const fixes = (d as vscode.Diagnostic & { data?: { fixes?: { edits?: { newText?: string }[] }[] } }).data?.fixes ?? [];
  return fixes.some((f) => (f.edits ?? []).some((e) => e.newText?.includes('from lockorder import acquire')));
}

/** The code action provider; installing the runtime invalidates the cached answer. */
export function installOffer(): vscode.Disposable[] {
  const provider: vscode.CodeActionProvider = {
    async provideCodeActions(document, _range, context) {
      if (!vscode.workspace.isTrusted || !context.diagnostics.some(addsAcquireImport)) return [];
      const python = await pythonInterpreter(document.uri);
      if (await importable(python.path)) return [];
      const action = new vscode.CodeAction(
        'Install the lockorder runtime, so that `from lockorder import acquire` resolves', vscode.CodeActionKind.QuickFix);
      action.command = { command: 'lockorder.installRuntime', title: 'Install the lockorder runtime' };
      action.diagnostics = context.diagnostics.filter(addsAcquireImport);
      return [action];
    },
  };
  // Python documents only: the import it resolves is Python's (TS/JS fixes add no import to install).
  return [
    vscode.languages.registerCodeActionsProvider({ language: 'python' }, provider, { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] }),
  ];
}
