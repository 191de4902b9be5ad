// Fast edits of an open TS/JS document: its walk is cut into units (units.ts), and what each
// unit added to the facts is kept. After an edit of this file alone, a unit whose text did not
// change is not walked again (its facts are copied, its acquisition indexes moved) unless its
// walk read the body of an edited unit (a wrapper's, a class or file scanned: see touchScope),
// or the units before it were walked into a different state (anonymous names, duplicate
// function ids). What the checker sees of a unit from elsewhere (its type skeleton, units.ts)
// must not change: an edit that changes one, moves lines, or renames or adds a unit walks the
// whole file again. The result is the same as walking the edited text cold;
// test/ts-edit-reuse.test.mjs checks that.

import { Node, type SourceFile, type ts } from 'ts-morph';
import type { FileFacts, FunctionFact, HeldFact } from '../events';
import type { RefBook } from './refs';
import { changedUnits, hasWord, unitRange, unitsOf, type Unit, type Units } from './units';
import { parseId, readBody } from './dependents';

const LISTS = ['classes', 'functions', 'lockDefs', 'types', 'acquires', 'releases', 'calls', 'awaits'] as const;
type List = typeof LISTS[number];
type Slices = Record<List, unknown[]>;

/** What one unit's walk added to the facts, and what reusing it depends on. */
interface UnitRecord {
  slices: Slices;
  acquireBase: number;
  anonBefore: number;
  anonAfter: number;
  /** Modules the unit referred to, in first-use order (each adds a synthesized import the first time in the file). */
  modules: string[];
  /** Units (by index) whose nodes the walk of this one read. */
  touched: Set<number>;
  /** Units (by index) with a function found to be no wrapper: an edit that makes one a wrapper was read. */
  noWrappers: Set<number>;
  /** Units scanned for a word (`from`…`to`): any of them changed with the word in its old or new text was read. */
  scans: Map<string, { from: number; to: number; word: string | RegExp }>;
  reusable: boolean;
}

/** What a walk of a file leaves for the next walk of the same file. */
export interface UnitMemory {
  units: Unit[];
  /** The parse the units are of (dependents.ts). */
  parse: number;
  records: (UnitRecord | undefined)[];
}

/** What the walk shares with the unit bookkeeping. */
export interface UnitHost {
  readonly facts: FileFacts;
  readonly refs: RefBook;
  anonymous: number;
  /** Whether a function is a lock wrapper. */
  isWrapper(fn: Node): boolean;
}

/** Units walked and units copied since the process started (tests and benchmarks read it). */
export const unitStats = { walked: 0, reused: 0 };

/** The units walk of the file being walked (walks run one at a time), for the touch* hooks. */
let active: UnitWalk | undefined;

/**
 * A scope (a class, a function, the file) was scanned: every unit in it was read, or with
 * `word`, every unit whose text has that word (a unit without it cannot change the answer).
 */
export function touchScope(scope: Node, word?: string | RegExp): void {
  if (readBody(scope, word)) return; // another file's: see dependents.ts
  active?.touch(scope, word);
}

/** A function was found to be no lock wrapper (wrappers.ts): only that was read of its body. */
export function readNoWrapper(fn: Node): void {
  if (!active?.current || fn.getSourceFile().compilerNode !== active.sfNode) return touchScope(fn);
  const k = active.unitAt(fn.compilerNode.pos);
  if (k !== undefined) active.current.noWrappers.add(k);
}

/** The unit being walked used something that cannot be carried over to another walk (key-named locks). */
export function notReusable(): void {
  if (active?.current) active.current.reusable = false;
}

/** `new Promise`, however spaced or commented: what a scan for promises made looks for. */
export const NEW_PROMISE = /\bnew\s*(?:\/\*[^]*?\*\/\s*|\/\/[^\n]*\n\s*)*Promise\b/;

/** The units of one walk: walks or reuses each. */
export class UnitWalk {
  private units: Units;
  private changed: Set<number> | undefined;
  private records: (UnitRecord | undefined)[] = [];
  private ids = new Set<string>();
  current: Omit<UnitRecord, 'slices' | 'acquireBase' | 'anonBefore' | 'anonAfter'> | undefined;

  constructor(private readonly host: UnitHost, private readonly sf: SourceFile, private readonly previous: UnitMemory | undefined) {
    this.units = unitsOf(sf);
    this.changed = previous && changedUnits(previous.units, this.units.list);
    host.refs.seen = (m) => { if (this.current && !this.current.modules.includes(m)) this.current.modules.push(m); };
    active = this;
  }

  /** What the next walk of this file may reuse. */
  finish(): UnitMemory {
    if (active === this) active = undefined;
    this.host.refs.seen = undefined;
    return { units: this.units.list, parse: parseId(this.units.sf), records: this.records };
  }

  /** Walk a unit (`body`) or copy its facts from the previous walk; `ctx.held`: the locks held at module level. */
  run(node: Node, held: HeldFact[], body: () => void): void {
    const i = this.units.byNode.get(node.compilerNode);
    if (i === undefined || this.current) return body();
    const prev = this.previous?.records[i];
    if (prev && held.length === 0 && this.reusable(i, prev)) return this.reuse(i, prev);
    const { facts } = this.host;
    unitStats.walked++;
    const start = LISTS.map((l) => facts[l]?.length ?? 0);
    const acquireBase = facts.acquires.length;
    const anonBefore = this.host.anonymous;
    this.current = { modules: [], touched: new Set(), noWrappers: new Set(), scans: new Map(), reusable: held.length === 0 };
    try {
      body();
    } finally {
      const cur = this.current;
      this.current = undefined;
      // Shared with the facts handed out: nothing changes a fact once its unit is walked (see reuse).
      const slices = Object.fromEntries(LISTS.map((l, k) => [l, (facts[l] ?? []).slice(start[k])])) as Slices;
      this.records[i] = { ...cur, reusable: cur.reusable && held.length === 0, slices, acquireBase, anonBefore, anonAfter: this.host.anonymous };
      for (const f of slices.functions as FunctionFact[]) this.ids.add(f.id);
    }
  }

  /** The compiler's source file walked. */
  get sfNode(): ts.SourceFile {
    return this.units.sf;
  }

  /** The index of the unit at a position, if one is there. */
  unitAt(pos: number): number | undefined {
    const k = this.units.list.findIndex((u) => u.pos <= pos && pos < u.end);
    return k < 0 ? undefined : k;
  }

  /** Whether an edited unit now holds a lock wrapper (a method, a function, or a variable or field holding one). */
  private holdsWrapper(k: number): boolean {
    const target = this.units.nodes[k];
    let node: Node | undefined = this.sf.getDescendantAtStartWithWidth(target.getStart(this.units.sf), target.end - target.getStart(this.units.sf));
    while (node && node.compilerNode !== target) node = node.getParent();
    if (!node) return true;
    const fns: Node[] = Node.isVariableStatement(node) ? node.getDeclarations().flatMap((d) => d.getInitializer() ?? [])
      : Node.isPropertyDeclaration(node) ? [node.getInitializer() ?? []].flat() : [node];
    return fns.some((f) => (Node.isFunctionLikeDeclaration(f) || Node.isArrowFunction(f) || Node.isFunctionExpression(f)) && this.host.isWrapper(f));
  }

  /** Mark the units a node lies in as read by the unit being walked. */
  touch(node: Node, word?: string | RegExp): void {
    const cur = this.current;
    if (!cur || node.getSourceFile().compilerNode !== this.units.sf) return;
    const [from, to] = unitRange(this.units.list, node.compilerNode.pos, node.compilerNode.end);
    if (to < from) return;
    if (word !== undefined) cur.scans.set(`${from} ${to} ${String(word)}`, { from, to, word });
    else for (let k = from; k <= to; k++) cur.touched.add(k);
  }

  /** Whether a unit's previous facts hold for this walk. */
  private reusable(i: number, prev: UnitRecord): boolean {
    if (!this.changed || this.changed.has(i) || !prev.reusable || prev.anonBefore !== this.host.anonymous) return false;
    for (const t of prev.touched) if (this.changed.has(t)) return false;
    for (const k of prev.noWrappers) if (this.changed.has(k) && this.holdsWrapper(k)) return false;
    for (const { from, to, word } of prev.scans.values()) {
      for (const c of this.changed) {
        if (c >= from && c <= to && (hasWord(this.units.list[c].text, word) || hasWord(this.previous!.units[c].text, word))) return false;
      }
    }
    // A function named like one before it gets `@line` in its id: the functions before must agree.
    const seen = new Set<string>();
    return (prev.slices.functions as FunctionFact[]).every((f) => {
      const dup = this.ids.has(f.qualname) || seen.has(f.qualname);
      seen.add(f.id);
      return dup === (f.id !== f.qualname);
    });
  }

  /**
   * Copy a unit's previous facts. They are shared, not cloned (facts are not changed once made;
   * the engine only reads them), except the holds, moved to where the unit's acquisitions now start.
   */
  private reuse(i: number, prev: UnitRecord): void {
    const { facts, refs } = this.host;
    unitStats.reused++;
    const delta = facts.acquires.length - prev.acquireBase;
    const moved = new Map<HeldFact, HeldFact>(); // one hold is shared by the facts made while it is held
    const move = (h: HeldFact) => {
      let m = moved.get(h);
      if (!m) moved.set(h, (m = { ...h, acquireIndex: h.acquireIndex + delta }));
      return m;
    };
    for (const l of LISTS) {
      let list = prev.slices[l];
      if (!list.length) continue;
      if (delta !== 0 && (l === 'acquires' || l === 'calls' || l === 'awaits')) {
        list = (list as { held: HeldFact[] }[]).map((f) => (f.held.length ? { ...f, held: f.held.map(move) } : f));
      }
      ((facts[l] ??= []) as unknown[]).push(...list);
    }
    for (const m of prev.modules) refs.moduleRef(m);
    this.host.anonymous = prev.anonAfter;
    for (const f of prev.slices.functions as FunctionFact[]) this.ids.add(f.id);
    this.records[i] = prev; // its indexes stay relative to where its acquisitions started then
  }
}
