// The text output format: one `path:line:col: CODE message` line per finding, its
// related sites indented under it, then a summary line. Paths and messages (which quote
// source text) have their control characters escaped, so each finding stays one line.

import type { CheckReport } from '../report';
import { countByCode, oneBased, plural } from '../report';
import { displayPath } from '../paths';
import { escapeControl } from '../escape';
import type { Location } from '../../analysis/index';

/** Render the report as text for a terminal. */
export function formatText(report: CheckReport): string {
  const lines: string[] = [];
  for (const f of report.findings) {
    lines.push(`${where(f.location, report.cwd)}: ${f.code} ${escapeControl(f.message)}`);
    for (const r of f.related) lines.push(`    ${where(r.location, report.cwd)}: ${escapeControl(r.message)}`);
  }
  lines.push(summaryLine(report));
  return lines.join('\n') + '\n';
}

/** `Found 3 problems (LO101: 2, LO102: 1) in 5 files.` or `No problems found in 5 files.` */
export function summaryLine(report: CheckReport): string {
  const files = plural(report.fileCount, 'file');
  if (report.findings.length === 0) return `No problems found in ${files}.`;
  const counts = countByCode(report.findings).map(([code, n]) => `${code}: ${n}`).join(', ');
  return `Found ${plural(report.findings.length, 'problem')} (${counts}) in ${files}.`;
}

/** `path:line:col` of a location. */
function where(location: Location, cwd: string): string {
  const pos = oneBased(location.range);
  return `${escapeControl(displayPath(location.file, cwd))}:${pos.line}:${pos.column}`;
}
