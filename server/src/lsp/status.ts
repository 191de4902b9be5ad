// The `lockorder/status` notification: what the editor's status item shows, so a clean
// workspace still says that lockorder ran. Sent after every publication of diagnostics.

import type { Connection, Diagnostic } from 'vscode-languageserver/node';

/** What the status item shows. */
export interface LockorderStatus {
  /** Python files known to the analysis (indexed from disk, or open). */
  files: number;
  /** Diagnostics published, static and run-time, over every file. */
  findings: number;
  /** Run-time report files read. */
  runtimeReports: number;
  /** The workspace index has not completed yet: counts cover the open files only. */
  indexing: boolean;
}

/** Count what was published, per URI, into the status. */
export function statusOf(published: Diagnostic[][], files: number, runtimeReports: number, indexing: boolean): LockorderStatus {
  const findings = published.reduce((n, list) => n + list.length, 0);
  return { files, findings, runtimeReports, indexing };
}

/** Send the status; an editor that does not listen just ignores it. */
export function sendStatus(connection: Connection, status: LockorderStatus): void {
  void connection.sendNotification('lockorder/status', status).catch(() => undefined);
}
