// Language-neutral readings of symbolic references (`Ref`s, see events.ts): their source-like
// text, the dotted name they stand for after a file's imports, and a dotted text read back as
// a reference. Every front end and the linker share these.

import type { ImportFact, Ref } from './events';

/** `a`, `a.b.c`: names joined by dots, nothing else (no spaces, comments or brackets). */
const DOTTED = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/** Words that may start a dotted text without being a plain name there: the nodes decide. */
const NOT_PLAIN = new Set([
  'None', 'True', 'False', 'await', 'async', 'print', 'exec', 'match', 'case', 'type', 'lambda', 'not', 'and', 'or',
  'is', 'in', 'if', 'else', 'for', 'yield', 'from', 'import', 'return', 'del', 'global', 'nonlocal', 'pass',
]);

/**
 * The ref of a plain dotted name read from its text, or undefined when the text is not one
 * (then the caller reads the nodes). `a` is a name, `a.b.c` an attribute chain.
 */
export function dottedRef(text: string): Ref | undefined {
  if (!DOTTED.test(text)) return undefined;
  const parts = text.split('.');
  if (NOT_PLAIN.has(parts[0])) return undefined;
  let ref: Ref = { kind: 'name', name: parts[0] };
  for (let i = 1; i < parts.length; i++) ref = { kind: 'attr', base: ref, attr: parts[i] };
  return ref;
}

/** The source-like text of a reference: `self._lock`, `locks[i]`. */
export function refText(ref: Ref): string {
  switch (ref.kind) {
    case 'name': return ref.name;
    case 'attr': return `${refText(ref.base)}.${ref.attr}`;
    case 'index': return `${refText(ref.base)}[${ref.index}]`;
    case 'call': return `${refText(ref.callee)}()`;
    case 'other': return ref.text;
  }
}

/** The dotted name a reference stands for after resolving the file's imports, if any. */
export function dottedName(ref: Ref, imports: Map<string, ImportFact>): string | undefined {
  if (ref.kind === 'name') {
    const imp = imports.get(ref.name);
    if (!imp) return ref.name;
    const mod = '.'.repeat(imp.level) + imp.module;
    return imp.name ? (imp.module || imp.level ? `${mod}.${imp.name}` : imp.name) : mod;
  }
  if (ref.kind === 'attr') {
    const base = dottedName(ref.base, imports);
    return base === undefined ? undefined : `${base}.${ref.attr}`;
  }
  return undefined;
}
