// Where the TypeScript parser found syntax errors in a file (the rest of it is still walked), so
// the file is reported as only partly analyzed, as a Python file with a syntax error is.

import type { SourceFile, ts } from 'ts-morph';
import type { Range } from '../types';
import { positionAt } from './refs';

/** The parser's own diagnostics, which the compiler keeps on the source file node. */
type WithParseDiagnostics = ts.SourceFile & { parseDiagnostics?: readonly ts.DiagnosticWithLocation[] };

/** The ranges of a file's syntax errors, in document order. */
export function syntaxErrorsOf(sf: SourceFile): Range[] {
  const found = (sf.compilerNode as WithParseDiagnostics).parseDiagnostics ?? [];
  return found.map((d) => ({ start: positionAt(sf, d.start), end: positionAt(sf, d.start + d.length) }));
}
