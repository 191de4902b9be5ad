// The VS Code side of lockorder: starts the bundled language server (dist/server.js) over IPC
// and registers the three commands. All analysis happens in the server.

import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

/** Start the server and register the commands. */
export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: 'file', language: 'python' }, { scheme: 'untitled', language: 'python' }],
    synchronize: {
      configurationSection: 'lockorder',
      fileEvents: vscode.workspace.createFileSystemWatcher('**/*.py'),
    },
  };
  client = new LanguageClient('lockorder', 'Lock Order', serverOptions, clientOptions);
  context.subscriptions.push(
    vscode.commands.registerCommand('lockorder.restart', () => client?.restart()),
    vscode.commands.registerCommand('lockorder.showOutput', () => client?.outputChannel.show()),
    vscode.commands.registerCommand('lockorder.checkWorkspace', () => client?.sendRequest('lockorder/checkWorkspace')),
  );
  await client.start();
}

/** Stop the server. */
export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
