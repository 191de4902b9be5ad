// `lockorder.writeOrderFile` and `lockorder.fixAllInWorkspace`. The server computes (the inferred
// order's text, every safe fix as one workspace edit); the client writes the order file the user
// asked for, inside the workspace folder, after confirming an overwrite, and applies the edit.

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { pickFolder } from './runCommands';

/** The server's answer to `lockorder/inferredOrderFile`. */
interface InferredOrder {
  uri: string;
  text: string;
  declarations: number;
}

/** Write the inferred lock order to the folder's order file and open it. */
export async function writeOrderFile(client: LanguageClient | undefined): Promise<void> {
  if (!client) return;
  const folder = await pickFolder(false);
  if (!folder) {
    void vscode.window.showInformationMessage('Lock Order: open a folder to write its lock order file.');
    return;
  }
  const answer = await client.sendRequest<InferredOrder | null>('lockorder/inferredOrderFile', { folder: folder.uri.toString() });
  if (!answer) {
    void vscode.window.showErrorMessage('Lock Order: the lock order could not be inferred; the Output channel says why.');
    return;
  }
  const target = vscode.Uri.parse(answer.uri);
  if (vscode.workspace.getWorkspaceFolder(target)?.uri.toString() !== folder.uri.toString()) {
    void vscode.window.showErrorMessage(`Lock Order: not writing ${target.fsPath}: it is not inside ${folder.name}.`);
    return;
  }
  const name = vscode.workspace.asRelativePath(target);
  if (await exists(target)) {
    const choice = await vscode.window.showWarningMessage(`Overwrite ${name} with the inferred lock order?`,
      { modal: true, detail: 'Its declarations are kept; the locks the analysis ranks are added in their inferred order.' }, 'Overwrite');
    if (choice !== 'Overwrite') return;
  }
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(answer.text));
  await vscode.window.showTextDocument(target);
  void vscode.window.showInformationMessage(`Lock Order: wrote ${answer.declarations} declaration${answer.declarations === 1 ? '' : 's'} to ${name}.`);
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/** The server's answer to `lockorder/fixAllInWorkspace`. */
interface FixAllAnswer {
  edit: unknown;
  fixes: number;
  files: number;
}

/** Apply every safe fix in every file, as one edit, and say how many. */
export async function fixAllInWorkspace(client: LanguageClient | undefined): Promise<void> {
  if (!client) return;
  const answer = await client.sendRequest<FixAllAnswer | null>('lockorder/fixAllInWorkspace');
  if (!answer || answer.fixes === 0) {
    void vscode.window.showInformationMessage('Lock Order: there are no safe fixes to apply in the workspace.');
    return;
  }
  const edit = await client.protocol2CodeConverter.asWorkspaceEdit(answer.edit as Parameters<typeof client.protocol2CodeConverter.asWorkspaceEdit>[0]);
  const applied = edit && await vscode.workspace.applyEdit(edit);
  const files = `${answer.files} file${answer.files === 1 ? '' : 's'}`;
  if (applied) void vscode.window.showInformationMessage(`Lock Order: applied ${answer.fixes} safe fix${answer.fixes === 1 ? '' : 'es'} in ${files}.`);
  else void vscode.window.showErrorMessage(`Lock Order: the ${answer.fixes} fixes in ${files} could not be applied (a file changed meanwhile?).`);
}
