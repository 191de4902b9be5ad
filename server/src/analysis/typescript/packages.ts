// Which package a name comes from: a symbol bound by an `import` or a `require()` of a lock
// library, however it was renamed. The lock recognisers (locks.ts, limiters.ts) ask this.

import { Node, SyntaxKind, type Symbol as TsSymbol } from 'ts-morph';

/** Whether an expression names what a package exports (`pLimit`, `lib.pLimit`), however it was imported. */
export function isPackageFunction(expr: Node, pkg: string): boolean {
  const symbol = Node.isPropertyAccessExpression(expr) ? expr.getExpression().getSymbol() : expr.getSymbol();
  return !!symbol && comesFromPackage(symbol, pkg);
}

/** Whether a symbol is bound by an import or `require()` of `pkg`. */
export function comesFromPackage(symbol: TsSymbol, pkg: string): boolean {
  for (const d of symbol.getDeclarations()) {
    const imp = d.getFirstAncestorByKind(SyntaxKind.ImportDeclaration);
    if (imp) return imp.getModuleSpecifierValue() === pkg;
    const decl = Node.isVariableDeclaration(d) ? d : d.getFirstAncestorByKind(SyntaxKind.VariableDeclaration);
    const init = decl?.getInitializer();
    if (init && Node.isCallExpression(init) && init.getExpression().getText() === 'require') {
      const arg = init.getArguments()[0];
      return !!arg && Node.isStringLiteral(arg) && arg.getLiteralValue() === pkg;
    }
  }
  return false;
}

/** A number written as a literal (`4`), if the node is one. */
export function literalNumber(node: Node | undefined): number | undefined {
  return node && Node.isNumericLiteral(node) ? Number(node.getLiteralValue()) : undefined;
}
