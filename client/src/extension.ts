// The VS Code side of lockorder: starts the bundled language server (dist/server.js) over IPC
// and registers the commands. All analysis, and the reading of run-time reports, happens in the
// server; the client only runs the user's code under the runtime (trusted workspaces only).

import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { clearRuntimeReports } from './reportCommands';
import { installRuntime } from './installRuntime';
import { announceReports } from './reportSync';
import { runCurrentFile, runTests } from './runCommands';
import { forgetRuntimeCheck, installOffer } from './installOffer';
import { createStatusItem } from './statusItem';
import { fixAllInWorkspace, writeOrderFile } from './workspaceCommands';
import { GraphActions } from './graphActions';
import { showGraph, type ShowGraphArgs } from './graphView';
import { anySourceDocument, sourceDocuments, sourceFileGlob } from './languages';

let client: LanguageClient | undefined;

/** Start the server and register the commands. */
export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      ...sourceDocuments,
      { scheme: 'file', language: 'lockorder-order' },
    ],
    // The server adds "Show in graph" to lock hovers; the link may run only that command. Its
    // analysis cache goes in this workspace's storage folder, outside the workspace.
    initializationOptions: { graphLinks: true, cacheDir: context.storageUri && path.join(context.storageUri.fsPath, 'analysis-cache') },
    markdown: { isTrusted: { enabledCommands: ['lockorder.showGraph'] } },
    synchronize: {
      configurationSection: 'lockorder',
      // Python, TypeScript and JavaScript sources, and the runtime's report files (the server matches lockorder.runtime.reports).
      fileEvents: [
        vscode.workspace.createFileSystemWatcher(sourceFileGlob), vscode.workspace.createFileSystemWatcher('**/*.jsonl'),
        vscode.workspace.createFileSystemWatcher('**/*.order'),
      ],
    },
  };
  client = new LanguageClient('lockorder', 'Lock Order', serverOptions, clientOptions);
  const runEnded = (reportDir: string) => void announceReports(client, reportDir);
  context.subscriptions.push(
    vscode.commands.registerCommand('lockorder.restart', () => client?.restart()),
    vscode.commands.registerCommand('lockorder.showOutput', () => client?.outputChannel.show()),
    vscode.commands.registerCommand('lockorder.checkWorkspace', () => client?.sendRequest('lockorder/checkWorkspace')),
    vscode.commands.registerCommand('lockorder.runWithChecking', () => runCurrentFile(context, runEnded)),
    vscode.commands.registerCommand('lockorder.runTestsWithChecking', () => runTests(context, runEnded)),
    // What the install offer knew about the interpreter is forgotten once pip has ended.
    vscode.commands.registerCommand('lockorder.installRuntime', () => installRuntime(context, forgetRuntimeCheck)),
    ...installOffer(),
    vscode.commands.registerCommand('lockorder.clearRuntimeReports', () => clearRuntimeReports(client)),
    vscode.commands.registerCommand('lockorder.writeOrderFile', () => writeOrderFile(client)),
    vscode.commands.registerCommand('lockorder.fixAllInWorkspace', () => fixAllInWorkspace(client)),
    vscode.commands.registerCommand('lockorder.showGraph', (args?: ShowGraphArgs) => showGraph(context, client, args)),
    vscode.languages.registerCodeActionsProvider(anySourceDocument, new GraphActions(), { providedCodeActionKinds: GraphActions.kinds }),
    createStatusItem(client),
  );
  await client.start();
}

/** Stop the server. */
export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
