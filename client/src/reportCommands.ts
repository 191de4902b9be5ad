// `lockorder.clearRuntimeReports`: asks the server which report files it would delete, shows
// them in the confirmation, then asks it to delete exactly those. The server alone decides what
// is a report file it may delete (see server/src/lsp/runtime/reportDeletion.ts).

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { confirmationDetail } from './reportList';

/** The server's answer to `lockorder/clearRuntimeReports`. */
interface ClearAnswer {
  deleted: number;
  /** URIs of the files deleted (or, in a dry run, that would be). */
  files: string[];
}

/** List, confirm, then delete the report files through the server. */
export async function clearRuntimeReports(client: LanguageClient | undefined): Promise<void> {
  if (!client) return;
  const listed = await client.sendRequest<ClearAnswer | null>('lockorder/clearRuntimeReports', { dryRun: true });
  const files = listed?.files ?? [];
  if (files.length === 0) {
    void vscode.window.showInformationMessage('Lock Order: there are no run-time report files to delete.');
    return;
  }
  const names = files.map((uri) => vscode.workspace.asRelativePath(vscode.Uri.parse(uri)));
  const choice = await vscode.window.showWarningMessage(
    `Delete ${files.length} lock-order run-time report file${files.length === 1 ? '' : 's'}? Their findings disappear from the editor.`,
    { modal: true, detail: confirmationDetail(names) }, 'Delete Reports');
  if (choice !== 'Delete Reports') return;
  const answer = await client.sendRequest<ClearAnswer | null>('lockorder/clearRuntimeReports', { files });
  void vscode.window.showInformationMessage(`Lock Order: deleted ${answer?.deleted ?? 0} report file(s).`);
}
