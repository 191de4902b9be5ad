// How a file's facts travel from a worker to the main thread and are stored in the analysis
// cache: as one JSON string. Copying a string between threads is a memcpy, and JSON.parse builds
// the facts faster and in less memory than the structured clone of the same object graph would.
// Calls and functions (nine tenths of the facts) travel compactly (factsShapes.ts): each object
// as an array of its values after the number of its key list, each range as four numbers, each
// repeated name once per file. The rest travels as plain JSON. Maps and sets travel as arrays: a
// new Map or Set field of FileFacts must be converted here too (JSON would turn it into `{}`).
// References as written (`self._lock`, `logging.getLogger`) repeat a lot, so each distinct one
// travels once, in a table, and is decoded as one object that every fact naming it shares (refs
// are never changed after a walk).

import type { CallFact, FileFacts, FunctionFact, Ref } from '../events';
import { CALL_KINDS, FUNCTION_KINDS, ShapeReader, ShapeWriter } from './factsShapes';

/** Facts with their maps and sets as arrays, as they travel (calls and functions apart: 0 keeps their place). */
type Wire = Omit<FileFacts, 'suppressions' | 'globalsDeclared' | 'calls' | 'functions'> & {
  suppressions: [number, string[]][];
  globalsDeclared: [string, string[]][];
  calls: 0;
  functions: 0;
};

/** The whole encoded text, parsed. */
interface Encoded {
  refs: TableEntry[];
  strings: string[];
  shapes: string[][];
  calls: unknown[][];
  functions: unknown[][];
  body: Wire;
}

/** One distinct ref in the table; a base or callee is the index of an earlier entry. */
type TableEntry = [0, string] | [1, number, string] | [2, number, string] | [3, number] | [4, string];

/** What stands in the body for a ref: its index in the table. */
export interface Marker {
  $: number;
}

/** Encode facts for `postMessage` and the cache. */
export function encodeFacts(facts: FileFacts): string {
  const { calls, functions, suppressions, globalsDeclared } = facts;
  const table = new RefTable();
  const writer = new ShapeWriter((ref) => table.add(ref), toMarkers(table));
  const callsWire = calls.map((c) => writer.object(c, CALL_KINDS));
  const functionsWire = functions.map((f) => writer.object(f, FUNCTION_KINDS));
  const wire: Wire = {
    ...facts,
    calls: 0,
    functions: 0,
    suppressions: [...suppressions].map(([line, codes]) => [line, [...codes]]),
    globalsDeclared: [...globalsDeclared].map(([fn, names]) => [fn, [...names]]),
  };
  const body = JSON.stringify(wire, (_key, value: unknown) => (isRef(value) ? { $: table.add(value) } : value));
  return `{"refs":${JSON.stringify(table.entries)},"strings":${JSON.stringify(writer.strings)},"shapes":${JSON.stringify(writer.shapes)},`
    + `"calls":${JSON.stringify(callsWire)},"functions":${JSON.stringify(functionsWire)},"body":${body}}`;
}

/** Decode facts sent by `encodeFacts`; throws on a text that is not such facts. */
export function decodeFacts(text: string): FileFacts {
  const { refs, strings, shapes, calls, functions, body } = JSON.parse(text) as Encoded;
  if (!Array.isArray(refs) || !Array.isArray(calls) || !Array.isArray(functions) || !body || typeof body !== 'object') {
    throw new Error('not encoded facts');
  }
  const table = decodeTable(refs);
  const lookup = (i: unknown): Ref => {
    const ref = typeof i === 'number' ? table[i] : undefined;
    if (ref === undefined) throw new Error('bad ref marker');
    return ref;
  };
  const reader = new ShapeReader(strings, shapes, lookup, (value) => withRefs(value, lookup));
  const wire = withRefs(body, lookup);
  return {
    ...wire,
    functions: functions.map((f) => reader.object<FunctionFact>(f, FUNCTION_KINDS)),
    calls: calls.map((c) => reader.object<CallFact>(c, CALL_KINDS)),
    suppressions: new Map(wire.suppressions.map(([line, codes]) => [line, new Set(codes)])),
    globalsDeclared: new Map(wire.globalsDeclared.map(([fn, names]) => [fn, new Set(names)])),
  };
}

/** The distinct refs of one file, numbered in the order first met (a base before what is built on it). */
class RefTable {
  readonly entries: TableEntry[] = [];
  private readonly ids = new Map<string, number>();

  add(ref: Ref): number {
    switch (ref.kind) {
      case 'name': return this.id(`n${ref.name}`, () => [0, ref.name]);
      case 'attr': {
        const base = this.add(ref.base);
        return this.id(`a${base}.${ref.attr}`, () => [1, base, ref.attr]);
      }
      case 'index': {
        const base = this.add(ref.base);
        return this.id(`i${base}.${ref.index}`, () => [2, base, ref.index]);
      }
      case 'call': {
        const callee = this.add(ref.callee);
        return this.id(`c${callee}`, () => [3, callee]);
      }
      default: return this.id(`o${ref.text}`, () => [4, ref.text]);
    }
  }

  /** The number of the entry with this key, made by `entry` when new. */
  private id(key: string, entry: () => TableEntry): number {
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.entries.length;
      this.ids.set(key, id);
      this.entries.push(entry());
    }
    return id;
  }
}

/** A copy of any JSON value with its refs turned into markers. */
function toMarkers(table: RefTable): (value: unknown) => unknown {
  const copy = (value: unknown): unknown => {
    if (value === null || typeof value !== 'object') return value;
    if (isRef(value)) return { $: table.add(value) };
    if (Array.isArray(value)) return value.map(copy);
    const out: Record<string, unknown> = {};
    for (const k in value) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined) out[k] = copy(v);
    }
    return out;
  };
  return copy;
}

/** Whether a value is exactly a ref (its kind and no other field), so sharing it changes nothing. */
function isRef(value: unknown): value is Ref {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  if (typeof v.kind !== 'string') return false;
  const keys = Object.keys(v).length;
  switch (v.kind) {
    case 'name': return keys === 2 && typeof v.name === 'string';
    case 'attr': return keys === 3 && typeof v.attr === 'string' && isRef(v.base);
    case 'index': return keys === 3 && typeof v.index === 'string' && isRef(v.base);
    case 'call': return keys === 2 && isRef(v.callee);
    case 'other': return keys === 2 && typeof v.text === 'string';
    default: return false;
  }
}

/** The table's refs as objects; throws when an entry is malformed or names a later one. */
function decodeTable(entries: TableEntry[]): Ref[] {
  const refs: Ref[] = new Array(entries.length);
  const earlier = (i: unknown, at: number): Ref => {
    if (typeof i !== 'number' || !(i >= 0 && i < at)) throw new Error('bad ref table');
    return refs[i];
  };
  entries.forEach((e, i) => {
    if (!Array.isArray(e)) throw new Error('bad ref table');
    const [kind, a, b] = e;
    refs[i] = kind === 0 ? { kind: 'name', name: String(a) }
      : kind === 1 ? { kind: 'attr', base: earlier(a, i), attr: String(b) }
        : kind === 2 ? { kind: 'index', base: earlier(a, i), index: String(b) }
          : kind === 3 ? { kind: 'call', callee: earlier(a, i) } : { kind: 'other', text: String(a) };
  });
  return refs;
}

/** Put the table's refs where a value has markers (in place, or the ref itself for a marker), and return it. */
function withRefs<T>(value: T, lookup: (i: unknown) => Ref): T {
  const isMarker = (x: object): boolean => (x as Marker).$ !== undefined && !Array.isArray(x);
  const visit = (node: Record<string, unknown> | unknown[]): void => {
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const x = node[i];
        if (x !== null && typeof x === 'object') {
          if (isMarker(x)) node[i] = lookup((x as Marker).$);
          else visit(x as Record<string, unknown>);
        }
      }
      return;
    }
    for (const k in node) {
      const x = node[k];
      if (x !== null && typeof x === 'object') {
        if (isMarker(x)) node[k] = lookup((x as Marker).$);
        else visit(x as Record<string, unknown>);
      }
    }
  };
  if (value === null || typeof value !== 'object') return value;
  if (isMarker(value)) return lookup((value as unknown as Marker).$) as T;
  visit(value as Record<string, unknown>);
  return value;
}
