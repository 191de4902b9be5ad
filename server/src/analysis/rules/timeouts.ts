// Acquisitions that give up after a time (the fact's `timeout`: TS/JS `withTimeout(m, ms)`, an
// async-lock `timeout` option). A deadlock through one of them does not hang: the waiting
// acquisition rejects when its time runs out. Findings about them say so, at warning severity.

import type { OrderEdge, Program, Taken } from '../program';
import type { Finding } from '../types';
import { lockName } from './describe';

/** Whether the acquisition of `t` (where it is taken, in the function that takes it) gives up after a time. */
export function isTimed(program: Program, t: Taken): boolean {
  const r = t.site.range;
  return !!program.symbols.modules.get(t.site.file)?.facts.acquires.some((a) => a.timeout
    && a.range.start.line === r.start.line && a.range.start.character === r.start.character);
}

/**
 * " The timeout on `b` turns this hang into an error …" when some edge of the cycle gives up after a
 * time at every place it is taken (one place that waits for ever is enough to hang), or ''.
 */
export function timeoutNote(program: Program, edges: OrderEdge[]): string {
  const timed = edges.filter((e) => program.graph.witnesses(e.from.lock.id, e.to.lock.id).every((w) => isTimed(program, w.to)));
  return timedNote(timed.map((e) => e.to));
}

/** The note for acquisitions known to give up after a time, or '' for none. */
export function timedNote(taken: Taken[]): string {
  const names = [...new Set(taken.map((t) => lockName(t)))];
  if (names.length === 0) return '';
  return ` The timeout on ${names.join(' and ')} turns this hang into an error: the waiting acquisition rejects when its time runs out.`;
}

/** The finding at warning severity when `note` is not empty (a timeout turns its hang into an error). */
export function timedSeverity(f: Finding, note: string): Finding {
  return note ? { ...f, severity: 'warning' } : f;
}
