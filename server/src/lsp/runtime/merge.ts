// Matching static and runtime findings of the same problem: same rule, same locks by creation
// site. The engine names a lock class `<abs file>:<line>:<col>` (1-based, where it is
// created); the runtime gives `created: {file, line}` (1-based), so both reduce to file:line.

import type { Diagnostic } from 'vscode-languageserver/node';
import type { Finding, RuleCode } from '../../analysis';
import { severityMap } from '../diagnostics';
import { ruleEnabled, type Settings } from '../settings';
import type { RuntimeFinding } from './findings';
import { runList } from './text';

/** The key of a static finding, comparable with `RuntimeFinding.key`. */
export function staticKey(finding: Finding): string | undefined {
  if (finding.locks.length === 0) return undefined;
  const sites = finding.locks.map((id) => id.replace(/:\d+$/, ''));
  return `${finding.code}|${[...new Set(sites)].sort().join('|')}`;
}

/** The runs (labels, each once, in order of first appearance) that confirm each key. */
export function confirmations(findings: RuntimeFinding[]): Map<string, Set<string>> {
  const byKey = new Map<string, Set<string>>();
  for (const f of findings) {
    if (!f.key) continue;
    let runs = byKey.get(f.key);
    if (!runs) byKey.set(f.key, (runs = new Set()));
    for (const run of f.runs) runs.add(run);
  }
  return byKey;
}

/** The suffix a confirmed static finding's message gets (a few runs, then how many more). */
export function confirmedText(runs: Set<string>): string {
  return `found by analysis, confirmed at run time in ${runList(runs)}`;
}

/** A static finding's diagnostic, saying so when a run confirmed it. */
export function withConfirmation(diagnostic: Diagnostic, finding: Finding, confirmed: Map<string, Set<string>>): Diagnostic {
  const key = staticKey(finding);
  const labels = key ? confirmed.get(key) : undefined;
  return labels ? { ...diagnostic, message: `${diagnostic.message} (${confirmedText(labels)})` } : diagnostic;
}

/** The runtime diagnostics of one file that no static finding already shows, under its settings. */
export function runtimeOnly(placed: { diagnostic: Diagnostic; key?: string }[], staticKeys: Set<string>, settings: Settings): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const { diagnostic, key } of placed) {
    const code = diagnostic.code as RuleCode;
    if ((key && staticKeys.has(key)) || !ruleEnabled(settings, code)) continue;
    const severity = settings.rules[code]?.severity;
    const stale = (diagnostic.data as { stale?: boolean } | undefined)?.stale === true;
    out.push(severity && !stale ? { ...diagnostic, severity: severityMap[severity] } : diagnostic);
  }
  return out;
}
