// The units an open TS/JS document's walk is cut into, so an edit re-walks only the units it
// touched (unitReuse.ts): each top-level statement, and each member of a top-level class (the
// class's header, up to its `{`, is a unit of its own). For each unit: a key (what it declares),
// its text, its lines, and its "type skeleton": the part of its text that can change a type the
// checker gives other units (a method's signature when its return type is written; the whole
// text otherwise, and always in JavaScript, where assignments declare properties).

import { ts, type SourceFile } from 'ts-morph';

/** One unit of a file. */
export interface Unit {
  key: string;
  text: string;
  skeleton: string;
  startLine: number;
  endLine: number;
  pos: number;
  end: number;
  /** The class header: it produces the class's fact, and is always walked. */
  header?: boolean;
}

/** A file's units in document order, and the unit index of each unit's compiler node. */
export interface Units {
  sf: ts.SourceFile;
  list: Unit[];
  /** Each unit's compiler node (not kept with the list: that would keep the parse alive). */
  nodes: ts.Node[];
  byNode: Map<ts.Node, number>;
}

const JS = /\.(?:js|jsx|mjs|cjs)$/i;

/** Cut a source file into units. */
export function unitsOf(sf: SourceFile): Units {
  const file = sf.compilerNode;
  const text = file.text;
  const js = JS.test(file.fileName);
  const units: Units = { sf: file, nodes: [], list: [], byNode: new Map() };
  const add = (node: ts.Node, key: string, start: number, end: number, skeleton: (t: string) => string, header = false) => {
    const t = text.slice(start, end);
    units.nodes.push(node);
    units.list.push({
      key, text: t, skeleton: js ? t : skeleton(t), pos: node.pos, end: header ? start + 1 : node.end, header: header || undefined,
      startLine: file.getLineAndCharacterOfPosition(start).line, endLine: file.getLineAndCharacterOfPosition(end).line,
    });
  };
  for (const stmt of file.statements) {
    const start = stmt.getStart(file);
    if (ts.isClassDeclaration(stmt)) {
      const name = stmt.name?.text ?? '<default>';
      add(stmt, `class ${name}`, start, stmt.members.pos, (t) => t, true);
      for (const m of stmt.members) {
        units.byNode.set(m, units.list.length);
        add(m, `${name}.${ts.SyntaxKind[m.kind]} ${m.name && ts.isIdentifier(m.name) ? m.name.text : m.name?.getText(file) ?? ''}`,
          m.getStart(file), m.end, (t) => signature(m, t, m.getStart(file), file));
      }
      continue;
    }
    units.byNode.set(stmt, units.list.length);
    add(stmt, `${ts.SyntaxKind[stmt.kind]} ${declaredNames(stmt)}`, start, stmt.end, (t) => signature(stmt, t, start, file));
  }
  return units;
}

/** Whether a text has a word (or matches a pattern). */
export function hasWord(text: string, word: string | RegExp): boolean {
  return typeof word === 'string' ? text.includes(word) : word.test(text);
}

/** The names a top-level statement declares (for its key). */
function declaredNames(stmt: ts.Statement): string {
  if (ts.isVariableStatement(stmt)) return stmt.declarationList.declarations.map((d) => d.name.getText()).join(',');
  const name = (stmt as { name?: ts.Node }).name;
  return name && ts.isIdentifier(name) ? name.text : '';
}

/**
 * What of a declaration's text other units' types can depend on: a function or method whose
 * return type is written (a constructor, a setter) is seen only through its signature (its body
 * only by a walk that reads it, which says so: unitReuse.ts's touchScope); anything else (a
 * property, a variable, an import, a type, a statement) through its whole text.
 */
function signature(node: ts.Node, text: string, start: number, file: ts.SourceFile): string {
  const body = (node as { body?: ts.Node }).body;
  const typed = ts.isConstructorDeclaration(node) || ts.isSetAccessorDeclaration(node) || !!(node as { type?: ts.Node }).type;
  if (body && typed && (ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) || ts.isGetAccessorDeclaration(node)
    || ts.isSetAccessorDeclaration(node) || ts.isConstructorDeclaration(node))) return text.slice(0, body.getStart(file) - start);
  return text;
}

/**
 * The units whose text an edit changed, when the rest lines up with the previous walk: the same
 * units in the same order on the same lines, and no type skeleton or class header changed.
 */
export function changedUnits(old: Unit[], now: Unit[]): Set<number> | undefined {
  if (old.length !== now.length) return undefined;
  const changed = new Set<number>();
  for (let i = 0; i < now.length; i++) {
    const a = old[i];
    const b = now[i];
    if (a.key !== b.key || a.startLine !== b.startLine || a.endLine !== b.endLine) return undefined;
    if (a.text === b.text) continue;
    if (a.header || a.skeleton !== b.skeleton) return undefined;
    changed.add(i);
  }
  return changed;
}

/** The first and last index of the units that overlap `pos`…`end` (last < first when none does). */
export function unitRange(list: Unit[], pos: number, end: number): [number, number] {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].end <= pos) lo = mid + 1;
    else hi = mid;
  }
  let to = lo - 1;
  while (to + 1 < list.length && list[to + 1].pos < end) to++;
  return [lo, to];
}
