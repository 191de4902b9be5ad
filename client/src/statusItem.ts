// The language status item (next to the language mode in the status bar, as Pylance and ruff
// have): shows that lockorder ran, how many files it analyzed and what it found, even in a clean
// workspace. It only draws what the server's `lockorder/status` and `lockorder/indexed` say.

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { anySourceDocument } from './languages';

/** What the server sends after every publication (see server/src/lsp/status.ts). */
interface LockorderStatus {
  files: number;
  findings: number;
  runtimeReports: number;
  indexing: boolean;
}

/** Fires after every `lockorder/status` (the server sends one after every analysis). */
const analyzed = new vscode.EventEmitter<void>();

/** An event after every analysis, even one that changed no diagnostics (the graph view redraws on it). */
export const onAnalyzed = analyzed.event;

/** Create the status item and keep it up to date from the server's notifications. */
export function createStatusItem(client: LanguageClient): vscode.Disposable {
  const item = vscode.languages.createLanguageStatusItem('lockorder.status', [...anySourceDocument, { language: 'lockorder-order' }]);
  item.name = 'Lock Order';
  item.text = 'Lock Order: starting';
  item.busy = true;
  item.command = { title: 'Show Output', command: 'lockorder.showOutput' };
  let indexedMs: number | undefined;
  client.onNotification('lockorder/indexed', (p: { ms: number }) => { indexedMs = p.ms; });
  client.onNotification('lockorder/status', (s: LockorderStatus) => {
    item.busy = s.indexing;
    item.text = statusText(s);
    item.detail = statusDetail(s, indexedMs);
    item.severity = s.findings > 0 ? vscode.LanguageStatusSeverity.Warning : vscode.LanguageStatusSeverity.Information;
    analyzed.fire();
  });
  return item;
}

/** `Lock Order: 3 findings`, or the indexing state. */
export function statusText(s: LockorderStatus): string {
  if (s.indexing) return 'Lock Order: indexing…';
  return `Lock Order: ${s.findings === 0 ? 'no findings' : `${s.findings} finding${s.findings === 1 ? '' : 's'}`}`;
}

/** `1,784 files analyzed in 2.1 s · run-time reports: 2` (Python, TypeScript and JavaScript files alike). */
export function statusDetail(s: LockorderStatus, indexedMs: number | undefined): string {
  const files = `${s.files.toLocaleString('en-US')} file${s.files === 1 ? '' : 's'} analyzed`;
  const time = indexedMs !== undefined && !s.indexing ? ` in ${(indexedMs / 1000).toFixed(1)} s` : '';
  return `${files}${time} · run-time reports: ${s.runtimeReports}`;
}
