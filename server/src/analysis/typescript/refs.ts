// Symbolic references (`Ref`s) for TS/JS expressions, written so the language-neutral linker
// resolves them to what the type checker says they are: a top-level symbol of another file is
// reached through a synthesized import of its module, a method or property of a class through
// `this`, a typed local, or the class itself.

import { Node, SyntaxKind, type SourceFile } from 'ts-morph';
import type { ImportFact, Ref, TypeFact } from '../events';
import type { Position, Range } from '../types';

/**
 * The zero-based line and UTF-16 column of an offset, from the compiler's cached line starts
 * (ts-morph's own `getLineAndColumnAtPos` counts lines from the start of the file every time).
 */
export function positionAt(sf: SourceFile, pos: number): Position {
  const p = sf.compilerNode.getLineAndCharacterOfPosition(pos);
  return { line: p.line, character: p.character };
}

/** The range of a node, in LSP terms (ts-morph gives UTF-16 offsets). */
export function rangeOf(node: Node): Range {
  const sf = node.getSourceFile();
  return { start: positionAt(sf, node.getStart()), end: positionAt(sf, node.getEnd()) };
}

/** The 1-based line a node starts on. */
export function lineOf(node: Node): number {
  return positionAt(node.getSourceFile(), node.getStart()).line + 1;
}

/** Per-file bookkeeping of the synthesized module imports and local types a walk adds. */
export class RefBook {
  private modules = new Map<string, string>();

  constructor(
    private readonly file: string,
    private readonly moduleOf: (file: string) => string,
    private readonly imports: ImportFact[],
    private readonly types: TypeFact[],
  ) {}

  /** The module name of a file. */
  moduleName(file: string): string {
    return this.moduleOf(file);
  }

  /** A reference to a top-level name of `file`: plain in its own file, through its module elsewhere. */
  topLevel(name: string, file: string): Ref {
    if (file === this.file) return { kind: 'name', name };
    return { kind: 'attr', base: { kind: 'name', name: this.moduleRef(this.moduleOf(file)) }, attr: name };
  }

  /** Told of every module referred to (unitReuse.ts replays them when it copies a unit's facts). */
  seen: ((module: string) => void) | undefined;

  /** The local name a module is reached through, its import synthesized the first time. */
  moduleRef(module: string): string {
    this.seen?.(module);
    let local = this.modules.get(module);
    if (!local) {
      local = `<module ${module}>`;
      this.modules.set(module, local);
      this.imports.push({ local, module, level: 0 });
    }
    return local;
  }

  /** A reference to the class declaring `member`, if it is a top-level class. */
  classOf(member: Node): Ref | undefined {
    const cls = member.getFirstAncestorByKind(SyntaxKind.ClassDeclaration);
    const name = cls?.getName();
    if (!cls || !name || cls.getParent() !== cls.getSourceFile()) return undefined;
    return this.topLevel(name, cls.getSourceFile().getFilePath());
  }

  /**
   * A reference to `member` (a method, property or field of a class) reached from `receiver`:
   * `this.m` as written; a plain name typed as that class (recorded as a local type); or the class.
   */
  member(receiver: Node, member: Node, name: string, functionId: string): Ref | undefined {
    if (receiver.getKind() === SyntaxKind.ThisKeyword) return { kind: 'attr', base: { kind: 'name', name: 'this' }, attr: name };
    const cls = this.classOf(member);
    if (!cls) return undefined;
    if (Node.isIdentifier(receiver)) {
      const local = receiver.getText();
      this.types.push({ owner: 'local', functionId, name: local, type: cls });
      return { kind: 'attr', base: { kind: 'name', name: local }, attr: name };
    }
    return { kind: 'attr', base: cls, attr: name };
  }
}

/** A syntactic reference for an expression when the checker knows nothing better. */
export function plainRef(node: Node): Ref {
  if (Node.isIdentifier(node)) return { kind: 'name', name: node.getText() };
  if (node.getKind() === SyntaxKind.ThisKeyword) return { kind: 'name', name: 'this' };
  if (Node.isPropertyAccessExpression(node)) return { kind: 'attr', base: plainRef(node.getExpression()), attr: node.getName() };
  if (Node.isParenthesizedExpression(node) || Node.isAwaitExpression(node)) return plainRef(node.getExpression());
  if (Node.isCallExpression(node)) return { kind: 'call', callee: plainRef(node.getExpression()) };
  return { kind: 'other', text: node.getText() };
}
