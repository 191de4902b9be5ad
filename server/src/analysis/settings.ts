// Applies a run's options to raw findings: selected and ignored codes, per-rule enable and
// severity, and `# lockorder: ignore[...]` comments on the reported line.

import type { Suppressions } from './events';
import { markUsed, misplacedIgnoreHint, type UsedSuppressions } from './suppressionCheck';
import type { AnalyzeOptions, Finding } from './types';

/**
 * Keep the findings the options and suppression comments allow, with their final severity;
 * `used` collects the comments that suppressed something.
 */
export function applySettings(
  findings: Finding[], options: AnalyzeOptions, suppressionsOf: (file: string) => Suppressions | undefined,
  used: UsedSuppressions = new Map(),
): Finding[] {
  const out: Finding[] = [];
  for (const f of findings) {
    if (options.select?.length && !options.select.includes(f.code)) continue;
    if (options.ignore?.includes(f.code)) continue;
    const setting = options.rules?.[f.code];
    if (setting?.enabled === false) continue;
    const line = f.location.range.start.line;
    const codes = suppressionsOf(f.location.file)?.get(line);
    if (codes && (codes.size === 0 || codes.has(f.code))) {
      markUsed(used, f.location.file, line, codes.size === 0 ? '*' : f.code);
      continue;
    }
    const hinted = misplacedIgnoreHint(f, suppressionsOf);
    out.push(setting?.severity ? { ...hinted, severity: setting.severity } : hinted);
  }
  return out.sort(byLocation);
}

function byLocation(a: Finding, b: Finding): number {
  return a.location.file.localeCompare(b.location.file)
    || a.location.range.start.line - b.location.range.start.line
    || a.location.range.start.character - b.location.range.start.character
    || a.code.localeCompare(b.code);
}
