// The runtime reports of the workspace: which files are reports (per folder setting
// `lockorder.runtime.reports`), keeping their records up to date from watched-file events,
// placing them as diagnostics, and deleting the files on request. Nothing outside the
// workspace folders (after resolving symlinks) is read or deleted.

import { isAbsolute, normalize } from 'node:path';
import type { DiagnosticSeverity } from 'vscode-languageserver/node';
import { ruleByCode } from '../../analysis';
import { severityMap } from '../diagnostics';
import { pathToUri } from '../convert';
import { excludeGlobs, folderOf, type Folder } from '../folders';
import { compileGlobs, type GlobSet } from '../glob';
import { defaultRuntimeReports, type Settings } from '../settings';
import { toFinding, type RuntimeFinding } from './findings';
import { FrameFiles } from './frameFiles';
import { confirmations } from './merge';
import { realRoots } from '../realPaths';
import { deletableReports, deleteReports } from './reportDeletion';
import { ReportReader, type ReaderSink } from './reportReader';
import { findReportFiles, leavesFolder } from './reportFiles';
import { runtimeDiagnostics, type PlacedDiagnostic } from './runtimeDiagnostics';
import { oneLine, runList } from './text';

/** What the reports need to know about the workspace. */
export interface ReportWorkspace {
  folders: Folder[];
  settingsFor(folder: Folder): Promise<Settings>;
  /** The editor text of an open document, if it is open. */
  openText(path: string): string | undefined;
}

/** Runtime diagnostics by URI, and the runs confirming each lock key. */
export interface RuntimeView {
  byUri: Map<string, (PlacedDiagnostic & { key?: string })[]>;
  confirmed: Map<string, Set<string>>;
  /** Lines whose `# lockorder: ignore` silenced a run-time finding: URI → 0-based line → codes. */
  suppressed: Map<string, Map<number, Set<string>>>;
  /** Edges the runs observed (end-of-run graph records), as `from\u0000to` keys of creation `file:line`. */
  observed: Set<string>;
}

/** The workspace's runtime reports. */
export class RuntimeReports {
  private readonly reader: ReportReader;
  private readonly frameFiles: FrameFiles;
  private readonly globs = new Map<string, GlobSet>();
  private readonly ignoredPatterns = new Set<string>();
  private cached: { version: number; findings: RuntimeFinding[] } | undefined;

  constructor(private readonly sink: ReaderSink, capBytes?: number) {
    this.reader = new ReportReader(sink, capBytes);
    this.frameFiles = new FrameFiles((message) => sink.log(message));
  }

  /** Find every report file of the workspace and read what is new; true if anything changed. */
  async scan(ws: ReportWorkspace): Promise<boolean> {
    const roots = await realRoots(ws.folders);
    const files = new Set(await this.reportFiles(ws, roots));
    let changed = this.reader.retain(files);
    for (const f of files) changed = (await this.reader.update(f, roots)) || changed;
    return changed;
  }

  /** How many report files are being read. */
  fileCount(): number {
    return this.reader.all().length;
  }

  /** Whether a path is a report file of its workspace folder. */
  async isReport(ws: ReportWorkspace, path: string): Promise<boolean> {
    const where = folderOf(ws.folders, path);
    if (!where) return false;
    const settings = await ws.settingsFor(where.folder);
    return settings.enable && this.glob(this.pattern(settings)).matches(where.rel);
  }

  /** A watched report file changed or was deleted; true if its records changed. */
  async fileChanged(ws: ReportWorkspace, path: string, deleted: boolean): Promise<boolean> {
    return deleted ? this.reader.forget(path) : this.reader.update(path, await realRoots(ws.folders));
  }

  /**
   * Delete report files: `only` (paths) if given, else every one. Only report files of the
   * workspace that pass `deletableReport` are deleted; `dryRun` lists them without deleting.
   */
  async clear(ws: ReportWorkspace, options: { only?: string[]; dryRun?: boolean } = {}): Promise<string[]> {
    const roots = await realRoots(ws.folders);
    let candidates = await this.reportFiles(ws, roots);
    if (options.only) {
      const wanted = new Set(options.only);
      candidates = candidates.filter((p) => wanted.has(p));
    }
    if (options.dryRun) return deletableReports(candidates, roots);
    const deleted = await deleteReports(candidates, roots);
    for (const path of deleted) this.reader.forget(path);
    return deleted;
  }

  /** Every finding of every report, one per problem (the runs that saw it merged into its label). */
  findings(): RuntimeFinding[] {
    if (this.cached?.version === this.reader.version) return this.cached.findings;
    const seen = new Map<string, RuntimeFinding>();
    for (const { records } of this.reader.all()) {
      for (const record of records) {
        const f = toFinding(record);
        const id = identity(f);
        const same = seen.get(id);
        if (!same) seen.set(id, f);
        else for (const run of f.runs) same.runs.add(run);
      }
    }
    const findings = [...seen.values()];
    for (const f of findings) f.label = runList(f.runs);
    this.cached = { version: this.reader.version, findings };
    return findings;
  }

  /** Place every finding in the workspace, reading only workspace files. */
  async view(ws: ReportWorkspace): Promise<RuntimeView> {
    const findings = this.findings();
    const roots = await realRoots(ws.folders);
    const { files, outside } = await this.frameFiles.load(framePaths(ws, findings), roots, ws.openText);
    const suppressed: RuntimeView['suppressed'] = new Map();
    const place = {
      inWorkspace: (p: string) => inWorkspace(ws, p) && !outside.has(p),
      file: (p: string) => files.get(p),
      suppressed: (p: string, line: number, code: string) => {
        const lines = suppressed.get(pathToUri(p)) ?? new Map<number, Set<string>>();
        suppressed.set(pathToUri(p), lines.set(line, (lines.get(line) ?? new Set<string>()).add(code)));
      },
    };
    const byUri: RuntimeView['byUri'] = new Map();
    for (const f of findings) {
      for (const placed of runtimeDiagnostics(f, place, defaultSeverity(f.code))) {
        const list = byUri.get(placed.uri) ?? [];
        list.push({ ...placed, key: f.key });
        byUri.set(placed.uri, list);
      }
    }
    return { byUri, confirmed: confirmations(findings), suppressed, observed: this.reader.observed() };
  }

  /** The report files of every enabled folder. */
  private async reportFiles(ws: ReportWorkspace, roots: string[]): Promise<string[]> {
    const files = new Set<string>();
    for (const folder of ws.folders) {
      const settings = await ws.settingsFor(folder);
      if (!settings.enable) continue;
      const pattern = this.pattern(settings);
      for (const f of await findReportFiles(folder.path, pattern, this.glob(pattern), excludeGlobs(settings), roots)) files.add(f);
    }
    return [...files].sort();
  }

  /** The folder's reports glob; one that leaves the folder is ignored (once said) for the default. */
  private pattern(settings: Settings): string {
    const pattern = settings.runtimeReports;
    if (!leavesFolder(pattern)) return pattern;
    if (!this.ignoredPatterns.has(pattern)) {
      this.ignoredPatterns.add(pattern);
      this.sink.warn(`lockorder: the setting lockorder.runtime.reports "${oneLine(pattern, 100)}" leaves the workspace folder; reports are read from ${defaultRuntimeReports} instead.`);
    }
    return defaultRuntimeReports;
  }

  private glob(pattern: string): GlobSet {
    let g = this.globs.get(pattern);
    if (!g) this.globs.set(pattern, (g = compileGlobs([pattern])));
    return g;
  }
}

/** One problem seen by several runs: same rule, same locks, same acquisition sites. */
function identity(f: RuntimeFinding): string {
  const sites = f.acts.filter((a) => a.site).map((a) => `${a.stack[0].file}:${a.stack[0].line}`).sort();
  return `${f.key ?? f.code}#${sites.join('|')}`;
}

/** Whether a record's path is an absolute, normalized path inside a workspace folder (by name). */
function inWorkspace(ws: ReportWorkspace, path: string): boolean {
  return isAbsolute(path) && normalize(path) === path && folderOf(ws.folders, path) !== undefined;
}

/** The rule's own severity; a runtime-only rule (LO110 deadlock) is an error. */
function defaultSeverity(code: string): DiagnosticSeverity {
  return severityMap[ruleByCode(code)?.defaultSeverity ?? (code === 'LO110' ? 'error' : 'warning')];
}

/** Every workspace file the findings mention (by name; symlinks are resolved when they are read). */
function framePaths(ws: ReportWorkspace, findings: RuntimeFinding[]): string[] {
  const paths = new Set<string>();
  for (const f of findings) {
    for (const act of f.acts) for (const frame of act.stack) paths.add(frame.file);
    for (const c of f.creations) paths.add(c.frame.file);
  }
  return [...paths].filter((p) => inWorkspace(ws, p));
}
