// The runtime's report records (schema version 1, see README "Run-time recording"): their
// types, and a validator that turns one parsed JSON line into a record or a reason.

/** The report schema version this server understands. */
export const schemaVersion = 1;

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
  role?: string;
}

/** A thread of a deadlock (LO110). */
export interface RecordThread {
  name: string;
  waitsFor?: number;
  holds: number[];
  stack: RecordFrame[];
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
  locks: RecordLock[];
  edges: RecordEdge[];
  threads: RecordThread[];
}

/** A validated record, or why a line is not one. */
export type ParsedRecord = { record: RuntimeRecord } | { problem: string; version?: unknown };

/** Validate one parsed JSON value against schema version 1. */
export function toRecord(value: unknown): ParsedRecord {
  if (!isObject(value)) return { problem: 'not a JSON object' };
  if (value.version !== schemaVersion) {
    return { problem: `unknown report schema version ${JSON.stringify(value.version)}`, version: value.version };
  }
  if (typeof value.rule !== 'string' || !/^LO\d{3}$/.test(value.rule)) return { problem: 'no rule code' };
  const locks = list(value.locks).map(toLock).filter(isDefined);
  const edges = list(value.edges).map(toEdge).filter(isDefined);
  const threads = list(value.threads).map(toThread).filter(isDefined);
  if (edges.length === 0 && threads.length === 0) return { problem: 'no edges or threads' };
  const time = typeof value.time === 'string' ? Date.parse(value.time) : NaN;
  return {
    record: {
      rule: value.rule,
      name: typeof value.name === 'string' ? value.name : value.rule,
      message: typeof value.message === 'string' ? value.message : '',
      time: Number.isNaN(time) ? undefined : time,
      argv: list(value.argv).filter((a): a is string => typeof a === 'string'),
      test: typeof value.test === 'string' ? value.test : undefined,
      locks, edges, threads,
    },
  };
}

function toFrame(v: unknown): RecordFrame | undefined {
  if (!isObject(v) || typeof v.file !== 'string' || !Number.isInteger(v.line) || (v.line as number) < 1) return undefined;
  return {
    file: v.file,
    line: v.line as number,
    function: typeof v.function === 'string' ? v.function : undefined,
    code: typeof v.code === 'string' ? v.code : undefined,
  };
}

function toLock(v: unknown): RecordLock | undefined {
  if (!isObject(v) || typeof v.id !== 'number') return undefined;
  return { id: v.id, name: typeof v.name === 'string' ? v.name : `lock ${v.id}`, created: toFrame(v.created) };
}

function toEdge(v: unknown): RecordEdge | undefined {
  if (!isObject(v) || typeof v.from !== 'number' || typeof v.to !== 'number') return undefined;
  const stack = list(v.stack).map(toFrame).filter(isDefined);
  if (stack.length === 0) return undefined;
  return { from: v.from, to: v.to, thread: typeof v.thread === 'string' ? v.thread : '?', stack, role: typeof v.role === 'string' ? v.role : undefined };
}

function toThread(v: unknown): RecordThread | undefined {
  if (!isObject(v)) return undefined;
  const stack = list(v.stack).map(toFrame).filter(isDefined);
  if (stack.length === 0) return undefined;
  return {
    name: typeof v.name === 'string' ? v.name : '?',
    waitsFor: typeof v.waits_for === 'number' ? v.waits_for : undefined,
    holds: list(v.holds).filter((h): h is number => typeof h === 'number'),
    stack,
  };
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
