// Test helper: spawns the bundled language server (dist/server.js --stdio) and speaks
// JSON-RPC to it as an editor would, recording published diagnostics, progress and logs.

import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const rpc = require('vscode-languageserver-protocol/node');
const { TextDocument } = require('vscode-languageserver-textdocument');

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const fixtures = join(root, 'test', 'lsp-fixtures');
export const serverPath = join(root, 'dist', 'server.js');

/** A copy of a fixture folder in a fresh temporary directory (removed by `cleanup`). */
export function workspaceFrom(...parts) {
  const dir = mkdtempSync(join(tmpdir(), 'lockorder-lsp-'));
  cpSync(join(fixtures, ...parts), dir, { recursive: true });
  return { dir, uri: pathToFileURL(dir).href, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The file URI of a path. */
export const uriOf = (path) => pathToFileURL(path).href;

/** Apply LSP text edits to a text. */
export function applyEdits(text, edits) {
  return TextDocument.applyEdits(TextDocument.create('file:///x.py', 'python', 1, text), edits);
}

/**
 * Apply a code action's edit to an open document (`{ uri, text }`) of `server`, send the new text
 * as a change, and return it with the diagnostics published for it. Throws when the action edits
 * nothing, or another document.
 */
export async function applyCodeAction(server, doc, action) {
  const edits = action.edit.changes[doc.uri];
  if (!edits || edits.length === 0) throw new Error(`the action "${action.title}" does not edit the document`);
  if (Object.keys(action.edit.changes).length !== 1) throw new Error(`the action "${action.title}" edits other documents`);
  const text = applyEdits(doc.text, edits);
  const version = server.change(doc.uri, [{ text }]);
  const pub = await server.waitForDiagnostics(doc.uri, (p) => p.version === version);
  return { uri: doc.uri, text, diagnostics: pub.diagnostics };
}

/**
 * Start the server on `workspace` (a folder path, or none). `settings(scopeUri)` answers
 * `workspace/configuration`; change what it returns, then call `configurationChanged()`.
 * `server` is the bundle to run (default: dist/server.js); `init` adds initialization options.
 */
export async function startServer({ workspace, settings = () => ({}), debounceMs = 20, server = serverPath, init = {} } = {}) {
  const proc = spawn(process.execPath, [...(process.env.LOCKORDER_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean), server, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (d) => { stderr += d; });
  const conn = rpc.createProtocolConnection(new rpc.StreamMessageReader(proc.stdout), new rpc.StreamMessageWriter(proc.stdin));
  const diagnostics = new Map();
  const waiters = new Set();
  const logs = [];
  const progress = [];
  const statuses = [];
  let indexed;
  const indexedWaiters = [];
  const client = {
    proc, conn, diagnostics, logs, progress, statuses, settings,
    get stderr() { return stderr; },
  };

  conn.onNotification('textDocument/publishDiagnostics', (p) => {
    diagnostics.set(p.uri, p);
    for (const w of [...waiters]) if (w.check(p)) { waiters.delete(w); w.resolve(p); }
  });
  conn.onNotification('window/logMessage', (p) => logs.push(p.message));
  conn.onNotification('$/progress', (p) => progress.push(p.value));
  conn.onNotification('lockorder/status', (p) => statuses.push(p));
  conn.onNotification('lockorder/indexed', (p) => { indexed = p; for (const r of indexedWaiters.splice(0)) r(p); });
  conn.onRequest('workspace/configuration', (p) => p.items.map((item) => client.settings(item.scopeUri)));
  conn.onRequest('window/workDoneProgress/create', () => null);
  conn.onRequest('client/registerCapability', () => null);
  conn.onRequest('window/showMessageRequest', () => null);
  conn.onNotification('window/showMessage', (p) => logs.push(p.message));
  conn.listen();

  const folders = workspace ? [{ uri: uriOf(workspace), name: 'ws' }] : null;
  await conn.sendRequest('initialize', {
    processId: process.pid,
    rootUri: folders ? folders[0].uri : null,
    workspaceFolders: folders,
    initializationOptions: { debounceMs, ...init },
    capabilities: {
      workspace: { configuration: true, workspaceFolders: true, didChangeConfiguration: { dynamicRegistration: true } },
      window: { workDoneProgress: true },
      textDocument: {
        publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
        codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source.fixAll'] } } },
        hover: { contentFormat: ['markdown', 'plaintext'] },
      },
    },
  });
  await conn.sendNotification('initialized', {});

  const versions = new Map();
  Object.assign(client, {
    /** Wait for a publication for `uri` that satisfies `check` (the latest one counts if it does). */
    waitForDiagnostics(uri, check = () => true, timeoutMs = 10000) {
      const latest = diagnostics.get(uri);
      if (latest && check(latest)) return Promise.resolve(latest);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          if (!waiters.delete(w)) return;
          reject(new Error(`no matching diagnostics for ${uri} within ${timeoutMs} ms; last: ${JSON.stringify(diagnostics.get(uri)?.diagnostics ?? null)}`));
        }, timeoutMs);
        const w = { check: (p) => p.uri === uri && check(p), resolve: (p) => { clearTimeout(timer); resolve(p); } };
        waiters.add(w);
      });
    },
    /** Wait until the workspace index has completed (and its findings were published). */
    waitForIndex(timeoutMs = 20000) {
      if (indexed) return Promise.resolve(indexed);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('the workspace index did not complete')), timeoutMs);
        indexedWaiters.push((p) => { clearTimeout(timer); resolve(p); });
      });
    },
    /** Open a file with its text on disk (or `text`). Returns its URI. */
    open(path, text = readFileSync(path, 'utf8'), uri = uriOf(path), languageId = 'python') {
      versions.set(uri, 1);
      void conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
      return uri;
    },
    /** Any request, for features without a helper of their own. */
    request(method, params) {
      return conn.sendRequest(method, params);
    },
    /** Send incremental changes; returns the new version. */
    change(uri, contentChanges) {
      const version = (versions.get(uri) ?? 1) + 1;
      versions.set(uri, version);
      void conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges });
      return version;
    },
    close(uri) {
      void conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
    },
    codeActions(uri, diagnostics, range = diagnostics[0]?.range, only) {
      return conn.sendRequest('textDocument/codeAction', {
        textDocument: { uri }, range, context: { diagnostics, ...(only ? { only } : {}) },
      });
    },
    hover(uri, position) {
      return conn.sendRequest('textDocument/hover', { textDocument: { uri }, position });
    },
    configurationChanged(pushed = null) {
      void conn.sendNotification('workspace/didChangeConfiguration', { settings: pushed });
    },
    /** Whether the server process is still running. */
    alive() { return proc.exitCode === null && proc.signalCode === null; },
    async stop() {
      try {
        await Promise.race([conn.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
        void conn.sendNotification('exit');
      } catch { /* already gone */ }
      await new Promise((r) => { if (!client.alive()) r(); else { proc.once('exit', r); setTimeout(() => { proc.kill(); r(); }, 2000); } });
      conn.dispose();
    },
  });
  return client;
}

/** The LSP position of the first occurrence of `needle` in `text` (after `after`, if given). */
export function positionOf(text, needle, after = '') {
  const start = after ? text.indexOf(after) : 0;
  const offset = text.indexOf(needle, start < 0 ? 0 : start);
  if (offset < 0) throw new Error(`"${needle}" not in text`);
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

/** The 0-based line number of the first line containing `needle` (after `after`, if given). */
export function lineOf(text, needle, after = '') {
  return positionOf(text, needle, after).line;
}
