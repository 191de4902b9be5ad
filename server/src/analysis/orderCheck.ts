// Checks an order file against the analyzed program (unknown names, duplicates,
// contradictions) and writes the inferred global order as an order file.

import { DeclaredOrder, nameMatches, parseOrderFile } from './orderFile';
import type { Program } from './program';
import type { FileProblem, LockClass } from './types';

/** Parse and check an order file; its problems carry the file's path and line. */
export function checkOrderFile(
  file: { path: string; text: string }, locks: LockClass[],
): { declared: DeclaredOrder; problems: FileProblem[] } {
  const parsed = parseOrderFile(file.text);
  const declared = new DeclaredOrder(file.path, parsed.lines);
  const problems: FileProblem[] = parsed.problems.map((p) => ({ file: file.path, line: p.line, message: p.message }));
  for (const e of declared.entries) {
    if (!locks.some((l) => nameMatches(e.pattern, l.name))) {
      problems.push({ file: file.path, line: e.line, message: `no lock named ${e.pattern} in the analyzed code` });
    }
  }
  for (const d of declared.duplicates()) {
    problems.push({ file: file.path, line: d.line, message: `${d.pattern} is declared twice` });
  }
  for (const c of declared.contradictions()) {
    problems.push({
      file: file.path, line: Math.max(c.a.lastLine, c.b.lastLine),
      message: `contradiction: ${c.a.pattern} and ${c.b.pattern} are each declared before the other`,
    });
  }
  return { declared, problems };
}

/** The inferred global order as order-file text; cycles are left out and explained. */
export function inferredOrderText(program: Program, previous?: string): string {
  const ranked = [...program.symbols.locks.values()]
    .filter((l) => program.graph.rank(l.id) !== undefined)
    .sort((a, b) => program.graph.rank(a.id)! - program.graph.rank(b.id)!);
  const previousLines = (previous ?? '').split(/\r?\n/);
  const ascending = new Map<string, string>();
  for (const l of previousLines) {
    const m = /^\s*(\S+)\s+ascending\s+by\s+\w+/.exec(l.replace(/#.*$/, ''));
    if (m) ascending.set(m[1], l.trim());
  }
  const out = [
    '# lockorder.order: the declared lock hierarchy, outermost (taken first) to innermost.',
    '# Written by `lockorder check --write-order` from the inferred global order; see docs/order-file.md.',
    '',
    ...ranked.map((l) => ascending.get(l.name) ?? l.name),
  ];
  const cycles = program.graph.components();
  if (cycles.length) {
    out.push('', '# Left out: these locks are taken in both orders somewhere (see the LO101 findings);');
    out.push('# decide their order, fix the code, then declare them.');
    for (const scc of cycles) {
      const names = [...scc].map((id) => program.symbols.locks.get(id)?.name ?? id).sort();
      out.push(`#   cycle: ${names.join(', ')}`);
    }
  }
  const placed = new Set(ranked.map((l) => ascending.get(l.name)).filter((l) => !!l));
  const kept = previousLines.filter((l) => /[<=]|ascending\s+by/.test(l.replace(/#.*$/, '')) && !placed.has(l.trim()));
  if (kept.length) out.push('', '# Kept from the previous file:', ...kept);
  return `${out.join('\n')}\n`;
}
