// Which files' facts depend on another file: a walk resolves declarations in other files
// (a lock's declaration, a wrapper, a class) and reads some of their bodies. When a file
// changes, the files whose walk used it are walked again (the engine asks: frontEnd.ts's
// dependentsOf). When the change kept every unit's type skeleton (units.ts) and only edited
// bodies, only the files that read one of the edited bodies need it; otherwise every file that
// resolved anything in it, or imports it.

import type { Node, SourceFile, ts } from 'ts-morph';
import { hasWord, type Unit } from './units';

/** A body another file's walk read, as the node's place in that file's parse. */
interface RawRead {
  parse: number;
  pos: number;
  end: number;
  word?: string | RegExp;
}

/** A body read, as the unit it lies in (its key and occurrence) and where that unit started. */
interface UnitRead {
  id: string;
  startLine: number;
  word?: string | RegExp;
}

/** What one file's last walk used of other files. */
interface Reads {
  files: Set<string>;
  /** Type names it looked for in every file's `extends`/`implements` clauses (dispatch.ts): a change of such a clause naming one may change what it found. */
  mentions: Set<string>;
  raw: Map<string, RawRead[]>;
  units: Map<string, UnitRead[]>;
}

const readsOf = new Map<string, Reads>();
let current: { path: string; reads: Reads } | undefined;
const parseIds = new WeakMap<ts.SourceFile, number>();
let nextParse = 0;

/** An id for a parse of a file (a new one with each parse). */
export function parseId(sf: ts.SourceFile): number {
  let id = parseIds.get(sf);
  if (id === undefined) parseIds.set(sf, (id = ++nextParse));
  return id;
}

/** Start recording what the walk of `sf` uses of other files. */
export function beginReads(sf: SourceFile): void {
  current = { path: sf.getFilePath(), reads: { files: new Set(), mentions: new Set(), raw: new Map(), units: new Map() } };
  for (const imp of sf.compilerNode.statements) {
    const spec = (imp as { moduleSpecifier?: ts.Expression }).moduleSpecifier;
    if (spec) current.reads.files.add(`import:${(spec as ts.StringLiteral).text}`);
  }
}

/** The walk is over: keep what it used. */
export function endReads(): void {
  if (current) readsOf.set(current.path, current.reads);
  current = undefined;
}

/** A declaration of another file was resolved. */
export function readDeclaration(decl: Node): void {
  const file = decl.getSourceFile().getFilePath();
  if (current && file !== current.path) current.reads.files.add(file);
}

/** The walk looked in every file for the classes and interfaces extending or implementing a type (`implements Store`). */
export function readMentions(name: string): void {
  current?.reads.mentions.add(name);
}

/** A body of another file was read (all of it, or with `word`, what has the word). */
export function readBody(node: Node, word?: string | RegExp): boolean {
  const sf = node.getSourceFile();
  const file = sf.getFilePath();
  if (!current || file === current.path) return false;
  current.reads.files.add(file);
  const list = current.reads.raw.get(file) ?? [];
  list.push({ parse: parseId(sf.compilerNode), pos: node.compilerNode.pos, end: node.compilerNode.end, word });
  current.reads.raw.set(file, list);
  return true;
}

/** A file is gone: forget what its walk used. */
export function forgetReads(path: string): void {
  readsOf.delete(path);
}

/** A file's units before and after a change, with the parse the units before came from. */
export interface UnitChange {
  before: Unit[];
  beforeParse: number;
  after: Unit[];
}

/**
 * The files to walk again because `path` changed: with the change's units, only those that read
 * an edited body or a moved unit, when no unit came, went, or changed its type skeleton.
 */
export function dependentsOf(path: string, change: UnitChange | undefined, text: string | undefined): string[] {
  // Worked out once per change, not once per file that may depend on it (hundreds in a project).
  const before = change && byId(change.before);
  const after = change && byId(change.after);
  const skeletonsKept = !!before && !!after && before.size === after.size
    && [...before].every(([id, u]) => after.get(id)?.skeleton === u.skeleton);
  const edited = before && after ? heritageTexts(before, after) : undefined;
  const out: string[] = [];
  const retyped: string[] = [];
  for (const [dep, reads] of readsOf) {
    if (dep === path) continue;
    if (reads.mentions.size && mentionsChanged(reads.mentions, edited, text)) {
      out.push(dep);
      continue;
    }
    if (!uses(reads, path)) continue;
    if (!skeletonsKept || !change || !before || !after) retyped.push(dep);
    else if (!stillHolds(reads, path, change, before, after)) out.push(dep);
  }
  return [...out.filter((d) => !retyped.includes(d)), ...typedThrough(path, retyped)];
}

/** Whether a walk resolved something in `path` or imports it. */
function uses(reads: Reads, path: string): boolean {
  const name = path.split('/').pop()!.replace(/\.[^.]+$/, '');
  return reads.files.has(path) || [...reads.files].some((f) => f.startsWith('import:') && f.includes(name));
}

/**
 * The files whose types may have changed with a type skeleton of `path`, and every file that
 * used one of them, over and over: `jobs.js` uses `cacheMutex` of db.ts, made from a `Mutex`
 * re-exported by a file whose `export *` changed; db.ts's text is the same, its lock is not.
 */
function typedThrough(path: string, first: string[]): string[] {
  const out = new Set(first);
  const queue = [...first];
  while (queue.length) {
    const file = queue.shift()!;
    for (const [dep, reads] of readsOf) {
      if (dep === path || out.has(dep) || !uses(reads, file)) continue;
      out.add(dep);
      queue.push(dep);
    }
  }
  return [...out];
}

/** Whether what `reads` used of `path` is unchanged: no unit it read a body of changed text or moved. */
function stillHolds(reads: Reads, path: string, change: UnitChange, before: Map<string, Unit>, after: Map<string, Unit>): boolean {
  const units = reads.units.get(path) ?? [];
  for (const r of reads.raw.get(path) ?? []) {
    if (r.parse !== change.beforeParse) return false;
    const ids = [...before].filter(([, u]) => u.pos < r.end && r.pos < u.end);
    for (const [id, u] of ids) units.push({ id, startLine: u.startLine, word: r.word });
  }
  reads.raw.delete(path);
  reads.units.set(path, units);
  return units.every((r) => {
    const now = after.get(r.id);
    const then = before.get(r.id);
    if (!now || !then || now.startLine !== r.startLine) return false;
    if (now.text === then.text) return true;
    return r.word !== undefined && !hasWord(now.text, r.word) && !hasWord(then.text, r.word);
  });
}

/** The texts, before and after, of the units a change edited that have a heritage clause (`extends`, `implements`). */
function heritageTexts(before: Map<string, Unit>, after: Map<string, Unit>): string[] {
  const out: string[] = [];
  for (const id of new Set([...before.keys(), ...after.keys()])) {
    const a = before.get(id)?.text ?? '';
    const b = after.get(id)?.text ?? '';
    if (a === b) continue;
    for (const t of [a, b]) if (HERITAGE.test(t)) out.push(t);
  }
  return out;
}

const HERITAGE = /\b(?:extends|implements)\b/;
const clauses = new Map<string, RegExp>();

/** Where a class or interface names `name` among its bases (`extends Store`, `implements Store`). */
function clauseNaming(name: string): RegExp {
  let re = clauses.get(name);
  if (!re) clauses.set(name, (re = new RegExp(`\\b(?:extends|implements)\\b[^{;]*?(?<![\\w$])${name.replace(/[$]/g, '\\$&')}(?![\\w$])`)));
  return re;
}

/**
 * Whether a change of a file touched a heritage clause naming one of the names: in a unit it
 * edited (`edited`: those units' texts with a heritage clause), or anywhere in its text when the
 * change is not known.
 */
function mentionsChanged(names: Set<string>, edited: string[] | undefined, text: string | undefined): boolean {
  if (!edited) return text === undefined || [...names].some((n) => clauseNaming(n).test(text));
  return edited.length > 0 && [...names].some((n) => edited.some((t) => clauseNaming(n).test(t)));
}

/** Units by key and occurrence (`class A#0`): the same unit before and after an edit that moved lines. */
function byId(units: Unit[]): Map<string, Unit> {
  const seen = new Map<string, number>();
  const out = new Map<string, Unit>();
  for (const u of units) {
    const n = seen.get(u.key) ?? 0;
    seen.set(u.key, n + 1);
    out.set(`${u.key}#${n}`, u);
  }
  return out;
}
