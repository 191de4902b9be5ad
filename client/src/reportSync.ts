// After a run with lock-order checking ends, tells the server about the report files in the run's
// report folder, as the file watcher would: a watcher can miss a file written right after its
// folder was made, and then the run's findings would not show. The server reads only what is new.

import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { DidChangeWatchedFilesNotification, FileChangeType, type FileEvent, type LanguageClient } from 'vscode-languageclient/node';

/** Send a "changed" file event for every `*.jsonl` file in `reportDir` (nothing if it cannot be read). */
export async function announceReports(client: LanguageClient | undefined, reportDir: string): Promise<void> {
  if (!client?.isRunning()) return;
  let names: string[];
  try {
    names = await fs.readdir(reportDir);
  } catch {
    return;
  }
  const changes: FileEvent[] = names.filter((name) => name.endsWith('.jsonl'))
    .map((name) => ({ uri: vscode.Uri.file(path.join(reportDir, name)).toString(), type: FileChangeType.Changed }));
  if (changes.length > 0) await client.sendNotification(DidChangeWatchedFilesNotification.type, { changes });
}
