// The LO104 fix for TS/JS, written here because it is TS/JS text: `const release = await
// m.acquire();` … `release();` becomes `… acquire(); try { … } finally { release(); }`, the
// release statement moved into the `finally`. When code after the release uses a name declared
// between the two, the `try` runs to the end of the block (the lock is then held longer: unsafe).

import { Node, SyntaxKind } from 'ts-morph';
import type { PreparedFix } from '../events';
import { isReleaseCall, nextStatements, type Releaser } from './releaseCheck';
import { positionAt } from './refs';

/**
 * The fix for an acquisition statement whose release statement is a later sibling in its block
 * (`taken`: the method that took the lock, `acquire` or a Web Locks `request`, named in the title).
 */
export function tryFinallyFix(acquireStmt: Node, r: Releaser, taken = 'acquire'): PreparedFix | undefined {
  const block = acquireStmt.getParent();
  if (!block || !(Node.isBlock(block) || Node.isSourceFile(block))) return undefined;
  const after = nextStatements(acquireStmt);
  const found = after.findIndex((s) => Node.isExpressionStatement(s) && isReleaseCall(s.getExpression(), r));
  // The releases of the other locks the statement took (`Promise.all` of acquisitions) written
  // next to this one move into the `finally` with it, so each lock's fix is the same edit.
  const own = declaredNames([acquireStmt]);
  const isOwnRelease = (s: Node | undefined) => !!s && Node.isExpressionStatement(s) && releaseOf(s.getExpression(), own);
  let at = found;
  while (at > 0 && isOwnRelease(after[at - 1])) at--;
  let end = found;
  while (end >= 0 && isOwnRelease(after[end + 1])) end++;
  if (at <= 0) return undefined;
  const releases = after.slice(at, end + 1);
  const releaseStmt = releases[releases.length - 1];
  const wrapped = after.slice(0, at);
  const rest = after.slice(end + 1);
  const extend = rest.length > 0 && usesAny(rest, declaredNames(wrapped));
  const last = extend ? rest[rest.length - 1] : releaseStmt;
  const sf = acquireStmt.getSourceFile();
  const text = sf.getFullText();
  const indent = lineIndent(text, acquireStmt.getStart());
  const unit = indentUnit(text, acquireStmt, indent);
  const inside = (from: number, to: number) => shift(text, from, to, unit, multilineStrings(acquireStmt.getParent()!));
  let body = inside(acquireStmt.getEnd(), releases[0].getFullStart());
  if (extend) body += inside(releaseStmt.getEnd(), last.getEnd());
  const nl = text.includes('\r\n') ? '\r\n' : '\n';
  const finallyBody = releases.map((x) => `${nl}${indent}${unit}${x.getText()}`).join('');
  const newText = `${nl}${indent}try {${body}${nl}${indent}} finally {${finallyBody}${nl}${indent}}`;
  const twice = !r.name && wrapped.some((s) => releasesIn(s, r));
  const unsafe = extend ? ' (unsafe: the lock is also held over the code after the release, which uses names declared before it)'
    : twice ? ` (unsafe: \`${r.lockText}.${r.method ?? 'release'}()\` is also called inside, and would run twice)` : '';
  return {
    title: `Release \`${r.lockText}\` in a \`finally\`: wrap the code after ${taken}() in \`try { … } finally { … }\`${unsafe}`,
    safe: !unsafe,
    edits: [{ range: { start: positionAt(sf, acquireStmt.getEnd()), end: positionAt(sf, last.getEnd()) }, newText }],
  };
}

/** Whether a call is `name()` for one of `names` (a releaser the acquisition statement stored). */
function releaseOf(call: Node, names: Set<string>): boolean {
  return Node.isCallExpression(call) && Node.isIdentifier(call.getExpression()) && names.has(call.getExpression().getText());
}

/** Names the statements declare at their own level (variables, functions, classes). */
function declaredNames(stmts: Node[]): Set<string> {
  const out = new Set<string>();
  for (const s of stmts) {
    if (Node.isVariableStatement(s)) {
      for (const d of s.getDeclarations()) {
        const name = d.getNameNode();
        if (Node.isIdentifier(name)) out.add(name.getText());
        else for (const id of name.getDescendantsOfKind(SyntaxKind.Identifier)) out.add(id.getText());
      }
    } else if ((Node.isFunctionDeclaration(s) || Node.isClassDeclaration(s)) && s.getName()) out.add(s.getName()!);
  }
  return out;
}

/** Whether any identifier in the statements is one of the names. */
function usesAny(stmts: Node[], names: Set<string>): boolean {
  if (names.size === 0) return false;
  return stmts.some((s) => s.getDescendantsOfKind(SyntaxKind.Identifier).some((id) => names.has(id.getText())));
}

/** Whether a statement calls the release (anywhere but in nested functions, which run some other time). */
function releasesIn(node: Node, r: Releaser): boolean {
  if (isReleaseCall(node, r)) return true;
  if (Node.isFunctionLikeDeclaration(node) || Node.isArrowFunction(node) || Node.isFunctionExpression(node)) return false;
  return node.forEachChildAsArray().some((c) => releasesIn(c, r));
}

/** The blanks that start the line holding `pos`. */
function lineIndent(text: string, pos: number): string {
  const start = text.lastIndexOf('\n', pos - 1) + 1;
  return /^[ \t]*/.exec(text.slice(start))![0];
}

/** One level of indentation: what the block adds to the line that opens it (two spaces when unknown). */
function indentUnit(text: string, stmt: Node, indent: string): string {
  const block = stmt.getParent()!;
  if (Node.isBlock(block)) {
    const outer = lineIndent(text, block.getStart());
    if (indent.startsWith(outer) && indent.length > outer.length) return indent.slice(outer.length);
  }
  return indent.startsWith('\t') ? '\t' : '  ';
}

/** The spans of string and template literals that run over more than one line (their lines are not reindented). */
function multilineStrings(scope: Node): [number, number][] {
  const kinds = [SyntaxKind.NoSubstitutionTemplateLiteral, SyntaxKind.TemplateExpression, SyntaxKind.StringLiteral];
  return kinds.flatMap((k) => scope.getDescendantsOfKind(k)).filter((n) => n.getText().includes('\n'))
    .map((n) => [n.getStart(), n.getEnd()]);
}

/** The text from `from` to `to`, every line that starts outside a multi-line string indented by `unit`. */
function shift(text: string, from: number, to: number, unit: string, strings: [number, number][]): string {
  let out = '';
  for (let i = from; i < to; i++) {
    out += text[i];
    const lineStart = i + 1;
    if (text[i] !== '\n' || lineStart >= to) continue;
    const blank = /^[ \t]*(\r?\n|$)/.test(text.slice(lineStart, Math.min(to, text.indexOf('\n', lineStart) + 1 || to)));
    if (!blank && !strings.some(([s, e]) => s < lineStart && lineStart < e)) out += unit;
  }
  return out;
}
