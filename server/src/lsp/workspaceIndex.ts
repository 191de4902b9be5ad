// Background indexing of every Python file of the workspace folders: discovery (honouring
// `lockorder.exclude`), reading ahead in small batches, and handing each file to a sink in
// short time slices that yield to the event loop, so requests for open files are served at once.
// Progress goes to the client as LSP work-done progress.

import { excludeGlobs, type Folder } from './folders';
import type { Settings } from './settings';
import { findPythonFiles, readPythonFile, type ReadResult } from './workspaceFiles';

/** Where indexed files go. */
export interface IndexSink {
  /** Settings of a folder. */
  settingsFor(folder: Folder): Promise<Settings>;
  /** A file was read. */
  addFile(path: string, text: string): void;
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

/** How many files are read ahead of the one being handed to the sink. */
const readAhead = 16;
/** The longest stretch of synchronous work before yielding to the event loop. */
const sliceMs = 8;

/** Index every folder; `progress` is begun by the caller and only reported on here. */
export async function indexFolders(folders: Folder[], sink: IndexSink, progress: ProgressSink): Promise<IndexSummary> {
  const files: string[] = [];
  for (const folder of folders) {
    const settings = await sink.settingsFor(folder);
    if (!settings.enable) continue;
    const globs = excludeGlobs(settings, (pattern, message) => sink.problem(folder.path, `bad exclude pattern "${pattern}": ${message}`));
    files.push(...await findPythonFiles(folder.path, globs, (p, m) => sink.problem(p, m)));
    if (sink.cancelled()) return { files, problems: 0, cancelled: true };
  }
  let problems = 0;
  const reads: Promise<ReadResult>[] = files.slice(0, readAhead).map(readPythonFile);
  let sliceStart = Date.now();
  for (let i = 0; i < files.length; i++) {
    if (i + readAhead < files.length) reads.push(readPythonFile(files[i + readAhead]));
    const result = await reads[i];
    delete reads[i];
    if (sink.cancelled()) return { files, problems, cancelled: true };
    if ('text' in result) sink.addFile(files[i], result.text);
    else { problems++; sink.problem(files[i], result.problem); }
    if (i % 25 === 0) progress.report(Math.floor((100 * i) / files.length), `${i}/${files.length} files`);
    if (Date.now() - sliceStart >= sliceMs) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      sliceStart = Date.now();
    }
  }
  return { files, problems, cancelled: false };
}
