// The SARIF 2.1.0 output format, shaped for GitHub code scanning: rule metadata with help,
// results with physical locations relative to %SRCROOT%, related locations and fingerprints.

import { createHash } from 'node:crypto';
import { ruleDocsUrl, ruleRegistry } from '../../analysis/index';
import type { Finding, Location, RuleMeta, Severity } from '../../analysis/index';
import type { CheckReport } from '../report';
import { oneBased } from '../report';
import { directoryUri, displayPath, sarifUri } from '../paths';
import { informationUri, version } from '../version';

const schema = 'https://json.schemastore.org/sarif-2.1.0.json';

/** Render the report as a SARIF 2.1.0 log with one run. */
export function formatSarif(report: CheckReport): string {
  const lines = new SourceLines(report.sources);
  const log = {
    $schema: schema,
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'lockorder',
          version,
          semanticVersion: version,
          informationUri,
          rules: ruleRegistry.map(sarifRule),
        },
      },
      originalUriBaseIds: { '%SRCROOT%': { uri: directoryUri(report.cwd) } },
      columnKind: 'utf16CodeUnits',
      results: withFingerprints(report, lines).map(([f, print]) => sarifResult(f, report, print)),
      invocations: [{
        executionSuccessful: true,
        toolExecutionNotifications: [
          ...report.skipped.map((s) => notification(s.file, `skipped: ${s.reason}`, report.cwd)),
          ...report.problems.map((p) => notification(p.file, p.message, report.cwd)),
        ],
      }],
    }],
  };
  return JSON.stringify(log, null, 2) + '\n';
}

/** SARIF levels for engine severities. */
export function sarifLevel(severity: Severity): 'error' | 'warning' | 'note' {
  if (severity === 'error') return 'error';
  if (severity === 'warning') return 'warning';
  return 'note';
}

/** A reportingDescriptor for one rule. */
function sarifRule(rule: RuleMeta) {
  const url = ruleDocsUrl(rule.code);
  return {
    id: rule.code,
    name: rule.name,
    shortDescription: { text: rule.summary },
    fullDescription: { text: rule.docs.whatItDoes },
    helpUri: url,
    help: {
      text: `${rule.docs.whatItDoes}\n\n${rule.docs.whyIsThisBad}\n\nSee ${url}`,
      markdown: `**${rule.code} ${rule.name}**\n\n${rule.docs.whatItDoes}\n\n`
        + `### Why is this bad?\n\n${rule.docs.whyIsThisBad}\n\n[Full documentation](${url})`,
    },
    defaultConfiguration: { level: sarifLevel(rule.defaultSeverity) },
    properties: { tags: ['concurrency', 'deadlock'] },
  };
}

/** A result for one finding. */
function sarifResult(f: Finding, report: CheckReport, print: string) {
  const index = ruleRegistry.findIndex((r) => r.code === f.code);
  return {
    ruleId: f.code,
    ...(index >= 0 ? { ruleIndex: index } : {}),
    level: sarifLevel(f.severity),
    message: { text: f.message },
    locations: [sarifLocation(f.location, report.cwd)],
    relatedLocations: f.related.map((r, i) => ({
      id: i + 1,
      ...sarifLocation(r.location, report.cwd),
      message: { text: r.message },
    })),
    partialFingerprints: { 'lockorderFinding/v1': print },
  };
}

/** A location with its artifact and 1-based region. */
function sarifLocation(location: Location, cwd: string) {
  const pos = oneBased(location.range);
  return {
    physicalLocation: {
      artifactLocation: sarifUri(location.file, cwd),
      region: { startLine: pos.line, startColumn: pos.column, endLine: pos.endLine, endColumn: pos.endColumn },
    },
  };
}

/** A notification about a file that was skipped or only partly parsed. */
function notification(file: string, message: string, cwd: string) {
  return {
    level: 'warning',
    message: { text: `${displayPath(file, cwd)}: ${message}` },
    locations: [{ physicalLocation: { artifactLocation: sarifUri(file, cwd) } }],
  };
}

/**
 * Each finding with its fingerprint, which survives edits elsewhere in the file: the code, the
 * file, the names of the locks involved and the trimmed text of the finding's line (never a
 * line number). Findings whose keys are equal (three `lock.acquire()` lines that read the same)
 * are told apart by their occurrence, in file order; the first keeps the plain key's print.
 */
function withFingerprints(report: CheckReport, lines: SourceLines): [Finding, string][] {
  const seen = new Map<string, number>();
  return report.findings.map((f) => {
    const key = fingerprintKey(f, report, lines);
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    const text = n === 0 ? key : `${key}\0#${n}`;
    return [f, createHash('sha256').update(text).digest('hex').slice(0, 32)];
  });
}

function fingerprintKey(f: Finding, report: CheckReport, lines: SourceLines): string {
  const line = lines.line(f.location.file, f.location.range.start.line);
  const locks = f.locks.map((id) => report.locks.get(id)?.name ?? '?').sort().join(',');
  return [f.code, displayPath(f.location.file, report.cwd), locks, line.trim()].join('\0');
}

/** The lines of each source file, split once per file however many findings it has. */
class SourceLines {
  private readonly split = new Map<string, string[]>();

  constructor(private readonly sources: CheckReport['sources']) {}

  /** Line `index` (0-based) of `file`, or '' when there is none. */
  line(file: string, index: number): string {
    let lines = this.split.get(file);
    if (!lines) {
      lines = (this.sources.get(file) ?? '').split(/\r\n|\r|\n/);
      this.split.set(file, lines);
    }
    return lines[index] ?? '';
  }
}
