// The runtime's report records (schema version 1, see README "Run-time recording"): their
// types, and a validator that turns one parsed JSON line into a record or a reason. Records are
// bounded here, whatever the file holds: stacks keep their innermost and outermost frames (the
// count of the others is kept), edges, threads and locks are capped, and names are cut short.

import { oneLine } from './text';

/** The report schema version this server understands. */
export const schemaVersion = 1;

/** A stack keeps this many innermost frames (where the lock was taken) when it is too deep... */
export const keptInnermost = 64;
/** ...and this many outermost ones (how the thread started): the runtime cuts its stacks the same way. */
export const keptOutermost = 8;
/** At most this many edges, threads and locks of one record are read. */
export const maxParts = 64;
/** Names (locks, threads, tests, functions) are cut to this many characters. */
const maxName = 200;

/**
 * How every line the runtime writes starts (`json.dumps` keeps the key order of `make_record`):
 * a finding's rule or, for the end-of-run graph record, its kind. A file whose first line
 * starts so is a lockorder report. Spaces are optional.
 */
const reportLineStart = /^\{\s*"version"\s*:\s*\d+\s*,\s*("rule"\s*:\s*"LO\d{3}"|"kind"\s*:\s*"graph")/;

/** Whether a report file's first bytes are those of a lockorder report. */
export function looksLikeReport(firstBytes: string): boolean {
  return reportLineStart.test(firstBytes);
}

/** A source location in a record (absolute path, 1-based line). */
export interface RecordFrame {
  file: string;
  line: number;
  function?: string;
  /** The text of the line when the record was written (used to detect changed code). */
  code?: string;
}

/** A lock in a record. */
export interface RecordLock {
  id: number;
  name: string;
  created?: RecordFrame;
}

/** An acquisition edge: `thread` took `to` while holding `from`, at `stack[0]`. */
export interface RecordEdge {
  from: number;
  to: number;
  thread: string;
  stack: RecordFrame[];
  /** How many frames of a too-deep stack were left out (between the innermost and the outermost). */
  dropped: number;
  role?: string;
}

/** A thread of a deadlock (LO110). */
export interface RecordThread {
  name: string;
  waitsFor?: number;
  holds: number[];
  stack: RecordFrame[];
  /** How many frames of a too-deep stack were left out. */
  dropped: number;
}

/** One finding the runtime wrote. */
export interface RuntimeRecord {
  rule: string;
  name: string;
  message: string;
  time?: number;
  argv: string[];
  /** The test during which it was seen, when the runtime says so. */
  test?: string;
  /** Whether the run was a Node program (`javascript`): its "threads" are async call chains. */
  async: boolean;
  locks: RecordLock[];
  edges: RecordEdge[];
  threads: RecordThread[];
  /** Whether anything was left out to keep the record bounded (deep stacks, too many parts). */
  trimmed: boolean;
}

/** An edge a run observed, from the end-of-run `graph` record: both locks by creation `file:line` (1-based). */
export interface ObservedEdge {
  from: string;
  to: string;
}

/** At most this many edges of one graph record are read (the runtime writes at most as many). */
const maxObserved = 20_000;

/**
 * A validated record, why a line is not one, or the end-of-run `graph` record, which holds no
 * finding: only the edges the run observed (the graph view marks them as confirmed).
 */
export type ParsedRecord = { record: RuntimeRecord } | { problem: string; version?: unknown } | { observed: ObservedEdge[] };

/** Validate one parsed JSON value against schema version 1. */
export function toRecord(value: unknown): ParsedRecord {
  if (!isObject(value)) return { problem: 'not a JSON object' };
  if (value.version !== schemaVersion) {
    return { problem: `unknown report schema version ${versionText(value.version)}`, version: value.version };
  }
  if (value.rule === undefined && value.kind === 'graph') return { observed: observedEdges(value.edges) };
  if (typeof value.rule !== 'string' || !/^LO\d{3}$/.test(value.rule)) return { problem: 'no rule code' };
  const rawLocks = list(value.locks);
  const rawEdges = list(value.edges);
  const rawThreads = list(value.threads);
  const locks = rawLocks.slice(0, maxParts).map(toLock).filter(isDefined);
  const edges = rawEdges.slice(0, maxParts).map(toEdge).filter(isDefined);
  const threads = rawThreads.slice(0, maxParts).map(toThread).filter(isDefined);
  if (edges.length === 0 && threads.length === 0) return { problem: 'no edges or threads' };
  const time = typeof value.time === 'string' ? Date.parse(value.time) : NaN;
  const tooMany = rawLocks.length > maxParts || rawEdges.length > maxParts || rawThreads.length > maxParts;
  return {
    record: {
      rule: value.rule,
      name: typeof value.name === 'string' ? oneLine(value.name, maxName) : value.rule,
      message: typeof value.message === 'string' ? value.message : '',
      time: Number.isNaN(time) ? undefined : time,
      argv: list(value.argv).slice(0, 2).filter((a): a is string => typeof a === 'string').map((a) => oneLine(a, maxName)),
      test: typeof value.test === 'string' ? oneLine(value.test, maxName) : undefined,
      async: value.language === 'javascript' || value.language === 'typescript',
      locks, edges, threads,
      trimmed: tooMany || edges.some((e) => e.dropped > 0) || threads.some((t) => t.dropped > 0),
    },
  };
}

/** The valid edges of a graph record, each lock as `file:line`. */
function observedEdges(v: unknown): ObservedEdge[] {
  const out: ObservedEdge[] = [];
  for (const e of list(v).slice(0, maxObserved)) {
    const from = isObject(e) ? createdAt(e.from) : undefined;
    const to = isObject(e) ? createdAt(e.to) : undefined;
    if (from && to) out.push({ from, to });
  }
  return out;
}

/** `file:line` of a graph record's lock (`{ name, file, line }`). */
function createdAt(v: unknown): string | undefined {
  if (!isObject(v) || typeof v.file !== 'string' || !Number.isInteger(v.line) || (v.line as number) < 1) return undefined;
  return `${v.file}:${v.line as number}`;
}

/** A version value as the messages quote it: JSON, one line, at most 40 characters. */
export function versionText(version: unknown): string {
  const json = typeof version === 'string' && version.length > 1000 ? JSON.stringify(version.slice(0, 100)) : JSON.stringify(version);
  return oneLine(json ?? String(version), 40);
}

function toFrame(v: unknown): RecordFrame | undefined {
  if (!isObject(v) || typeof v.file !== 'string' || !Number.isInteger(v.line) || (v.line as number) < 1) return undefined;
  return {
    file: v.file,
    line: v.line as number,
    function: typeof v.function === 'string' ? oneLine(v.function, maxName) : undefined,
    code: typeof v.code === 'string' ? v.code : undefined,
  };
}

function toLock(v: unknown): RecordLock | undefined {
  if (!isObject(v) || typeof v.id !== 'number') return undefined;
  return { id: v.id, name: typeof v.name === 'string' ? oneLine(v.name, maxName) : `lock ${v.id}`, created: toFrame(v.created) };
}

function toEdge(v: unknown): RecordEdge | undefined {
  if (!isObject(v) || typeof v.from !== 'number' || typeof v.to !== 'number') return undefined;
  const { stack, dropped } = toStack(v.stack, v.frames_dropped);
  if (stack.length === 0) return undefined;
  const thread = typeof v.thread === 'string' ? oneLine(v.thread, maxName) : '?';
  return { from: v.from, to: v.to, thread, stack, dropped, role: typeof v.role === 'string' ? oneLine(v.role, maxName) : undefined };
}

function toThread(v: unknown): RecordThread | undefined {
  if (!isObject(v)) return undefined;
  const { stack, dropped } = toStack(v.stack, v.frames_dropped);
  if (stack.length === 0) return undefined;
  return {
    name: typeof v.name === 'string' ? oneLine(v.name, maxName) : '?',
    waitsFor: typeof v.waits_for === 'number' ? v.waits_for : undefined,
    holds: list(v.holds).slice(0, maxParts).filter((h): h is number => typeof h === 'number'),
    stack,
    dropped,
  };
}

/**
 * A stack's valid frames; when too deep, the innermost and outermost ones. `dropped`: how many
 * were left out, here and by the runtime (its `frames_dropped`).
 */
function toStack(v: unknown, droppedByRuntime: unknown): { stack: RecordFrame[]; dropped: number } {
  const frames = list(v).map(toFrame).filter(isDefined);
  const before = Number.isSafeInteger(droppedByRuntime) && (droppedByRuntime as number) > 0 ? droppedByRuntime as number : 0;
  const keep = keptInnermost + keptOutermost;
  if (frames.length <= keep) return { stack: frames, dropped: before };
  const stack = frames.slice(0, keptInnermost).concat(frames.slice(frames.length - keptOutermost));
  return { stack, dropped: before + frames.length - keep };
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isDefined<T>(v: T | undefined): v is T {
  return v !== undefined;
}
