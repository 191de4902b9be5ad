// `lockorder.clearRuntimeReports`: after confirmation, asks the server to delete the runtime
// report files of the workspace (and so their diagnostics).

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';

/** Confirm, then delete the report files through the server. */
export async function clearRuntimeReports(client: LanguageClient | undefined): Promise<void> {
  if (!client) return;
  const choice = await vscode.window.showWarningMessage(
    'Delete the lock-order run-time reports of this workspace (the .lockorder report files)? Their findings disappear from the editor.',
    { modal: true }, 'Delete Reports');
  if (choice !== 'Delete Reports') return;
  const answer = await client.sendRequest<{ deleted: number } | null>('lockorder/clearRuntimeReports');
  void vscode.window.showInformationMessage(`Lock Order: deleted ${answer?.deleted ?? 0} report file(s).`);
}
