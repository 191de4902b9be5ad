// The runtime reports of the workspace: which files are reports (per folder setting
// `lockorder.runtime.reports`), keeping their records up to date from watched-file events,
// placing them as diagnostics, and deleting the files on request.

import { promises as fs } from 'node:fs';
import { isAbsolute, normalize } from 'node:path';
import type { DiagnosticSeverity } from 'vscode-languageserver/node';
import { ruleByCode } from '../../analysis';
import { severityMap } from '../diagnostics';
import { excludeGlobs, folderOf, type Folder } from '../folders';
import { compileGlobs, type GlobSet } from '../glob';
import type { Settings } from '../settings';
import { toFinding, type RuntimeFinding } from './findings';
import { confirmations } from './merge';
import { ReportReader, type ReaderSink } from './reportReader';
import { findReportFiles } from './reportFiles';
import { runtimeDiagnostics, type PlacedDiagnostic } from './runtimeDiagnostics';
import type { FileLines } from './staleness';

/** What the reports need to know about the workspace. */
export interface ReportWorkspace {
  folders: Folder[];
  settingsFor(folder: Folder): Promise<Settings>;
  /** The editor text of an open document, if it is open. */
  openText(path: string): string | undefined;
}

/** Runtime diagnostics by URI, and the run labels confirming each lock key. */
export interface RuntimeView {
  byUri: Map<string, (PlacedDiagnostic & { key?: string })[]>;
  confirmed: Map<string, string[]>;
}

/** The workspace's runtime reports. */
export class RuntimeReports {
  private readonly reader: ReportReader;
  private readonly globs = new Map<string, GlobSet>();

  constructor(sink: ReaderSink, capBytes?: number) {
    this.reader = new ReportReader(sink, capBytes);
  }

  /** Find every report file of the workspace and read what is new; true if anything changed. */
  async scan(ws: ReportWorkspace): Promise<boolean> {
    const files = new Set<string>();
    for (const folder of ws.folders) {
      const settings = await ws.settingsFor(folder);
      if (!settings.enable) continue;
      for (const f of await findReportFiles(folder.path, settings.runtimeReports, this.glob(settings.runtimeReports), excludeGlobs(settings))) files.add(f);
    }
    let changed = this.reader.retain(files);
    for (const f of files) changed = (await this.reader.update(f)) || changed;
    return changed;
  }

  /** Whether a path is a report file of its workspace folder. */
  async isReport(ws: ReportWorkspace, path: string): Promise<boolean> {
    const where = folderOf(ws.folders, path);
    if (!where) return false;
    const settings = await ws.settingsFor(where.folder);
    return settings.enable && this.glob(settings.runtimeReports).matches(where.rel);
  }

  /** A watched report file changed or was deleted; true if its records changed. */
  async fileChanged(path: string, deleted: boolean): Promise<boolean> {
    return deleted ? this.reader.forget(path) : this.reader.update(path);
  }

  /** Delete every report file of the workspace; returns how many were deleted. */
  async clear(ws: ReportWorkspace): Promise<number> {
    await this.scan(ws);
    let deleted = 0;
    for (const { path } of this.reader.all()) {
      try {
        await fs.unlink(path);
        deleted++;
      } catch { /* already gone */ }
      this.reader.forget(path);
    }
    return deleted;
  }

  /** Every finding of every report, one per problem (the runs that saw it merged into its label). */
  findings(): RuntimeFinding[] {
    const seen = new Map<string, RuntimeFinding>();
    const out: RuntimeFinding[] = [];
    for (const { records } of this.reader.all()) {
      for (const record of records) {
        const f = toFinding(record);
        const id = identity(f);
        const same = seen.get(id);
        if (!same) {
          out.push(f);
          seen.set(id, f);
        } else if (!same.label.split(', ').includes(f.label)) {
          same.label = `${same.label}, ${f.label}`;
        }
      }
    }
    return out;
  }

  /** Place every finding in the workspace, reading only workspace files. */
  async view(ws: ReportWorkspace): Promise<RuntimeView> {
    const findings = this.findings();
    const files = await loadFiles(ws, findings);
    const place = { inWorkspace: (p: string) => inWorkspace(ws, p), file: (p: string) => files.get(p) };
    const byUri: RuntimeView['byUri'] = new Map();
    for (const f of findings) {
      for (const placed of runtimeDiagnostics(f, place, defaultSeverity(f.code))) {
        const list = byUri.get(placed.uri) ?? [];
        list.push({ ...placed, key: f.key });
        byUri.set(placed.uri, list);
      }
    }
    return { byUri, confirmed: confirmations(findings) };
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

/** Whether a record's path is an absolute, normalized path inside a workspace folder. */
function inWorkspace(ws: ReportWorkspace, path: string): boolean {
  return isAbsolute(path) && normalize(path) === path && folderOf(ws.folders, path) !== undefined;
}

/** The rule's own severity; a runtime-only rule (LO110 deadlock) is an error. */
function defaultSeverity(code: string): DiagnosticSeverity {
  return severityMap[ruleByCode(code)?.defaultSeverity ?? (code === 'LO110' ? 'error' : 'warning')];
}

/** The current lines of every workspace file the findings mention (open documents: their editor text). */
async function loadFiles(ws: ReportWorkspace, findings: RuntimeFinding[]): Promise<Map<string, FileLines>> {
  const paths = new Set<string>();
  for (const f of findings) {
    for (const act of f.acts) for (const frame of act.stack) paths.add(frame.file);
    for (const c of f.creations) paths.add(c.frame.file);
  }
  const files = new Map<string, FileLines>();
  await Promise.all([...paths].filter((p) => inWorkspace(ws, p)).map(async (path) => {
    const open = ws.openText(path);
    if (open !== undefined) { files.set(path, { lines: open.split(/\r?\n/) }); return; }
    try {
      const stat = await fs.stat(path);
      if (!stat.isFile()) return;
      files.set(path, { lines: (await fs.readFile(path, 'utf8')).split(/\r?\n/), mtimeMs: stat.mtimeMs });
    } catch { /* gone: its sites are dropped */ }
  }));
  return files;
}
