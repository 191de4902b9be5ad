// A runtime record as findings the editor can place: the acquisition sites (one per edge or
// blocked thread, each with what its thread did), the lock creation sites, the run's label,
// and a key naming the locks by creation site, to match static findings of the same cycle.

import { basename, dirname } from 'node:path';
import type { RecordFrame, RecordLock, RuntimeRecord } from './record';
import { count } from './text';

/** What one thread did in a finding, with its stack (innermost first). */
export interface RuntimeAct {
  thread: string;
  stack: RecordFrame[];
  /** E.g. `takes accounts_lock while holding audit_lock`. */
  text: string;
  /** Whether this is an acquisition site (diagnostics go there) or context (a held lock). */
  site: boolean;
}

/** One runtime finding, ready to be placed in the workspace. */
export interface RuntimeFinding {
  code: string;
  /** The rule's name, e.g. `lock-order-inversion`. */
  name: string;
  /** The runs it was seen in, as messages name them: a few, then how many more. */
  label: string;
  /** Every run it was seen in (the test, or the program), each once, in order of first appearance. */
  runs: Set<string>;
  /** Every thread involved, in order of first appearance. */
  threads: string[];
  /** Whether the threads are a Node program's async call chains (messages then say "task"). */
  async: boolean;
  acts: RuntimeAct[];
  creations: { name: string; frame: RecordFrame }[];
  /** `code|file:line|file:line…` of the locks' creation sites; absent if one is unknown. */
  key?: string;
  /** When the record was written (ms since the epoch), if it says. */
  time?: number;
}

/** The findings of one record. */
export function toFinding(record: RuntimeRecord): RuntimeFinding {
  const locks = new Map(record.locks.map((l) => [l.id, l]));
  const name = (id: number | undefined) => (id === undefined ? 'a lock' : locks.get(id)?.name ?? `lock ${id}`);
  const acts: RuntimeAct[] = record.edges.map((e) => ({
    thread: e.thread,
    stack: e.stack,
    site: e.role !== 'held',
    text: (e.role === 'held' ? `holds ${name(e.from)}` : e.from === e.to ? `takes ${name(e.to)} while already holding it` : `takes ${name(e.to)} while holding ${name(e.from)}`) + droppedText(e),
  }));
  for (const t of record.threads) {
    const holds = t.holds.length > 0 ? ` while holding ${t.holds.map(name).join(', ')}` : '';
    acts.push({ thread: t.name, stack: t.stack, site: true, text: `waits for ${name(t.waitsFor)}${holds}${droppedText(t)}` });
  }
  return {
    code: record.rule,
    name: record.name,
    label: runLabel(record),
    runs: new Set([runLabel(record)]),
    threads: [...new Set(acts.map((a) => a.thread))],
    async: record.async,
    acts,
    creations: record.locks.filter((l): l is RecordLock & { created: RecordFrame } => l.created !== undefined)
      .map((l) => ({ name: l.name, frame: l.created })),
    key: lockKey(record),
    time: record.time,
  };
}

/** ` (its stack has 130,001 frames, 129,901 not shown)` for a trimmed stack, else nothing. */
function droppedText(part: { stack: RecordFrame[]; dropped: number }): string {
  return part.dropped > 0 ? ` (its stack has ${count(part.stack.length + part.dropped)} frames, ${count(part.dropped)} not shown)` : '';
}

/** The key of the record's locks by creation site (1-based lines), if every lock has one. */
function lockKey(record: RuntimeRecord): string | undefined {
  if (record.locks.length === 0 || record.locks.some((l) => !l.created)) return undefined;
  const sites = record.locks.map((l) => `${l.created?.file}:${l.created?.line}`);
  return `${record.rule}|${[...new Set(sites)].sort().join('|')}`;
}

/** How the run is named in messages: the test if known, else the program or module run. */
function runLabel(record: RuntimeRecord): string {
  if (record.test) return record.test;
  const [first, second] = record.argv;
  if (!first) return 'a run';
  if (first === '-m' && second) return second;
  if (basename(first) === '__main__.py') return basename(dirname(first));
  return basename(first);
}
