// The analysis session: one long-lived engine `Project` holding the workspace files and the
// open documents, a debounce for edits, serialized analysis runs, and publishing of every
// file whose findings changed (closed files keep theirs: the whole program is analyzed).
// Until the first index completes, open documents are analyzed in a small project of their
// own, so they get diagnostics at once; then everything moves to the workspace project.

import type { Connection, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic, WorkspaceEdit } from 'vscode-languageserver/node';
import { AnalysisCache, isSourceFile, Project, ruleRegistry, type GraphSelection, type LockGraph, type Finding, type LockClass, type LockHover, type Position, type SuppressionNote } from '../analysis';
import { orderFileDiagnostics } from './orderFile';
import { readWorkspaceOrderFile } from './orderFileRead';
import { isAbsolute, join, relative } from 'node:path';
import { normalizeUri, pathToUri, uriToPath } from './convert';
import { workspaceFixAll } from './codeActions';
import { DiagnosticPublisher, toDiagnostic } from './diagnostics';
import { excludeGlobs, folderOf, type Folder } from './folders';
import { ruleEnabled, type Settings, type SettingsStore } from './settings';
import { sendStatus, statusOf } from './status';
import { debounceFor, longDebounceMs } from './debounce';
import { noteDiagnostic, visibleNotes } from './suppressionNotes';
import { indexFolders, type IndexSummary } from './workspaceIndex';
import { isIndexedSource, readSourceFile } from './workspaceFiles';
import { runtimeOnly, staticKey, withConfirmation } from './runtime/merge';
import { RuntimeReports, type ReportWorkspace, type RuntimeView } from './runtime/reports';
import { Snapshot, type Published } from './snapshot';

/** Internal knobs, settable through `initializationOptions` for tests and benchmarks. */
export interface SessionOptions {
  /** A fixed pause after the last keystroke; undefined: chosen per edit (see debounce.ts). */
  debounceMs?: number;
  /** Runtime report files are read up to this many bytes (default 50 MB). */
  reportCapBytes?: number;
  /** The analysis cache's folder (VS Code's workspace storage, else `.lockorder/cache`); none: no cache. */
  cacheDir?: string;
}

/** How long the index waits at start for the editor to open its documents, which are analyzed first. */
const openFirstMs = 100;

/** Every static rule code (a bare ignore names them all). */
const staticRuleCodes = ruleRegistry.map((r) => r.code);

/** Holds the project and keeps every file's diagnostics in step with it. */
export class Session {
  readonly publisher: DiagnosticPublisher;
  /** The runtime's report files and their findings. */
  private readonly runtime: RuntimeReports;
  private project: Project | undefined;
  /** The open documents alone, analyzed while the first index runs. */
  private quick: Project | undefined;
  private indexedOnce = false;
  private readonly ready: Promise<Project | undefined>;
  private folders: Folder[] = [];
  /** Workspace files on disk that the project holds (open documents override their text). */
  private readonly diskFiles = new Set<string>();
  /** Open documents whose latest text the project has not seen yet. */
  private readonly dirty = new Set<string>();
  /** Open documents kept out of the project because they are excluded. */
  private readonly excludedOpen = new Set<string>();
  /** The version of each open document the project last saw. */
  private readonly analyzedVersion = new Map<string, number>();
  private findings = new Map<string, Finding[]>();
  /** Suppression notes of the last analysis, by URI. */
  private notes = new Map<string, SuppressionNote[]>();
  /** The version of each open document that `findings` were computed from (a hover may flush newer ones since). */
  private findingsVersion = new Map<string, number>();
  /** Every lock of the last analysis (order-file completion, definition and hover). */
  private locks: LockClass[] = [];
  /** The order file of the last analysis, and its own diagnostics. */
  private order: { uri: string; diagnostics: Diagnostic[] } | undefined;
  private readonly reportedProblems = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();
  private queued: Promise<void> | undefined;
  private generation = 0;
  /** The CPU time of the last analysis run, in ms (undefined before the first): unlike the wall-clock time, a busy machine does not inflate it. */
  private lastRunMs: number | undefined;
  private indexing: Promise<IndexSummary> | undefined;
  /** Files' facts of earlier sessions, and the diagnostics they last showed. */
  private readonly cache: AnalysisCache | undefined;
  private readonly snapshot: Snapshot;
  /** Diagnostics of the last session, shown for closed files until the first index is complete. */
  private restored: Published | undefined;

  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly settings: SettingsStore,
    private readonly options: SessionOptions,
  ) {
    this.publisher = new DiagnosticPublisher(connection);
    this.runtime = new RuntimeReports({
      log: (message) => connection.console.info(message),
      warn: (message) => { connection.console.warn(message); void connection.window.showWarningMessage(message); },
    }, options.reportCapBytes);
    this.cache = options.cacheDir === undefined ? undefined
      : new AnalysisCache({ dir: options.cacheDir, warn: (message) => connection.console.warn(`lockorder: ${message}`) });
    this.snapshot = new Snapshot(this.cache, () => this.folders.map((f) => f.uri));
    this.ready = Promise.all([Project.create({ cache: this.cache }), Project.create()]).then(([main, quick]) => {
      this.project = main;
      this.quick = quick;
      return main;
    }, (err) => {
      const message = `lockorder: the analysis engine could not start (${err instanceof Error ? err.message : String(err)}); no diagnostics will be shown.`;
      connection.console.error(message);
      void connection.window.showErrorMessage(message);
      return undefined;
    });
  }

  /** Resolves when the analysis engine is loaded (or could not be). */
  async started(): Promise<void> {
    await this.ready;
  }

  /** Set the workspace folders (at start and when they change). */
  setFolders(folders: Folder[]): void {
    this.folders = folders;
  }

  /** A document was opened: analyze it at once, without waiting for the index. */
  opened(uri: string): Promise<void> {
    this.dirty.add(uri);
    return this.analyzeNow();
  }

  /** A document changed: analyze after the debounce. */
  changed(uri: string): void {
    this.dirty.add(uri);
    if (this.timer) clearTimeout(this.timer);
    const pause = this.options.debounceMs ?? debounceFor(this.lastRunMs);
    this.timer = setTimeout(() => { this.timer = undefined; void this.requestRun(); }, pause);
  }

  /** A document was closed: the project goes back to the file on disk, or forgets it. */
  async closed(uri: string): Promise<void> {
    this.dirty.delete(uri);
    this.excludedOpen.delete(uri);
    this.analyzedVersion.delete(uri);
    this.findingsVersion.delete(uri);
    const project = await this.ready;
    if (!project) return;
    const path = uriToPath(uri);
    this.quick?.removeFile(path);
    if (this.diskFiles.has(path)) await this.reloadFromDisk(path);
    else project.removeFile(path);
    this.changedElsewhere();
  }

  /** Files changed on disk (watched-file events); open documents keep their editor text. */
  async diskChanged(changes: { uri: string; deleted: boolean }[]): Promise<void> {
    let reports = false;
    let sources = false;
    for (const change of changes) {
      const path = uriToPath(change.uri);
      // A source file is never a report, whatever a broad reports glob (`**/*`) matches.
      if (!isSourceFile(path) && await this.runtime.isReport(this.reportWorkspace(), path)) {
        reports = (await this.runtime.fileChanged(this.reportWorkspace(), path, change.deleted)) || reports;
        continue;
      }
      sources = true;
      if (this.documents.get(change.uri)) continue;
      if (change.deleted) {
        if (this.diskFiles.delete(path)) this.project?.removeFile(path);
      } else if (await this.isIndexed(path)) {
        await this.reloadFromDisk(path);
      }
    }
    if (sources) this.changedElsewhere();
    if (reports) await this.exclusive(() => this.publishAll());
  }

  /** Delete the runtime report files (`only` these paths, if given), or with `dryRun` list them; returns their paths. */
  async clearRuntimeReports(options: { only?: string[]; dryRun?: boolean } = {}): Promise<string[]> {
    const paths = await this.runtime.clear(this.reportWorkspace(), options);
    if (!options.dryRun) await this.exclusive(() => this.publishAll());
    return paths;
  }

  /** The workspace as the runtime reports see it. */
  private reportWorkspace(): ReportWorkspace {
    return {
      folders: this.folders,
      settingsFor: (folder) => this.settings.get(folder.uri),
      openText: (path) => this.documents.get(pathToUri(path))?.getText(),
    };
  }

  /** The hover facts of a lock at a position, with the document's latest text. */
  async lockAt(uri: string, position: Position): Promise<LockHover | undefined> {
    await this.ready;
    const project = this.active();
    if (!project) return undefined;
    if (this.dirty.has(uri)) await this.flush(project, [uri]);
    return project.lockAt(uriToPath(uri), position);
  }

  /** Settings were changed: re-read them, re-index if a folder's file set changed, re-publish. */
  async settingsChanged(before: Map<string, Settings>): Promise<void> {
    for (const uri of this.documents.keys()) this.dirty.add(uri);
    let reindex = false;
    for (const folder of this.folders) {
      const now = await this.settings.get(folder.uri);
      const old = before.get(folder.uri);
      if (!old || old.enable !== now.enable || old.runtimeReports !== now.runtimeReports || JSON.stringify(old.exclude) !== JSON.stringify(now.exclude)) reindex = true;
    }
    if (reindex) await this.indexWorkspace();
    else await this.analyzeNow();
  }

  /** The settings of every folder, to compare after a change. */
  async folderSettings(): Promise<Map<string, Settings>> {
    const map = new Map<string, Settings>();
    for (const folder of this.folders) map.set(folder.uri, await this.settings.get(folder.uri));
    return map;
  }

  /** (Re-)index the workspace in the background, with progress; a newer call supersedes an older one. */
  indexWorkspace(): Promise<IndexSummary> {
    const run = this.runIndex(++this.generation);
    this.indexing = run;
    return run;
  }

  /** The running (or last) index, for callers that want to wait for it. */
  whenIndexed(): Promise<IndexSummary> | undefined {
    return this.indexing;
  }

  private async runIndex(generation: number): Promise<IndexSummary> {
    const project = await this.ready;
    if (!this.indexedOnce && !this.restored) this.restore();
    // Documents opened with the editor are analyzed first: they are what the user looks at.
    await new Promise((resolve) => setTimeout(resolve, openFirstMs));
    await this.chain;
    const started = Date.now();
    const progress = await this.connection.window.createWorkDoneProgress().catch(() => undefined);
    progress?.begin('Lock Order: indexing', 0, 'Finding source files…', false);
    const seen = new Set<string>();
    let summary: IndexSummary = { files: [], problems: 0, cancelled: false };
    try {
      if (project) {
        const noProgress = { report: () => undefined };
        summary = await indexFolders(this.folders, {
          settingsFor: (folder) => this.settings.get(folder.uri),
          addFiles: async (files, onParsed) => {
            for (const f of files) { seen.add(f.path); this.diskFiles.add(f.path); }
            // Open documents keep their editor text; the index only fills in closed files.
            await project.addFiles(files.filter((f) => !this.isOpenPath(f.path)), onParsed);
            this.cache?.finish();
            this.redirtyOpen(files);
          },
          problem: (path, message) => this.logProblem(path, message),
          cancelled: () => generation !== this.generation,
        }, progress ?? noProgress);
        if (!summary.cancelled) this.forgetUnseen(project, seen);
      }
      if (!summary.cancelled) await this.runtime.scan(this.reportWorkspace());
      if (!summary.cancelled && !this.indexedOnce) await this.exclusive(() => this.leaveQuickMode());
      if (!summary.cancelled) await this.analyzeNow();
    } catch (err) {
      this.connection.console.error(`lockorder: indexing failed: ${describe(err)}`);
    } finally {
      progress?.done();
    }
    if (!summary.cancelled) {
      const ms = Date.now() - started;
      const stats = this.cache?.stats();
      const cached = stats ? `; ${stats.fromCache} of ${stats.fromCache + stats.parsed} files' facts came from the cache in ${this.cache!.dir}` : '';
      this.connection.console.info(`lockorder: indexed ${seen.size} files in ${ms} ms (${summary.problems} skipped${cached})`);
      void this.connection.sendNotification('lockorder/indexed', { files: seen.size, skipped: summary.problems, ms }).catch(() => undefined);
    }
    return summary;
  }

  /** The project analyses run on: the open documents' own until the first index is complete. */
  private active(): Project | undefined {
    return this.indexedOnce ? this.project : this.quick ?? this.project;
  }

  /** The first index is complete: give the open documents to the workspace project. */
  private leaveQuickMode(): void {
    this.indexedOnce = true;
    this.restored = undefined;
    for (const uri of this.documents.keys()) this.dirty.add(uri);
    this.quick?.dispose();
    this.quick = undefined;
  }

  /** Run `work` when no analysis is running, and keep the next ones waiting for it. */
  private exclusive<T>(work: () => T | Promise<T>): Promise<T> {
    const run = this.chain.then(work);
    this.chain = run.then(() => undefined, () => undefined);
    return run;
  }

  /** Whether a path is open in the editor. */
  private isOpenPath(path: string): boolean {
    return this.documents.get(pathToUri(path)) !== undefined;
  }

  /** A document opened while its file was being parsed from disk must be given to the project again. */
  private redirtyOpen(files: { path: string }[]): void {
    for (const f of files) {
      const uri = pathToUri(f.path);
      if (this.documents.get(uri)) this.dirty.add(uri);
    }
  }

  /** Drop disk files the last index did not find (deleted, or now excluded). */
  private forgetUnseen(project: Project, seen: Set<string>): void {
    for (const path of [...this.diskFiles]) {
      if (seen.has(path)) continue;
      this.diskFiles.delete(path);
      if (!this.documents.get(pathToUri(path))) project.removeFile(path);
    }
  }

  /** Whether a file on disk belongs in the index (in a folder, enabled, not excluded). */
  private async isIndexed(path: string): Promise<boolean> {
    const where = folderOf(this.folders, path);
    if (!where || !isIndexedSource(where.rel)) return false;
    const settings = await this.settings.get(where.folder.uri);
    return settings.enable && !excludeGlobs(settings).matches(where.rel);
  }

  private async reloadFromDisk(path: string): Promise<void> {
    const result = await readSourceFile(path);
    // The file may have been opened again while it was read (a tab closed and reopened): then
    // the editor's text, which the next run gives the project, wins over the disk's.
    const open = this.isOpenPath(path);
    if ('text' in result) {
      this.diskFiles.add(path);
      if (!open) this.project?.setFile(path, result.text);
    } else {
      this.logProblem(path, result.problem);
      if (this.diskFiles.delete(path) && !open) this.project?.removeFile(path);
    }
  }

  /** Something other than an open document changed: re-analyze after the debounce. */
  private changedElsewhere(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => { this.timer = undefined; void this.requestRun(); }, this.options.debounceMs ?? longDebounceMs);
  }

  /** Analyze now (cancelling a pending debounce) and publish. */
  analyzeNow(): Promise<void> {
    if (this.timer) { clearTimeout(this.timer); this.timer = undefined; }
    return this.requestRun();
  }

  /** Queue one analysis run; calls made while one is already queued share it. */
  private requestRun(): Promise<void> {
    if (this.queued) return this.queued;
    const run = this.exclusive(() => {
      this.queued = undefined;
      return this.run();
    });
    this.queued = run;
    return run;
  }

  /** Give the project the latest text of the given open documents (or drop excluded ones). */
  private async flush(project: Project, uris: Iterable<string>): Promise<void> {
    for (const uri of [...uris]) {
      this.dirty.delete(uri);
      const path = uriToPath(uri);
      const excluded = await this.isExcluded(path);
      const doc = this.documents.get(uri);
      if (!doc) continue;
      this.analyzedVersion.set(uri, doc.version);
      if (doc.languageId === 'lockorder-order') continue;
      if (excluded) {
        this.excludedOpen.add(uri);
        if (!this.diskFiles.has(path) || project !== this.project) project.removeFile(path);
        continue;
      }
      this.excludedOpen.delete(uri);
      project.setFile(path, doc.getText(), true);
    }
  }

  /** Whether an open file is excluded by its folder's settings (files outside every folder are not). */
  private async isExcluded(path: string): Promise<boolean> {
    const where = folderOf(this.folders, path);
    if (!where) return false;
    const settings = await this.settings.get(where.folder.uri);
    return !settings.enable || excludeGlobs(settings).matches(where.rel);
  }

  private async run(): Promise<void> {
    await this.ready;
    const project = this.active();
    if (!project) return;
    const started = process.cpuUsage();
    try {
      await this.flush(project, this.dirty);
      const orderFile = await this.orderFile();
      const result = project.analyze(orderFile ? { orderFile } : {});
      const versions = new Map(this.analyzedVersion);
      this.locks = result.locks;
      this.order = orderFile && {
        uri: pathToUri(orderFile.path),
        diagnostics: orderFileDiagnostics(result.problems.filter((p) => p.file === orderFile.path), orderFile.text),
      };
      // Problems of open documents change as the user types; only closed files' are logged.
      for (const p of result.problems) {
        if (!this.isOpenPath(p.file) && p.file !== orderFile?.path) this.logProblem(p.file, p.message);
      }
      const byUri = new Map<string, Finding[]>();
      for (const f of result.findings) {
        const uri = pathToUri(f.location.file);
        let list = byUri.get(uri);
        if (!list) byUri.set(uri, (list = []));
        list.push(f);
      }
      this.findings = byUri;
      const notes = new Map<string, SuppressionNote[]>();
      for (const n of result.suppressionNotes) {
        const uri = pathToUri(n.file);
        notes.set(uri, [...(notes.get(uri) ?? []), n]);
      }
      this.notes = notes;
      this.findingsVersion = versions;
      await this.publishAll();
      if (this.indexedOnce) this.snapshot.saveSoon(() => new Map(this.publisher.uris().map((uri) => [uri, this.publisher.published(uri)])));
      const spent = process.cpuUsage(started);
      this.lastRunMs = (spent.user + spent.system) / 1000;
      setImmediate(() => void this.exclusive(() => this.prepareOpenDocuments(project)));
    } catch (err) {
      this.connection.console.error(`lockorder: analysis failed: ${describe(err)}`);
    }
  }

  /** After diagnostics are out, get open documents ready for fast edits. */
  private prepareOpenDocuments(project: Project): void {
    if (project !== this.active()) return;
    for (const uri of this.documents.keys()) project.prepareEdits(uriToPath(uri));
  }

  /** Publish every URI that has findings, had some, or is open (so its version is confirmed). */
  private async publishAll(): Promise<void> {
    const findings = this.findings;
    const runtime = await this.runtimeView();
    const staticKeys = new Set([...findings.values()].flat().map(staticKey).filter((k): k is string => k !== undefined));
    const notes = this.notes;
    const uris = new Set([...findings.keys(), ...notes.keys(), ...runtime.byUri.keys(), ...this.publisher.uris(), ...this.documents.keys()]);
    const order = this.order;
    if (order) uris.delete(order.uri);
    const published = await Promise.all([...uris].map(async (uri) => {
      const open = this.documents.get(uri) !== undefined;
      const last = open ? undefined : this.restored?.get(uri);
      if (last) {
        this.publisher.publish(uri, last);
        return last;
      }
      const settings = await this.settings.get(open ? uri : folderOf(this.folders, uriToPath(uri))?.folder.uri);
      const version = open ? this.findingsVersion.get(uri) : undefined;
      const visible = this.excludedOpen.has(uri) ? [] : (findings.get(uri) ?? []).filter((f) => ruleEnabled(settings, f.code));
      const diagnostics = visible.map((f) => withConfirmation(toDiagnostic(f, settings, version), f, runtime.confirmed));
      for (const d of runtimeOnly(runtime.byUri.get(uri) ?? [], staticKeys, settings)) diagnostics.push(d);
      const shown = this.excludedOpen.has(uri) ? [] : visibleNotes(notes.get(uri) ?? [], settings, staticRuleCodes, runtime.suppressed.get(uri));
      this.publisher.publish(uri, [...diagnostics, ...shown.map((n) => noteDiagnostic(n, version))], version);
      return diagnostics;
    }));
    if (order) this.publisher.publish(order.uri, order.diagnostics, this.findingsVersion.get(order.uri));
    // Per publication (every keystroke): count open documents not on disk instead of copying the index.
    let files = this.diskFiles.size;
    for (const uri of this.documents.keys()) {
      const path = uriToPath(uri);
      if (isSourceFile(path) && !this.diskFiles.has(path)) files++;
    }
    sendStatus(this.connection, statusOf(published, files, this.runtime.fileCount(), !this.indexedOnce));
  }

  /** The declared lock order: the first workspace folder's `lockorder.orderFile`, open or on disk. */
  private async orderFile(): Promise<{ path: string; text: string } | undefined> {
    const roots = this.folders.map((f) => uriToPath(f.uri));
    for (const folder of this.folders) {
      const settings = await this.settings.get(folder.uri);
      const found = await readWorkspaceOrderFile(uriToPath(folder.uri), settings.orderFile, roots,
        (path) => this.documents.get(pathToUri(path))?.getText());
      if (found && 'refused' in found) this.logProblem(found.path, found.refused);
      else if (found) return found;
    }
    return undefined;
  }

  /**
   * The inferred lock order of the analyzed program as an order file's text (what
   * `lockorder check --write-order` writes), and the file it belongs in: the folder's
   * `lockorder.orderFile` when that lies inside the folder, else its `lockorder.order`.
   * Declarations of an existing file are kept, as the CLI keeps them. The client writes it.
   */
  async inferredOrderFile(folderUri: string): Promise<{ uri: string; text: string; declarations: number } | undefined> {
    const folder = this.folders.find((f) => normalizeUri(f.uri) === normalizeUri(folderUri));
    if (!folder) return undefined;
    await this.whenIndexed();
    await this.analyzeNow();
    const root = uriToPath(folder.uri);
    const settings = await this.settings.get(folder.uri);
    const named = isAbsolute(settings.orderFile) ? settings.orderFile : join(root, settings.orderFile);
    const target = relative(root, named).startsWith('..') || relative(root, named) === '' ? join(root, 'lockorder.order') : named;
    const found = await readWorkspaceOrderFile(root, target, [root], (path) => this.documents.get(pathToUri(path))?.getText());
    const previous = found && 'text' in found ? found.text : '';
    return this.exclusive(() => {
      const project = this.active();
      if (!project) return undefined;
      const text = project.writeOrder(previous);
      const declarations = text.split('\n').filter((l) => l.trim() && !l.trimStart().startsWith('#')).length;
      return { uri: pathToUri(target), text, declarations };
    });
  }

  /**
   * The lock-order graph of the analyzed program, after pending edits (`lockorder/graph`); with
   * nothing pending, the last analysis's.
   * An edge is marked run-time confirmed when a run's graph record has it, or a run reported a
   * finding naming both its locks.
   */
  async graph(selection: GraphSelection): Promise<LockGraph | undefined> {
    // Only edits still waiting are analyzed: the view asks again after every analysis's status,
    // so analyzing (and publishing a status) on every request would loop.
    if (this.timer || this.dirty.size > 0) await this.analyzeNow();
    else if (this.queued) await this.queued;
    const runtime = await this.runtimeView();
    const keys = [...runtime.confirmed.keys()].map((k) => new Set(k.split('|').slice(1)));
    const confirmed = (from: string, to: string) => runtime.observed.has(`${from}\u0000${to}`) || keys.some((sites) => sites.has(from) && sites.has(to));
    return this.exclusive(() => this.active()?.graph(selection, { findings: [...this.findings.values()].flat(), confirmed }));
  }

  /** Every current safe fix of every file, as one workspace edit (after analyzing pending edits). */
  async fixAllInWorkspace(): Promise<{ edit: WorkspaceEdit; fixes: number; files: number }> {
    await this.analyzeNow();
    const files = this.publisher.uris().map((uri) => ({ diagnostics: this.publisher.published(uri), doc: this.documents.get(uri) }));
    return workspaceFixAll(files);
  }

  /** The text of the order file and the known locks, when `uri` is the order file in use. */
  orderFileAt(uri: string): { text: string; locks: LockClass[] } | undefined {
    const doc = this.documents.get(uri);
    if (!doc || doc.languageId !== 'lockorder-order' || this.order?.uri !== uri) return undefined;
    return { text: doc.getText(), locks: this.locks };
  }

  /** The runtime findings placed in the workspace (none, with a log line, if that fails). */
  private async runtimeView(): Promise<RuntimeView> {
    try {
      return await this.runtime.view(this.reportWorkspace());
    } catch (err) {
      this.connection.console.error(`lockorder: runtime reports failed: ${describe(err)}`);
      return { byUri: new Map(), confirmed: new Map(), suppressed: new Map(), observed: new Set() };
    }
  }

  private logProblem(path: string, message: string): void {
    const key = `${path}\0${message}`;
    if (this.reportedProblems.has(key)) return;
    this.reportedProblems.add(key);
    this.connection.console.info(`lockorder: ${path}: ${message}`);
  }

  /** Publish the diagnostics the workspace showed last time, for the files not open (they are analyzed at once). */
  private restore(): void {
    this.restored = this.snapshot.load();
    for (const [uri, diagnostics] of this.restored ?? []) if (!this.documents.get(uri)) this.publisher.publish(uri, diagnostics);
    if (this.restored) this.connection.console.info(`lockorder: showing the last session's diagnostics of ${this.restored.size} files until the workspace is indexed`);
  }

  /** Free the project. */
  dispose(): void {
    this.snapshot.flush();
    this.generation++;
    if (this.timer) clearTimeout(this.timer);
    this.project?.dispose();
    this.quick?.dispose();
  }
}

/** An error as one line, without a stack trace. */
export function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
