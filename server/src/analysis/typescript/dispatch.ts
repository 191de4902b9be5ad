// Which implementations a method call may run: a call the checker resolves to a method of an
// interface (`this.store.save()`, `store: Store`), or of a class (abstract or not) that analysed
// subclasses override (`this.onFlush()`), reaches each class of the program that really
// implements or extends that type (as its `implements` / `extends` clauses say, through
// interfaces and classes in between) and has, or inherits, the method. The call's fact lists
// those classes (CallFact.dispatch); the linker resolves the method in each. Classes that only
// match by shape, or by name, are not followed.

import { Node, ts } from 'ts-morph';
import type { CallFact, Ref } from '../events';
import type { RefBook } from './refs';
import { readDeclaration, readMentions } from './dependents';
import { declarationOf } from './locks';

/** More implementations than this: the call is not followed (a miss, not a guess). */
const MAX_IMPLEMENTATIONS = 24;

/** A top-level class or interface that names other types in its `extends` / `implements` clauses. */
interface Heir {
  node: ts.ClassDeclaration | ts.InterfaceDeclaration;
  /** The heritage expressions, by the last name each is written with (`Store`, `ns.Store` → `Store`). */
  bases: Map<string, ts.Expression[]>;
}

/** The heirs of one parse of a file (unchanged files keep their parse from program to program). */
const heirsOfFile = new WeakMap<ts.SourceFile, Heir[]>();

/** The classes that extend or implement a type, and the files whose classes and interfaces were looked at to find them. */
interface Subtypes {
  classes: ts.ClassDeclaration[];
  files: Set<string>;
}

/** Per program: its heirs by the names they extend, and the subtypes found so far per type symbol. */
interface ProgramIndex {
  byName: Map<string, Heir[]>;
  subtypes: Map<ts.Symbol, Subtypes>;
}
const indexes = new WeakMap<ts.Program, ProgramIndex>();

/** A type whose methods a call may dispatch: an interface, a class, or an alias of an object type. */
type OwnerType = ts.ClassDeclaration | ts.InterfaceDeclaration | ts.TypeAliasDeclaration;

/**
 * Give a method call's fact the classes it may dispatch to. A method of an interface or object
 * type always gets the list, empty when no analysed class implements it (a type of a library,
 * `Array`'s `push`): the linker then does not guess the callee by its name.
 */
export function markDispatch(fact: CallFact, callee: Node, refs: RefBook): void {
  if (!Node.isPropertyAccessExpression(callee) || callee.getExpression().getKind() === ts.SyntaxKind.SuperKeyword) return;
  const decl = declarationOf(callee);
  const owner = decl && ownerType(decl);
  if (!decl || !owner) return;
  const targets = dispatchTargets(decl, owner, callee.getName(), refs);
  if (targets || !ts.isClassDeclaration(owner)) fact.dispatch = targets ?? [];
}

/**
 * The classes (as refs) whose method `name` a call of the method declared at `decl`, in
 * `owner`, may run, besides `decl` itself; undefined when there are none (or too many).
 */
function dispatchTargets(decl: Node, owner: OwnerType, name: string, refs: RefBook): Ref[] | undefined {
  const file = owner.getSourceFile();
  const project = decl.getSourceFile().getProject();
  const program = project.getProgram().compilerObject;
  if (file.isDeclarationFile || program.isSourceFileFromExternalLibrary(file)) return undefined;
  const checker = program.getTypeChecker();
  const symbol = owner.name && checker.getSymbolAtLocation(owner.name);
  if (!symbol) return undefined;
  const { classes, files } = subtypesOf(indexOf(program), checker, symbol, owner.name!.text);
  // An edit of any file looked at (an implementing class's, or one naming the type) walks this one again.
  readMentions(owner.name!.text);
  for (const f of files) {
    const sf = project.getSourceFile(f);
    if (sf) readDeclaration(sf);
  }
  const targets = new Set<ts.ClassDeclaration>();
  for (const cls of classes) {
    // An override in a subclass; for an interface, also a method the class inherits.
    const holder: ts.ClassDeclaration | undefined = ts.isClassDeclaration(owner) ? (ownMember(cls, name) ? cls : undefined) : withMember(checker, cls, name);
    if (holder && holder !== owner && holder.name && ts.isSourceFile(holder.parent)) targets.add(holder);
  }
  if (targets.size === 0 || targets.size > MAX_IMPLEMENTATIONS) return undefined;
  return [...targets].map((cls) => {
    // A base class giving an implementing class its method may be in a file of its own.
    const sf = project.getSourceFile(cls.getSourceFile().fileName);
    if (sf) readDeclaration(sf);
    return refs.topLevel(cls.name!.text, cls.getSourceFile().fileName);
  });
}

/** The interface, type alias or class declaring a method (a signature or a non-static member). */
function ownerType(decl: Node): OwnerType | undefined {
  const d = decl.compilerNode;
  if (!(ts.isMethodSignature(d) || ts.isPropertySignature(d) || ts.isMethodDeclaration(d) || ts.isPropertyDeclaration(d))) return undefined;
  if ((ts.getCombinedModifierFlags(d as ts.Declaration) & ts.ModifierFlags.Static) !== 0) return undefined;
  const parent = d.parent;
  if (ts.isTypeLiteralNode(parent) && ts.isTypeAliasDeclaration(parent.parent)) return parent.parent;
  return ts.isInterfaceDeclaration(parent) || ts.isClassDeclaration(parent) ? parent : undefined;
}

/** The index of a program, made on first use. */
function indexOf(program: ts.Program): ProgramIndex {
  let index = indexes.get(program);
  if (index) return index;
  index = { byName: new Map(), subtypes: new Map() };
  for (const sf of program.getSourceFiles()) {
    if (sf.isDeclarationFile || program.isSourceFileFromExternalLibrary(sf) || sf.fileName.includes('/node_modules/')) continue;
    for (const heir of heirsOf(sf)) {
      for (const base of heir.bases.keys()) {
        const list = index.byName.get(base);
        if (list) list.push(heir);
        else index.byName.set(base, [heir]);
      }
    }
  }
  indexes.set(program, index);
  return index;
}

/** The top-level classes and interfaces of a file that extend or implement something. */
function heirsOf(sf: ts.SourceFile): Heir[] {
  let heirs = heirsOfFile.get(sf);
  if (heirs) return heirs;
  heirs = [];
  for (const stmt of sf.statements) {
    if (!(ts.isClassDeclaration(stmt) || ts.isInterfaceDeclaration(stmt)) || !stmt.heritageClauses) continue;
    const bases = new Map<string, ts.Expression[]>();
    for (const clause of stmt.heritageClauses) {
      for (const t of clause.types) {
        const last = lastName(t.expression);
        if (last) bases.set(last, [...(bases.get(last) ?? []), t.expression]);
      }
    }
    if (bases.size) heirs.push({ node: stmt, bases });
  }
  heirsOfFile.set(sf, heirs);
  return heirs;
}

/** `Store` for `Store` or `ns.Store`; nothing for a call (`Mixin(Base)`). */
function lastName(expr: ts.Expression): string | undefined {
  if (ts.isIdentifier(expr)) return expr.text;
  return ts.isPropertyAccessExpression(expr) ? expr.name.text : undefined;
}

/** The symbol an expression names, through imports. */
function symbolOf(checker: ts.TypeChecker, expr: ts.Expression): ts.Symbol | undefined {
  const at = ts.isPropertyAccessExpression(expr) ? expr.name : expr;
  const s = checker.getSymbolAtLocation(at);
  return s && s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s;
}

/** The classes that extend or implement a type, directly or through other classes and interfaces. */
function subtypesOf(index: ProgramIndex, checker: ts.TypeChecker, type: ts.Symbol, name: string): Subtypes {
  const known = index.subtypes.get(type);
  if (known) return known;
  const out: Subtypes = { classes: [], files: new Set() };
  const seen = new Set<ts.Symbol>([type]);
  const queue: { symbol: ts.Symbol; name: string }[] = [{ symbol: type, name }];
  for (let next = queue.shift(); next; next = queue.shift()) {
    for (const heir of index.byName.get(next.name) ?? []) {
      out.files.add(heir.node.getSourceFile().fileName);
      if (!heir.bases.get(next.name)!.some((e) => symbolOf(checker, e) === next!.symbol)) continue;
      const s = heir.node.name && checker.getSymbolAtLocation(heir.node.name);
      if (!s || seen.has(s)) continue;
      seen.add(s);
      if (ts.isClassDeclaration(heir.node)) out.classes.push(heir.node);
      queue.push({ symbol: s, name: heir.node.name!.text });
    }
  }
  index.subtypes.set(type, out);
  return out;
}

/** Whether a class declares a (non-abstract, non-static) method or function-valued field of that name. */
function ownMember(cls: ts.ClassDeclaration, name: string): boolean {
  return cls.members.some((m) => {
    if (!m.name || !ts.isIdentifier(m.name) || m.name.text !== name) return false;
    const flags = ts.getCombinedModifierFlags(m);
    if (flags & (ts.ModifierFlags.Abstract | ts.ModifierFlags.Static)) return false;
    return (ts.isMethodDeclaration(m) && !!m.body) || (ts.isPropertyDeclaration(m) && !!m.initializer);
  });
}

/** The class that gives `cls` its method `name`: itself, or the nearest base class declaring it. */
function withMember(checker: ts.TypeChecker, cls: ts.ClassDeclaration, name: string): ts.ClassDeclaration | undefined {
  for (let c: ts.ClassDeclaration | undefined = cls, depth = 0; c && depth < 16; depth++) {
    if (ownMember(c, name)) return c;
    const ext: ts.Expression | undefined = c.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
    const base: ts.ClassDeclaration | undefined = ext && symbolOf(checker, ext)?.declarations?.find(ts.isClassDeclaration);
    c = base;
  }
  return undefined;
}
