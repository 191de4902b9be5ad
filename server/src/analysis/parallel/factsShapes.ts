// The compact form of the facts that make up most of a file's (calls, functions, the locks held
// at each call), for factsCodec.ts: an object travels as an array, first the number of its key
// list in the file's shape table (keys in the object's own order, so a decoded object is the same
// down to its key order), then each value in the form its key's kind gives. A range travels as
// four numbers, a ref as its number in the ref table, a repeated string (a function id) as its
// number in the string table. A key without a kind (none today: the kind tables below must name
// every field, and the compiler checks it) travels as any JSON value does.

import type { CallFact, FunctionFact, HeldFact, Ref } from '../events';
import type { Range } from '../types';

/** How one field's value travels. */
export type Kind = 'plain' | 'str' | 'ref' | 'refs' | 'range' | 'held' | 'any';

/** The kind of every field of a call. */
export const CALL_KINDS: Record<keyof CallFact, Kind> = {
  functionId: 'str', callee: 'ref', range: 'range', held: 'held', args: 'refs', keywords: 'plain', kwargs: 'any',
  property: 'plain', nonEmpty: 'plain', settles: 'plain', detached: 'plain', dispatch: 'refs', onSelf: 'plain', forks: 'plain',
};

/** The kind of every field of a function. */
export const FUNCTION_KINDS: Record<keyof FunctionFact, Kind> = {
  id: 'str', qualname: 'str', name: 'str', className: 'str', parent: 'str', params: 'plain', paramTypes: 'any',
  decorators: 'any', isAsync: 'plain', paramAttrs: 'plain', sortedNames: 'plain', generator: 'plain', cleanup: 'any',
  confined: 'plain', loops: 'any', loopVars: 'any', yields: 'any', returnsCalls: 'any', range: 'range', nameRange: 'range',
};

/** The kind of every field of a held lock. */
const HELD_KINDS: Record<keyof HeldFact, Kind> = {
  lock: 'ref', range: 'range', via: 'plain', acquireIndex: 'plain', batch: 'plain', afterEachLoop: 'plain',
};

type Kinds = Readonly<Record<string, Kind>>;

/** A key list met so far, and the lists that extend it by one key: finding an object's shape compares no strings. */
interface ShapeNode {
  keys: string[];
  id?: number;
  next: Map<string, ShapeNode>;
}

/** Writes objects of one file in the compact form, filling its string and shape tables. */
export class ShapeWriter {
  readonly strings: string[] = [];
  readonly shapes: string[][] = [];
  private readonly stringIds = new Map<string, number>();
  private readonly shapeRoot: ShapeNode = { keys: [], next: new Map() };

  /** `ref` numbers a ref in the file's ref table; `any` copies a value with its refs as markers. */
  constructor(private readonly ref: (r: Ref) => number, private readonly any: (value: unknown) => unknown) {}

  /** An object as `[shape, ...values]`; keys whose value is undefined are left out, as JSON does. */
  object(o: object, kinds: Kinds): unknown[] {
    const out: unknown[] = [0];
    let node = this.shapeRoot;
    for (const k in o) {
      const v = (o as Record<string, unknown>)[k];
      if (v === undefined) continue;
      node = node.next.get(k) ?? this.extend(node, k);
      out.push(this.value(kinds[k] ?? 'any', v));
    }
    if (node.id === undefined) {
      node.id = this.shapes.length;
      this.shapes.push(node.keys);
    }
    out[0] = node.id;
    return out;
  }

  private extend(node: ShapeNode, key: string): ShapeNode {
    const next: ShapeNode = { keys: [...node.keys, key], next: new Map() };
    node.next.set(key, next);
    return next;
  }

  private value(kind: Kind, v: unknown): unknown {
    switch (kind) {
      case 'str': return typeof v === 'string' ? this.string(v) : this.any(v);
      case 'ref': return this.ref(v as Ref);
      case 'refs': return (v as Ref[]).map(this.ref);
      case 'range': {
        const r = v as Range;
        return [r.start.line, r.start.character, r.end.line, r.end.character];
      }
      case 'held': return (v as HeldFact[]).map((h) => this.object(h, HELD_KINDS));
      case 'any': return this.any(v);
      default: return v;
    }
  }

  private string(s: string): number {
    let id = this.stringIds.get(s);
    if (id === undefined) {
      id = this.strings.length;
      this.stringIds.set(s, id);
      this.strings.push(s);
    }
    return id;
  }
}

/** Reads objects written by a ShapeWriter; throws on anything malformed. */
export class ShapeReader {
  /** `ref` is the ref of a table number; `any` puts refs back where a value has markers. */
  constructor(private readonly strings: unknown[], private readonly shapes: unknown[], private readonly ref: (i: unknown) => Ref,
    private readonly any: (value: unknown) => unknown) {
    if (!Array.isArray(strings) || !Array.isArray(shapes)) throw new Error('not encoded facts');
  }

  /** The object a `[shape, ...values]` array stands for. */
  object<T>(a: unknown, kinds: Kinds): T {
    const keys = Array.isArray(a) ? this.shapes[a[0] as number] : undefined;
    if (!Array.isArray(keys) || keys.length !== (a as unknown[]).length - 1) throw new Error('bad shape');
    const out: Record<string, unknown> = {};
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i] as string;
      out[k] = this.value(kinds[k] ?? 'any', (a as unknown[])[i + 1]);
    }
    return out as T;
  }

  private value(kind: Kind, w: unknown): unknown {
    switch (kind) {
      case 'str': {
        if (typeof w !== 'number') return this.any(w);
        const s = this.strings[w];
        if (typeof s !== 'string') throw new Error('bad string');
        return s;
      }
      case 'ref': return this.ref(w);
      case 'refs': return list(w).map(this.ref);
      case 'range': {
        const r = list(w);
        return { start: { line: r[0], character: r[1] }, end: { line: r[2], character: r[3] } };
      }
      case 'held': return list(w).map((h) => this.object(h, HELD_KINDS));
      case 'any': return this.any(w);
      default: return w;
    }
  }
}

/** An array, or an error. */
function list(w: unknown): unknown[] {
  if (!Array.isArray(w)) throw new Error('not encoded facts');
  return w;
}
