// Re-walking an edited file statement by statement: the facts of each top-level statement
// are cached by its text and position, so a keystroke re-walks only the statement it
// touched. Gives exactly the facts of a whole-file walk (the tests compare both); a file
// whose held-lock state crosses statements (a module-level `acquire()`) is walked whole.

import type { Node, QueryCapture, Tree } from './syntax';
import type { AcquireFact, CallFact, FileFacts, HeldFact, ImportFact } from '../events';
import { WalkState } from './walkState';
import { attachStatementSignatures, signFacts, type FactSignature } from '../bodyEdit';
import { addImport, capturesOf, finishWalk, importInsertLine, walkCaptures, walkPython } from './walker';
import { mergeCaptures, propertyCaptures, propertyNames } from './properties';

/** The facts of one top-level statement, walked on its own (indexes relative to it). */
interface Chunk {
  imports: ImportFact[];
  facts: FileFacts;
  importsKey: string;
  groups: number;
  /** The statement's facts as strings, for telling which function bodies an edit changed. */
  sig: FactSignature;
}

/** Per-file cache of statement facts, kept between edits of an open document. */
export type WalkCache = Map<string, Chunk>;

/**
 * Walk `tree` reusing the facts of statements unchanged since `cache` was filled; returns the
 * new cache too. `elsewhere`: lock-taking properties of other files whose reads count.
 */
export function walkPythonCached(
  path: string, tree: Tree, text: string, cache: WalkCache | undefined, elsewhere?: ReadonlySet<string>,
): { facts: FileFacts; cache: WalkCache } {
  const next: WalkCache = new Map();
  const top = tree.rootNode.namedChildren.filter((n): n is Node => n !== null);
  const keys = top.map((n) => `${n.startPosition.row}:${n.startPosition.column}\n${text.slice(n.startIndex, n.endIndex)}`);
  const st = new WalkState(path);
  st.text = text;
  const properties = propertyNames(text, elsewhere);
  const captures = (node: Node) => mergeCaptures(capturesOf(node), propertyCaptures(node, properties, text));
  const fresh = new Map<number, QueryCapture[]>();
  const imports = top.map((node, i) => {
    const old = cache?.get(keys[i]);
    const own = new WalkState(path);
    if (old) own.facts.imports.push(...old.imports);
    else {
      fresh.set(i, captures(node));
      for (const c of fresh.get(i)!) if (c.name === 'import') addImport(own, c.node);
    }
    for (const imp of own.facts.imports) { st.facts.imports.push(imp); st.imports.set(imp.local, imp); }
    return own.facts.imports;
  });
  // Statements are walked again when the imports or the file's property names change.
  const importsKey = JSON.stringify([st.facts.imports, [...properties].sort()]);
  st.facts.importInsertLine = importInsertLine(tree.rootNode);
  for (let i = 0; i < top.length; i++) {
    let chunk = cache?.get(keys[i]);
    if (!chunk || chunk.importsKey !== importsKey || clashes(chunk.facts, st)) {
      const walked = walkChunk(path, top[i], fresh.get(i) ?? captures(top[i]), st);
      if (!walked) return { facts: walkPython(path, tree, text, elsewhere), cache: new Map() };
      chunk = { imports: imports[i], facts: walked.facts, importsKey, groups: walked.groups, sig: signFacts(walked.facts) };
    }
    merge(st, chunk);
    next.set(keys[i], chunk);
  }
  finishWalk(st, tree);
  attachStatementSignatures(st.facts, [...next.values()].map((c) => c.sig));
  return { facts: st.facts, cache: next };
}

/** Walk one statement in a state of its own that shares the file's imports. */
function walkChunk(path: string, node: Node, captures: QueryCapture[], file: WalkState): { facts: FileFacts; groups: number } | undefined {
  const st = new WalkState(path);
  st.imports = file.imports;
  st.text = file.text;
  walkCaptures(st, captures);
  for (const open of st.linear.values()) if (open.some((a) => a.scopeEnd > node.endIndex)) return undefined;
  // A duplicate function name gets an id by line; keep such statements out of the cache.
  if (st.facts.functions.some((f) => f.id.includes('@') || file.functionIds.has(f.id))) return undefined;
  return { facts: st.facts, groups: st.groups };
}

/** Whether a cached statement defines a function id the file already has (then it is re-walked). */
function clashes(facts: FileFacts, st: WalkState): boolean {
  return facts.functions.some((f) => st.functionIds.has(f.id));
}

/** Append a statement's facts to the file's, shifting acquisition indexes and group numbers. */
function merge(st: WalkState, chunk: Chunk): void {
  const f = chunk.facts;
  const out = st.facts;
  const base = out.acquires.length;
  const groups = st.groups;
  const held = (h: HeldFact[]) => (base === 0 ? h : h.map((x) => ({ ...x, acquireIndex: x.acquireIndex + base })));
  for (const a of f.acquires) {
    out.acquires.push(base === 0 && groups === 0 ? a : shiftAcquire(a, held, groups));
  }
  for (const c of f.calls) out.calls.push(base === 0 || c.held.length === 0 ? c : { ...c, held: held(c.held) } as CallFact);
  st.groups += chunk.groups;
  out.classes.push(...f.classes);
  for (const fn of f.functions) out.functions.push(base === 0 || !fn.yields ? fn : { ...fn, yields: fn.yields.map((y) => ({ ...y, held: held(y.held) })) });
  for (const fn of f.functions) st.functionIds.add(fn.id);
  out.lockDefs.push(...f.lockDefs);
  out.aliases.push(...f.aliases);
  out.types.push(...f.types);
  out.releases.push(...f.releases);
  out.threads.push(...f.threads);
  if (f.guards) (out.guards ??= []).push(...f.guards);
  if (f.tryGuards) (out.tryGuards ??= []).push(...f.tryGuards);
  if (f.elements) (out.elements ??= []).push(...f.elements);
  if (f.forkHooks) (out.forkHooks ??= []).push(...f.forkHooks);
  out.syntaxErrors.push(...f.syntaxErrors);
  for (const [line, codes] of f.suppressions) out.suppressions.set(line, codes);
  for (const [fn, names] of f.globalsDeclared) {
    const set = out.globalsDeclared.get(fn) ?? new Set<string>();
    for (const n of names) set.add(n);
    out.globalsDeclared.set(fn, set);
  }
}

function shiftAcquire(a: AcquireFact, held: (h: HeldFact[]) => HeldFact[], groups: number): AcquireFact {
  const out: AcquireFact = { ...a, held: held(a.held) };
  if (a.group !== undefined) out.group = a.group + groups;
  return out;
}
