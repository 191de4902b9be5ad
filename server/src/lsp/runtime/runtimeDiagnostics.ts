// Runtime findings as LSP diagnostics: one at every acquisition site that lies in the
// workspace, saying it was observed at run time and by which threads (tasks, for a Node
// program's async call chains), with the other threads' frames, the callers and the lock creation sites as related information.

import { DiagnosticSeverity, type Diagnostic, type DiagnosticRelatedInformation } from 'vscode-languageserver/node';
import { ruleDocsUrl } from '../../analysis';
import { pathToUri } from '../convert';
import type { RuntimeAct, RuntimeFinding } from './findings';
import { lineSuppresses } from './lineComments';
import type { RecordFrame } from './record';
import { lineState, type FileLines } from './staleness';

/** What placing a finding needs to know about the workspace. */
export interface Placement {
  /** Whether a path lies in a workspace folder (other files are never opened). */
  inWorkspace(path: string): boolean;
  /** The current lines of a workspace file, or undefined if it cannot be read. */
  file(path: string): FileLines | undefined;
  /** Told of each site a `# lockorder: ignore` (TS/JS: `// lockorder: ignore`) comment silenced (0-based line), so the comment counts as used. */
  suppressed?(path: string, line: number, code: string): void;
}

/** A diagnostic for one URI. */
export interface PlacedDiagnostic {
  uri: string;
  diagnostic: Diagnostic;
}

/** What `Diagnostic.data` holds for a runtime diagnostic (no fixes: the code is not analyzed here). */
export interface RuntimeData {
  fixes: [];
  runtime: true;
  stale: boolean;
}

/** The diagnostics of one runtime finding (none if none of its sites is in the workspace). */
export function runtimeDiagnostics(finding: RuntimeFinding, place: Placement, severity: DiagnosticSeverity): PlacedDiagnostic[] {
  const anchored = finding.acts.map((act) => ({ act, at: anchor(act.stack, finding, place) }));
  const stale = anchored.some((a) => a.at?.state === 'changed');
  // Acts at the same line (two threads running the same code) share one diagnostic.
  const byLine = new Map<string, { frame: RecordFrame; acts: RuntimeAct[] }>();
  for (const { act, at } of anchored) {
    if (!act.site || !at || at.state === 'gone') continue;
    if (lineSuppresses(at.frame.file, place.file(at.frame.file)?.lines[at.frame.line - 1] ?? '', finding.code)) {
      place.suppressed?.(at.frame.file, at.frame.line - 1, finding.code);
      continue;
    }
    const key = `${at.frame.file}:${at.frame.line}`;
    const group = byLine.get(key) ?? { frame: at.frame, acts: [] };
    group.acts.push(act);
    byLine.set(key, group);
  }
  const title = ruleTitle(finding.name);
  const threads = finding.threads.map((t) => `"${t}"`).join(', ');
  const actor = finding.async ? 'task' : 'thread';
  const prefix = stale ? 'From an earlier run (the code has changed since): ' : '';
  return [...byLine.values()].map(({ frame, acts }) => {
    const related: DiagnosticRelatedInformation[] = [];
    for (const other of anchored) {
      if (acts.includes(other.act) || !other.at || other.at.state === 'gone') continue;
      related.push({ location: location(other.at.frame, place), message: `${actor} "${other.act.thread}" ${other.act.text}` });
    }
    for (const act of acts) for (const info of callers(act, place, actor)) related.push(info);
    for (const info of creations(finding, place)) related.push(info);
    const data: RuntimeData = { fixes: [], runtime: true, stale };
    const what = acts.map((a) => `${actor} "${a.thread}" ${a.text}`).join('; ');
    return {
      uri: pathToUri(frame.file),
      diagnostic: {
        range: location(frame, place).range,
        severity: stale ? DiagnosticSeverity.Information : severity,
        code: finding.code,
        codeDescription: { href: ruleDocsUrl(finding.code) },
        source: 'lockorder',
        message: `${prefix}${title} observed at run time in ${finding.label} (${actor}s ${threads}): here, ${what}.`,
        relatedInformation: related,
        data,
      },
    };
  });
}

/** The first frame of a stack that lies in the workspace, and what became of its line. */
function anchor(stack: RecordFrame[], finding: RuntimeFinding, place: Placement) {
  const frame = stack.find((f) => place.inWorkspace(f.file));
  return frame ? { frame, state: lineState(frame, place.file(frame.file), finding.time) } : undefined;
}

/** The outer workspace frames of an act's stack, below its anchor. */
function callers(act: RuntimeAct, place: Placement, actor: string): DiagnosticRelatedInformation[] {
  const first = act.stack.findIndex((f) => place.inWorkspace(f.file));
  return act.stack.slice(first + 1)
    .filter((f) => place.inWorkspace(f.file) && lineState(f, place.file(f.file), undefined) !== 'gone')
    .map((f) => ({ location: location(f, place), message: `called from ${f.function ?? 'here'} (${actor} "${act.thread}")` }));
}

/** The creation sites of the finding's locks that lie in the workspace. */
function creations(finding: RuntimeFinding, place: Placement): DiagnosticRelatedInformation[] {
  return finding.creations
    .filter((c) => place.inWorkspace(c.frame.file) && lineState(c.frame, place.file(c.frame.file), undefined) !== 'gone')
    .map((c) => ({ location: location(c.frame, place), message: `${c.name} is created here` }));
}

/** The location of a frame's line, from its first non-blank character to its end (the whole line if unread). */
function location(frame: RecordFrame, place: Placement) {
  const file = place.file(frame.file);
  const line = frame.line - 1;
  if (file?.tooLarge) return { uri: pathToUri(frame.file), range: { start: { line, character: 0 }, end: { line: line + 1, character: 0 } } };
  const text = file?.lines[line] ?? '';
  const start = text.length - text.trimStart().length;
  return { uri: pathToUri(frame.file), range: { start: { line, character: start }, end: { line, character: text.trimEnd().length } } };
}

/** `lock-order-inversion` → `Lock-order inversion`. */
function ruleTitle(name: string): string {
  const head = name.startsWith('lock-order-') ? 'lock-order ' : '';
  const words = head + name.slice(head.length).split('-').join(' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
