// Applies a run's options to raw findings: selected and ignored codes, per-rule enable and
// severity, and `# lockorder: ignore[...]` comments on the reported line.

import type { Suppressions } from './events';
import type { AnalyzeOptions, Finding } from './types';

/** Keep the findings the options and suppression comments allow, with their final severity. */
export function applySettings(
  findings: Finding[], options: AnalyzeOptions, suppressionsOf: (file: string) => Suppressions | undefined,
): Finding[] {
  const out: Finding[] = [];
  for (const f of findings) {
    if (options.select?.length && !options.select.includes(f.code)) continue;
    if (options.ignore?.includes(f.code)) continue;
    const setting = options.rules?.[f.code];
    if (setting?.enabled === false) continue;
    const codes = suppressionsOf(f.location.file)?.get(f.location.range.start.line);
    if (codes && (codes.size === 0 || codes.has(f.code))) continue;
    out.push(setting?.severity ? { ...f, severity: setting.severity } : f);
  }
  return out.sort(byLocation);
}

function byLocation(a: Finding, b: Finding): number {
  return a.location.file.localeCompare(b.location.file)
    || a.location.range.start.line - b.location.range.start.line
    || a.location.range.start.character - b.location.range.start.character
    || a.code.localeCompare(b.code);
}
