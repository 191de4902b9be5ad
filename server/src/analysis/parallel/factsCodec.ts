// How a file's facts travel from a worker to the main thread and are stored in the analysis
// cache: as one JSON string. Copying a string between threads is a memcpy, and JSON.parse builds
// the facts faster and in less memory than the structured clone of the same object graph would.
// Maps and sets travel as arrays: a new Map or Set field of FileFacts must be converted here too
// (JSON would turn it into `{}`). References as written (`self._lock`, `logging.getLogger`) make
// up most of a file's facts and repeat a lot, so each distinct one travels once, in a table, and
// is decoded as one object that every fact naming it shares (refs are never changed after a walk).

import type { FileFacts, Ref } from '../events';

/** Facts with their maps and sets as arrays, as they travel. */
type Wire = Omit<FileFacts, 'suppressions' | 'globalsDeclared'> & {
  suppressions: [number, string[]][];
  globalsDeclared: [string, string[]][];
};

/** One distinct ref in the table; a base or callee is the index of an earlier entry. */
type TableEntry = [0, string] | [1, number, string] | [2, number, string] | [3, number] | [4, string];

/** What stands in the body for a ref: its index in the table. */
interface Marker {
  $: number;
}

/** Encode facts for `postMessage` and the cache. */
export function encodeFacts(facts: FileFacts): string {
  const wire: Wire = {
    ...facts,
    suppressions: [...facts.suppressions].map(([line, codes]) => [line, [...codes]]),
    globalsDeclared: [...facts.globalsDeclared].map(([fn, names]) => [fn, [...names]]),
  };
  const table = new RefTable();
  const body = JSON.stringify(wire, (_key, value: unknown) => (isRef(value) ? { $: table.add(value) } : value));
  return `{"refs":${JSON.stringify(table.entries)},"body":${body}}`;
}

/** Decode facts sent by `encodeFacts`; throws on a text that is not such facts. */
export function decodeFacts(text: string): FileFacts {
  const { refs, body } = JSON.parse(text) as { refs: TableEntry[]; body: Wire };
  if (!Array.isArray(refs) || !body || typeof body !== 'object') throw new Error('not encoded facts');
  const wire = withRefs(body, decodeTable(refs));
  return {
    ...wire,
    suppressions: new Map(wire.suppressions.map(([line, codes]) => [line, new Set(codes)])),
    globalsDeclared: new Map(wire.globalsDeclared.map(([fn, names]) => [fn, new Set(names)])),
  };
}

/** The distinct refs of one file, numbered in the order first met (a base before what is built on it). */
class RefTable {
  readonly entries: TableEntry[] = [];
  private readonly ids = new Map<string, number>();

  add(ref: Ref): number {
    const entry: TableEntry = ref.kind === 'name' ? [0, ref.name]
      : ref.kind === 'attr' ? [1, this.add(ref.base), ref.attr]
        : ref.kind === 'index' ? [2, this.add(ref.base), ref.index]
          : ref.kind === 'call' ? [3, this.add(ref.callee)] : [4, ref.text];
    const key = entry.join('\u0000');
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.entries.length;
      this.ids.set(key, id);
      this.entries.push(entry);
    }
    return id;
  }
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

/** Put the table's refs where the body has markers (in place), and return the body. */
function withRefs<T extends object>(body: T, refs: Ref[]): T {
  const lookup = (m: Marker): Ref => {
    const ref = typeof m.$ === 'number' ? refs[m.$] : undefined;
    if (ref === undefined) throw new Error('bad ref marker');
    return ref;
  };
  const visit = (node: Record<string, unknown> | unknown[]): void => {
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const x = node[i];
        if (x !== null && typeof x === 'object') {
          if ((x as Marker).$ !== undefined) node[i] = lookup(x as Marker);
          else visit(x as Record<string, unknown>);
        }
      }
      return;
    }
    for (const k in node) {
      const x = node[k];
      if (x !== null && typeof x === 'object') {
        if ((x as Marker).$ !== undefined) node[k] = lookup(x as Marker);
        else visit(x as Record<string, unknown>);
      }
    }
  };
  visit(body as Record<string, unknown>);
  return body;
}
