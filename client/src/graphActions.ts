// "Show this cycle in the graph": a code action on every LO101 and LO106 diagnostic, which
// opens the lock-order graph with the diagnostic's edge and cycle emphasised.

import * as vscode from 'vscode';
import type { ShowGraphArgs } from './graphView';

/** The codes whose diagnostics get the action. */
const codes = new Set(['LO101', 'LO106']);

/** The code of a diagnostic, whether given as a string or with its documentation link. */
function codeOf(d: vscode.Diagnostic): string | undefined {
  const code = typeof d.code === 'object' ? d.code.value : d.code;
  return code === undefined ? undefined : String(code);
}

/** Offers the action for lockorder's LO101 and LO106 diagnostics. */
export class GraphActions implements vscode.CodeActionProvider {
  /** The kinds of action it provides. */
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  /** One action per LO101 or LO106 diagnostic in the request's context. */
  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const out: vscode.CodeAction[] = [];
    for (const d of context.diagnostics) {
      const code = codeOf(d);
      if (d.source !== 'lockorder' || !code || !codes.has(code)) continue;
      const title = 'Show this cycle in the graph';
      const action = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
      const args: ShowGraphArgs = { site: { uri: doc.uri.toString(), line: d.range.start.line, character: d.range.start.character, code } };
      action.command = { title, command: 'lockorder.showGraph', arguments: [args] };
      action.diagnostics = [d];
      out.push(action);
    }
    return out;
  }
}
