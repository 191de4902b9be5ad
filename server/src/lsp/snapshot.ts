// The diagnostics a workspace last showed, kept in the analysis cache: published again at once
// when the workspace is reopened, before its files are read; the index that follows replaces
// them with what the files say now. Saved a moment after each analysis of the whole workspace.

import type { Diagnostic } from 'vscode-languageserver/node';
import type { AnalysisCache } from '../analysis';

/** How long after an analysis the snapshot is saved (later analyses push it back). */
const SAVE_AFTER_MS = 1000;

/** Diagnostics by URI. */
export type Published = Map<string, Diagnostic[]>;

/** The saved diagnostics of one set of workspace folders. */
export class Snapshot {
  private timer: NodeJS.Timeout | undefined;
  private pending: (() => Published) | undefined;

  constructor(private readonly cache: AnalysisCache | undefined, private readonly folders: () => string[]) {}

  /** The diagnostics saved for these folders, or undefined (none, or unreadable). */
  load(): Published | undefined {
    const text = this.cache?.named(this.name());
    if (text === undefined) return undefined;
    try {
      const entries = JSON.parse(text) as [string, Diagnostic[]][];
      return Array.isArray(entries) ? new Map(entries.filter(([uri, list]) => typeof uri === 'string' && Array.isArray(list))) : undefined;
    } catch {
      return undefined;
    }
  }

  /** Save `published()` soon (the last call wins). */
  saveSoon(published: () => Published): void {
    if (!this.cache) return;
    this.pending = published;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), SAVE_AFTER_MS);
    this.timer.unref();
  }

  /** Save now what is waiting to be saved. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const published = this.pending;
    this.pending = undefined;
    if (!published || !this.cache) return;
    // Without their fixes: restored before the files are read, their ranges may be stale.
    const entries = [...published()].filter(([, list]) => list.length > 0)
      .map(([uri, list]) => [uri, list.map(({ data: _fixes, ...d }) => d)]);
    this.cache.storeNamed(this.name(), JSON.stringify(entries));
    this.cache.finish();
  }

  private name(): string {
    return `workspace\0${[...this.folders()].sort().join('\0')}`;
  }
}
