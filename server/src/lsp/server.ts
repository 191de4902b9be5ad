// The lockorder language server: connection setup and handler wiring only. `node dist/server.js
// --stdio` serves any LSP editor; VS Code starts it over IPC. The work lives in session.ts.

import {
  CodeActionKind, createConnection, DidChangeConfigurationNotification, FileChangeType, ProposedFeatures,
  TextDocuments, TextDocumentSyncKind, type InitializeParams, type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { codeActions, fixAllKind } from './codeActions';
import { noteClosed, noteOpened, pathToUri, uriToPath } from './convert';
import { toFolders, type Folder } from './folders';
import { isAbsolute, join } from 'node:path';
import { graphRequest } from './graphRequest';
import { lockHover } from './hover';
import { completeLockNames, lockDefinitions, orderFileHover } from './orderFile';
import { describe, Session } from './session';
import { SettingsStore } from './settings';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
let session: Session | undefined;
let settings: SettingsStore | undefined;
let dynamicConfiguration = false;
/** The editor draws the lock-order graph (`lockorder.showGraph`): hovers link to it. */
let graphLinks = false;

/** Run a handler, logging (never throwing) on failure, and answer `fallback` then. */
async function guarded<T>(what: string, fallback: T, work: () => Promise<T> | T): Promise<T> {
  try {
    return await work();
  } catch (err) {
    connection.console.error(`lockorder: ${what} failed: ${describe(err)}`);
    return fallback;
  }
}

connection.onInitialize(async (params: InitializeParams): Promise<InitializeResult> => {
  const init = (params.initializationOptions ?? {}) as { debounceMs?: unknown; reportCapBytes?: unknown; settings?: unknown; graphLinks?: unknown; cacheDir?: unknown };
  graphLinks = init.graphLinks === true;
  const caps = params.capabilities;
  dynamicConfiguration = caps.workspace?.didChangeConfiguration?.dynamicRegistration === true;
  settings = new SettingsStore(connection, caps.workspace?.configuration === true, init.settings);
  const debounceMs = typeof init.debounceMs === 'number' && init.debounceMs >= 0 ? init.debounceMs : undefined;
  const reportCapBytes = typeof init.reportCapBytes === 'number' && init.reportCapBytes > 0 ? init.reportCapBytes : undefined;
  const folders = toFolders(params.workspaceFolders, params.rootUri);
  session = new Session(connection, documents, settings, { debounceMs, reportCapBytes, cacheDir: cacheDirOf(init.cacheDir, folders) });
  session.setFolders(folders);
  // The parser is loaded before the editor sends documents, so the first one is analyzed at once.
  await session.started();
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      hoverProvider: true,
      completionProvider: { triggerCharacters: ['.'] },
      definitionProvider: true,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, fixAllKind], resolveProvider: false },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: { name: 'lockorder' },
  };
});

/**
 * The analysis cache's folder: the one the client names (VS Code's workspace storage), else
 * `.lockorder/cache` in the first workspace folder; `false` (or no folder) turns it off.
 */
function cacheDirOf(given: unknown, folders: Folder[]): string | undefined {
  if (given === false) return undefined;
  if (typeof given === 'string' && isAbsolute(given)) return given;
  return folders[0] && join(uriToPath(folders[0].uri), '.lockorder', 'cache');
}

connection.onInitialized(() => {
  if (dynamicConfiguration) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'lockorder' });
  connection.workspace.onDidChangeWorkspaceFolders(() => void guarded('workspace folders change', undefined, async () => {
    session?.setFolders(toFolders(await connection.workspace.getWorkspaceFolders()));
    await session?.indexWorkspace();
  }));
  void session?.indexWorkspace();
});

/** Documents just opened: their first content event is the opening, analyzed at once. */
const justOpened = new Set<string>();
documents.onDidOpen((e) => {
  justOpened.add(e.document.uri);
  noteOpened(e.document.uri, e.document.languageId);
  void guarded('open', undefined, () => session?.opened(e.document.uri));
});
documents.onDidChangeContent((e) => {
  if (justOpened.delete(e.document.uri)) return;
  session?.changed(e.document.uri);
});
documents.onDidClose((e) => void guarded('close', undefined, async () => {
  await session?.closed(e.document.uri);
  // Not when it was opened again meanwhile (a language change closes and reopens a document).
  if (!documents.get(e.document.uri)) noteClosed(e.document.uri);
}));

connection.onDidChangeWatchedFiles((params) => void guarded('file change', undefined, () =>
  session?.diskChanged(params.changes.map((c) => ({ uri: c.uri, deleted: c.type === FileChangeType.Deleted })))));

connection.onDidChangeConfiguration((params) => void guarded('settings change', undefined, async () => {
  if (!session || !settings) return;
  const before = await session.folderSettings();
  const pushed = (params.settings as { lockorder?: unknown } | null)?.lockorder;
  settings.reset(pushed);
  await session.settingsChanged(before);
}));

connection.onHover((params) => guarded('hover', null, async () => {
  const order = session?.orderFileAt(params.textDocument.uri);
  if (order) return orderFileHover(order.text, params.position, order.locks);
  const info = await session?.lockAt(params.textDocument.uri, params.position);
  return info ? lockHover(info, graphLinks) : null;
}));

connection.onCompletion((params) => guarded('completion', [], () => {
  const order = session?.orderFileAt(params.textDocument.uri);
  return order ? completeLockNames(order.text, params.position, order.locks) : [];
}));

connection.onDefinition((params) => guarded('definition', [], () => {
  const order = session?.orderFileAt(params.textDocument.uri);
  return order ? lockDefinitions(order.text, params.position, order.locks) : [];
}));

connection.onCodeAction((params) => guarded('code actions', [], () =>
  codeActions(params, documents.get(params.textDocument.uri), session?.publisher.published(params.textDocument.uri) ?? [])));

connection.onRequest('lockorder/checkWorkspace', () => guarded('workspace check', null, async () => {
  const summary = await session?.indexWorkspace();
  return summary ? { files: summary.files.length, skipped: summary.problems, cancelled: summary.cancelled } : null;
}));

// Params `{ folder: string (URI) }`; answers `{ uri, text, declarations }` (the client writes the file) or null.
connection.onRequest('lockorder/inferredOrderFile', (params: unknown) => guarded('inferring the lock order', null, async () => {
  const folder = (params ?? {}) as { folder?: unknown };
  return typeof folder.folder === 'string' ? (await session?.inferredOrderFile(folder.folder)) ?? null : null;
}));

// Answers `{ edit: WorkspaceEdit, fixes, files }`: every safe fix of every file; the client applies it.
connection.onRequest('lockorder/fixAllInWorkspace', () => guarded('fix all in workspace', null, async () =>
  (await session?.fixAllInWorkspace()) ?? null));

// Params `{ dryRun?: boolean, files?: string[] (URIs) }`; answers `{ deleted, files }`: the report files
// deleted (or, in a dry run, that would be), which the runtime reports module alone decides.
connection.onRequest('lockorder/clearRuntimeReports', (params: unknown) => guarded('clearing runtime reports', null, async () => {
  const { dryRun, files } = (params ?? {}) as { dryRun?: unknown; files?: unknown };
  const only = Array.isArray(files) ? files.filter((f): f is string => typeof f === 'string' && f.startsWith('file:')).map(uriToPath) : undefined;
  const paths = await session?.clearRuntimeReports({ only, dryRun: dryRun === true });
  return paths === undefined ? null : { deleted: dryRun === true ? 0 : paths.length, files: paths.map(pathToUri) };
}));

// The lock-order graph for the editor's view; params and answer in graphRequest.ts.
connection.onRequest('lockorder/graph', (params: unknown) => guarded('lock-order graph', null, () => graphRequest(session, params)));

connection.onShutdown(() => session?.dispose());

process.on('uncaughtException', (err) => connection.console.error(`lockorder: unexpected error: ${describe(err)}`));
process.on('unhandledRejection', (err) => connection.console.error(`lockorder: unexpected error: ${describe(err)}`));

documents.listen(connection);
connection.listen();
