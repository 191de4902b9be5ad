// The JSON output format (version 1), documented in docs/cli.md: findings with paths
// relative to the current directory and 1-based positions, file problems, and a summary.

import type { Finding, RelatedSite } from '../../analysis/index';
import type { CheckReport } from '../report';
import { countByCode, oneBased } from '../report';
import { displayPath } from '../paths';

/** Render the report as one JSON document. */
export function formatJson(report: CheckReport): string {
  const doc = {
    version: 1,
    findings: report.findings.map((f) => jsonFinding(f, report.cwd)),
    problems: [
      ...report.skipped.map((s) => ({ file: displayPath(s.file, report.cwd), message: s.reason, skipped: true })),
      ...report.problems.map((p) => ({ file: displayPath(p.file, report.cwd), message: p.message, skipped: false })),
    ],
    summary: {
      files: report.fileCount,
      findings: report.findings.length,
      byCode: Object.fromEntries(countByCode(report.findings)),
      skipped: report.skipped.length,
    },
  };
  return JSON.stringify(doc, null, 2) + '\n';
}

/** One finding: the engine's shape, with display paths and 1-based positions added. */
function jsonFinding(f: Finding, cwd: string) {
  return {
    code: f.code,
    rule: f.rule,
    severity: f.severity,
    message: f.message,
    file: displayPath(f.location.file, cwd),
    ...oneBased(f.location.range),
    range: f.location.range,
    related: f.related.map((r) => jsonRelated(r, cwd)),
    fixes: f.fixes.map((fix) => ({
      title: fix.title,
      safe: fix.safe,
      edits: fix.edits.map((e) => ({ file: displayPath(e.file, cwd), range: e.range, newText: e.newText })),
    })),
    locks: f.locks.map((id) => displayLockId(id, cwd)),
  };
}

/**
 * A lock id (`<file>:<line>:<column>` of its creation) with the file in the same form as
 * `file`, so the output carries no absolute paths of the machine that made it.
 */
function displayLockId(id: string, cwd: string): string {
  const at = /^(.*):(\d+):(\d+)$/.exec(id);
  return at ? `${displayPath(at[1], cwd)}:${at[2]}:${at[3]}` : id;
}

function jsonRelated(r: RelatedSite, cwd: string) {
  return { file: displayPath(r.location.file, cwd), ...oneBased(r.location.range), message: r.message };
}
