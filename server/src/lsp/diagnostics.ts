// Finding → Diagnostic conversion, and a publisher that remembers what each URI last got
// so that only changed files are re-published (an empty list clears a file).

import { DiagnosticSeverity, type Connection, type Diagnostic } from 'vscode-languageserver/node';
import { ruleDocsUrl, type Finding, type Severity } from '../analysis';
import { pathToUri, toLspLocation } from './convert';
import type { Settings } from './settings';

/** One text edit of a fix, addressed by URI. */
export interface FixEditData {
  uri: string;
  range: Diagnostic['range'];
  newText: string;
}

/** A fix as it travels in `Diagnostic.data`: everything a code action needs, no server state. */
export interface FixData {
  title: string;
  safe: boolean;
  edits: FixEditData[];
}

/** What `Diagnostic.data` holds for a lockorder diagnostic. */
export interface DiagnosticData {
  /** The document version the fixes were computed against (absent for files on disk). */
  version?: number;
  fixes: FixData[];
}

/** The `source` of every diagnostic this server publishes. */
export const diagnosticSource = 'lockorder';

/** LSP severities by engine severity. */
export const severityMap: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** Convert one finding, applying the severity the settings give its rule. */
export function toDiagnostic(finding: Finding, settings: Settings, version?: number): Diagnostic {
  const severity = settings.rules[finding.code]?.severity ?? finding.severity;
  const data: DiagnosticData = {
    version,
    fixes: finding.fixes.map((fix) => ({
      title: fix.title,
      safe: fix.safe,
      edits: fix.edits.map((e) => ({ uri: pathToUri(e.file), range: e.range, newText: e.newText })),
    })),
  };
  return {
    range: finding.location.range,
    severity: severityMap[severity] ?? DiagnosticSeverity.Warning,
    code: finding.code,
    codeDescription: { href: ruleDocsUrl(finding.code) },
    source: diagnosticSource,
    message: finding.message,
    relatedInformation: finding.related.map((r) => ({ location: toLspLocation(r.location), message: r.message })),
    data,
  };
}

/** Publishes diagnostics, skipping URIs whose diagnostics (and version) did not change. */
export class DiagnosticPublisher {
  private readonly last = new Map<string, { key: string; version?: number; diagnostics: Diagnostic[] }>();

  constructor(private readonly connection: Connection) {}

  /** Publish `diagnostics` for `uri` if they differ from the last ones, or if `version` moved on. */
  publish(uri: string, diagnostics: Diagnostic[], version?: number): boolean {
    const key = JSON.stringify(diagnostics.map(withoutVersion));
    const prev = this.last.get(uri);
    if (prev && prev.key === key && prev.version === version) return false;
    if (!prev && diagnostics.length === 0 && version === undefined) return false;
    if (diagnostics.length === 0 && version === undefined) this.last.delete(uri);
    else this.last.set(uri, { key, version, diagnostics });
    void this.connection.sendDiagnostics({ uri, diagnostics, version }).catch(() => undefined);
    return true;
  }

  /** The diagnostics last published for `uri`. */
  published(uri: string): Diagnostic[] {
    return this.last.get(uri)?.diagnostics ?? [];
  }

  /** Every URI that currently has diagnostics (or a version) published. */
  uris(): string[] {
    return [...this.last.keys()];
  }
}

/** A diagnostic without the document version in its data, for comparing two publications. */
function withoutVersion(d: Diagnostic): unknown {
  const data = d.data as DiagnosticData | undefined;
  return data ? { ...d, data: { fixes: data.fixes } } : d;
}
