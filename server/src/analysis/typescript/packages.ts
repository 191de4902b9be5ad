// Which package a name comes from: a symbol bound by an `import` or a `require()` of a lock
// library, however it was renamed, or re-exported on the way (`export { Mutex } from
// 'async-mutex'` or `export * from 'async-mutex'` in a local `locks.ts` or another package).
// The lock recognisers (locks.ts, limiters.ts) ask this.

import { Node, SyntaxKind, type Symbol as TsSymbol } from 'ts-morph';

/** Whether an expression names what a package exports (`pLimit`, `lib.pLimit`), however it was imported. */
export function isPackageFunction(expr: Node, pkg: string): boolean {
  const symbol = Node.isPropertyAccessExpression(expr) ? expr.getExpression().getSymbol() : expr.getSymbol();
  if (symbol && comesFromPackage(symbol, pkg)) return true;
  // `all.Mutex` where `all` is a local module that re-exports the package (`export * from 'async-mutex'`).
  const member = Node.isPropertyAccessExpression(expr) && symbol?.isAlias() ? expr.getSymbol() : undefined;
  return !!member && declaredIn(member, pkg);
}

/** Whether a symbol is bound by an import or `require()` of `pkg`, directly or through re-exports. */
export function comesFromPackage(symbol: TsSymbol, pkg: string): boolean {
  for (const d of symbol.getDeclarations()) {
    const imp = d.getFirstAncestorByKind(SyntaxKind.ImportDeclaration);
    if (imp) return imp.getModuleSpecifierValue() === pkg || reExported(symbol, pkg);
    const decl = Node.isVariableDeclaration(d) ? d : d.getFirstAncestorByKind(SyntaxKind.VariableDeclaration);
    const init = decl?.getInitializer();
    if (init && Node.isCallExpression(init) && init.getExpression().getText() === 'require') {
      const arg = init.getArguments()[0];
      return !!arg && Node.isStringLiteral(arg) && arg.getLiteralValue() === pkg;
    }
  }
  return false;
}

/**
 * Whether an imported symbol (from another module) is, at the end of its chain of re-exports,
 * declared by `pkg`: in its files under node_modules (or its @types), or in a `declare module 'pkg'`.
 */
function reExported(symbol: TsSymbol, pkg: string): boolean {
  return symbol.isAlias() && declaredIn(symbol, pkg);
}

/** Whether a symbol (followed through aliases) is declared in `pkg`'s files or in a `declare module 'pkg'`. */
function declaredIn(symbol: TsSymbol, pkg: string): boolean {
  const target = symbol.isAlias() ? symbol.getAliasedSymbol() : symbol;
  if (!target) return false;
  const homes = [`/node_modules/${pkg}/`, `/node_modules/@types/${pkg}/`];
  return target.getDeclarations().some((d) => {
    const file = d.getSourceFile().getFilePath();
    if (homes.some((h) => file.includes(h))) return true;
    const ambient = d.getFirstAncestorByKind(SyntaxKind.ModuleDeclaration);
    return !!ambient && ambient.getName().replace(/^['"]|['"]$/g, '') === pkg;
  });
}

/** A number written as a literal (`4`), if the node is one. */
export function literalNumber(node: Node | undefined): number | undefined {
  return node && Node.isNumericLiteral(node) ? Number(node.getLiteralValue()) : undefined;
}
