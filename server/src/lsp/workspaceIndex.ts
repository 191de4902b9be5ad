// Background indexing of every source file (Python, TypeScript, JavaScript) of the workspace folders: discovery (honouring
// `lockorder.exclude`), reading, and handing the files to the engine in batches that it parses
// in worker threads, so the main thread stays free and opened files are served at once.
// Progress goes to the client as LSP work-done progress.

import { excludeGlobs, type Folder } from './folders';
import type { Settings } from './settings';
import { findSourceFiles, readSourceFile } from './workspaceFiles';
import { sourceLanguage } from '../analysis';

/** Where indexed files go. */
export interface IndexSink {
  /** Settings of a folder. */
  settingsFor(folder: Folder): Promise<Settings>;
  /** Hand a batch of files to the engine (parsed off the main thread); `onParsed` counts them. */
  addFiles(files: { path: string; text: string }[], onParsed: (done: number) => void): Promise<void>;
  /** A file could not be used. */
  problem(path: string, message: string): void;
  /** Whether this indexing run has been superseded by a newer one. */
  cancelled(): boolean;
}

/** Where progress goes (an LSP work-done progress, or nowhere). */
export interface ProgressSink {
  report(percentage: number, message?: string): void;
}

/** What an indexing run found. */
export interface IndexSummary {
  files: string[];
  problems: number;
  cancelled: boolean;
}

/** Files read at once. */
const readBatch = 32;
/** A batch handed to the engine closes at this many files or this many bytes of text. */
const parseBatchFiles = 400;
const parseBatchChars = 8 * 1024 * 1024;
/**
 * TS/JS files are walked on the main thread (the type checker needs them all in one project), so
 * a batch closes at this many of them: between batches the server answers the editor (an edit,
 * a hover) instead of making it wait for the whole workspace.
 */
const scriptBatchFiles = 25;

/** Index every folder; `progress` is begun by the caller and only reported on here. */
export async function indexFolders(folders: Folder[], sink: IndexSink, progress: ProgressSink): Promise<IndexSummary> {
  const files: string[] = [];
  for (const folder of folders) {
    const settings = await sink.settingsFor(folder);
    if (!settings.enable) continue;
    const globs = excludeGlobs(settings, (pattern, message) => sink.problem(folder.path, `bad exclude pattern "${pattern}": ${message}`));
    files.push(...await findSourceFiles(folder.path, globs, (p, m) => sink.problem(p, m)));
    if (sink.cancelled()) return { files, problems: 0, cancelled: true };
  }
  let problems = 0;
  let parsed = 0;
  let batch: { path: string; text: string }[] = [];
  let batchChars = 0;
  let batchScripts = 0;
  const report = () => progress.report(Math.floor((100 * (parsed + problems)) / Math.max(1, files.length)), `${parsed + problems}/${files.length} files`);
  const flush = async () => {
    const base = parsed;
    const work = batch;
    batch = [];
    batchChars = 0;
    batchScripts = 0;
    await sink.addFiles(work, (done) => { parsed = base + done; if (done % 25 === 0) report(); });
    parsed = base + work.length;
    report();
  };
  for (let i = 0; i < files.length; i += readBatch) {
    const chunk = files.slice(i, i + readBatch);
    const results = await Promise.all(chunk.map(readSourceFile));
    if (sink.cancelled()) return { files, problems, cancelled: true };
    results.forEach((result, j) => {
      if ('text' in result) {
        batch.push({ path: chunk[j], text: result.text });
        batchChars += result.text.length;
        if (sourceLanguage(chunk[j]) === 'typescript') batchScripts++;
      } else {
        problems++;
        sink.problem(chunk[j], result.problem);
      }
    });
    if (batch.length >= parseBatchFiles || batchChars >= parseBatchChars || batchScripts >= scriptBatchFiles) await flush();
    if (sink.cancelled()) return { files, problems, cancelled: true };
  }
  if (batch.length > 0) await flush();
  return { files, problems, cancelled: sink.cancelled() };
}
