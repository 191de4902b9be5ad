// Tells whether an edit changed only function bodies, and which functions: the condition
// for re-linking one file in place instead of the whole program. Everything a file declares
// (imports, classes, functions, lock definitions, module and class types, thread starts) must
// be unchanged; bodies are the acquisitions, releases, calls, aliases and local types.
// Signatures are lists of per-fact strings, so the statement-by-statement walker can build a
// file's signature from its statements' (computed once each) and get the same value.

import { MODULE_FUNCTION, type FileFacts } from './events';

/** The functions of a file whose bodies an edit changed (ids, with nested functions). */
export interface BodyEdit {
  changed: Set<string>;
}

/** A file's (or a statement's) facts as strings: declarations by kind, and bodies by function and kind. */
export interface FactSignature {
  declarations: string[][];
  bodies: Map<string, string[][]>;
}

const DECLARATION_KINDS = 7;
const BODY_KINDS = 5;
const signatures = new WeakMap<FileFacts, FactSignature>();
const statementSignatures = new WeakMap<FileFacts, FactSignature[]>();

/** Compare a file's facts before and after an edit; undefined when more than bodies changed. */
export function bodyEdit(before: FileFacts, after: FileFacts): BodyEdit | undefined {
  if (JSON.stringify(before.imports) !== JSON.stringify(after.imports)) return undefined;
  const [old, now] = changedParts(before, after);
  if (!sameLists(old.declarations, now.declarations)) return undefined;
  const changed = new Set<string>();
  for (const id of new Set([...old.bodies.keys(), ...now.bodies.keys()])) {
    if (!sameLists(old.bodies.get(id) ?? [], now.bodies.get(id) ?? [])) changed.add(id);
  }
  // Nested functions resolve names through their parents: they change with them.
  for (const f of after.functions) {
    for (let p = f.parent; p; p = after.functions.find((g) => g.id === p)?.parent) {
      if (changed.has(p)) changed.add(f.id);
    }
  }
  return { changed };
}

/**
 * The signatures to compare: for two statement-by-statement walks, only the statements
 * between the unchanged (identical) first and last ones; otherwise the whole files'.
 */
function changedParts(before: FileFacts, after: FileFacts): [FactSignature, FactSignature] {
  const a = statementSignatures.get(before);
  const b = statementSignatures.get(after);
  if (!a || !b) return [signatureOf(before), signatureOf(after)];
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  return [joinSignatures(a.slice(head, a.length - tail)), joinSignatures(b.slice(head, b.length - tail))];
}

/** A file's signature: the one its walker attached, or computed now. */
export function signatureOf(f: FileFacts): FactSignature {
  let sig = signatures.get(f);
  if (!sig) {
    const parts = statementSignatures.get(f);
    signatures.set(f, (sig = parts ? joinSignatures(parts) : signFacts(f)));
  }
  return sig;
}

/** Attach the signatures of a file's top-level statements, in order (from the statement-by-statement walker). */
export function attachStatementSignatures(f: FileFacts, parts: FactSignature[]): void {
  statementSignatures.set(f, parts);
}

/** Join statement signatures in document order: the same value as signing the whole file. */
export function joinSignatures(parts: FactSignature[]): FactSignature {
  const out: FactSignature = { declarations: kinds(DECLARATION_KINDS), bodies: new Map() };
  for (const p of parts) {
    p.declarations.forEach((list, k) => out.declarations[k].push(...list));
    for (const [id, lists] of p.bodies) {
      const into = out.bodies.get(id) ?? kinds(BODY_KINDS);
      lists.forEach((list, k) => into[k].push(...list));
      out.bodies.set(id, into);
    }
  }
  return out;
}

/** Sign facts (a whole file's, or one statement's walked on its own). */
export function signFacts(f: FileFacts): FactSignature {
  const lines = (r: { start: { line: number }; end: { line: number } }) => [r.start.line, r.end.line];
  const declarations = [
    f.classes.map((c) => JSON.stringify({ ...c, range: lines(c.range) })),
    f.functions.map((fn) => JSON.stringify({ ...fn, range: lines(fn.range) })),
    f.lockDefs.map((d) => JSON.stringify(d)),
    f.types.filter((t) => t.owner !== 'local').map((t) => JSON.stringify(t)),
    f.threads.map((t) => JSON.stringify(t)),
    [...f.globalsDeclared].map(([k, v]) => JSON.stringify([k, [...v]])),
    (f.forkHooks ?? []).map((h) => JSON.stringify(h)),
  ];
  const bodies = new Map<string, string[][]>();
  const put = (id: string, kind: number, value: unknown) => {
    const lists = bodies.get(id) ?? kinds(BODY_KINDS);
    lists[kind].push(JSON.stringify(value, withoutIndexes));
    bodies.set(id, lists);
  };
  for (const a of f.acquires) put(a.functionId, 0, a);
  for (const r of f.releases) put(r.functionId, 1, r);
  for (const c of f.calls) put(c.functionId, 2, c);
  for (const a of f.aliases) put(a.functionId, 3, a);
  for (const t of f.types) if (t.owner === 'local') put(t.functionId ?? MODULE_FUNCTION, 4, t);
  return { declarations, bodies };
}

/** Acquisition indexes and group numbers count from the file's start: leave them out. */
function withoutIndexes(key: string, value: unknown): unknown {
  return key === 'acquireIndex' || key === 'group' ? undefined : value;
}

function sameLists(a: string[][], b: string[][]): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) {
    if (a[k].length !== b[k].length) return false;
    for (let i = 0; i < a[k].length; i++) if (a[k][i] !== b[k][i]) return false;
  }
  return true;
}

function kinds(n: number): string[][] {
  return Array.from({ length: n }, () => []);
}
