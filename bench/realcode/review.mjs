// Review verdicts of bench:realcode: reads docs/realcode-findings.json (a reviewer's verdict
// for each finding, keyed by `library/relative-path:line:code`) and measures precision on the
// rules that claim a deadlock or hang (LO101, LO102, LO105, LO107) against the target.

import { existsSync, readFileSync } from 'node:fs';

/** The rules whose findings count toward precision. */
export const PRECISION_RULES = ['LO101', 'LO102', 'LO105', 'LO107'];

/** The target: at least this share of reviewed findings real, and at least this many real. */
export const TARGET = { precision: 0.8, real: 15 };

/** The stable key of a finding: library, path relative to the package root, line, rule. */
export function findingKey(library, finding) {
  return `${library}/${finding.file}:${finding.line}:${finding.code}`;
}

/**
 * Reads the verdict file; returns a Map from finding key to `{ verdict, reason }`, or null when
 * the file does not exist. A malformed file throws an Error with a one-line message.
 */
export function readVerdicts(path) {
  if (!existsSync(path)) return null;
  let doc;
  try {
    doc = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`${path} is not valid JSON: ${e.message}`);
  }
  const entries = doc && typeof doc.findings === 'object' ? doc.findings : null;
  if (!entries) throw new Error(`${path} has no "findings" object`);
  const verdicts = new Map();
  for (const [key, v] of Object.entries(entries)) {
    if (!v || (v.verdict !== 'real' && v.verdict !== 'false')) {
      throw new Error(`${path}: ${key} needs "verdict": "real" or "false"`);
    }
    verdicts.set(key, v);
  }
  return verdicts;
}

/**
 * Compares this run's findings (array of `{ key, code, message }`) with the verdicts: counts
 * real, false and unreviewed findings of the precision rules, and lists the unreviewed ones
 * (all rules) and the verdicts whose finding is no longer reported.
 */
export function compare(findings, verdicts) {
  const counted = findings.filter((f) => PRECISION_RULES.includes(f.code));
  const real = counted.filter((f) => verdicts.get(f.key)?.verdict === 'real');
  const wrong = counted.filter((f) => verdicts.get(f.key)?.verdict === 'false');
  const unreviewed = findings.filter((f) => !verdicts.has(f.key));
  const reported = new Set(findings.map((f) => f.key));
  const gone = [...verdicts.keys()].filter((k) => !reported.has(k));
  const reviewed = real.length + wrong.length;
  const precision = reviewed ? real.length / reviewed : null;
  return {
    real: real.length,
    false: wrong.length,
    unreviewed: counted.length - reviewed,
    precision,
    unreviewedFindings: unreviewed,
    gone,
    met: precision !== null && precision >= TARGET.precision && real.length >= TARGET.real,
  };
}
