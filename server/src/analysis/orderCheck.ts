// Checks an order file against the analyzed program (unknown names, duplicates,
// contradictions) and writes the inferred global order as an order file.

import { DeclaredOrder, parseOrderFile, type Declared } from './orderFile';
import type { Program } from './program';
import type { FileProblem, LockClass } from './types';

/** Parse and check an order file; its problems carry the file's path and line. */
export function checkOrderFile(
  file: { path: string; text: string }, locks: LockClass[],
): { declared: DeclaredOrder; problems: FileProblem[] } {
  const parsed = parseOrderFile(file.text);
  const declared = new DeclaredOrder(file.path, parsed.lines);
  const problems: FileProblem[] = parsed.problems.map((p) => ({ file: file.path, line: p.line, message: p.message }));
  const used = declared.used(locks.map((l) => l.name));
  declared.entries.forEach((e, i) => {
    if (!used[i]) problems.push({ file: file.path, line: e.line, message: `no lock named ${e.pattern} in the analyzed code` });
  });
  for (const d of declared.duplicates()) {
    problems.push({ file: file.path, line: d.line, message: `${d.pattern} is declared twice` });
  }
  for (const c of declared.contradictions()) {
    problems.push({ file: file.path, line: c.line, message: contradictionMessage(c.cycle, c.lines) });
  }
  return { declared, problems };
}

/** Most names of a cycle spelled out in a contradiction message. */
const shownNames = 6;

/** "contradiction: a and b are each declared before the other (lines 1 and 3)", kept short. */
function contradictionMessage(cycle: Declared[], lines: number[]): string {
  const where = listed([...new Set(lines)].sort((x, y) => x - y).map((l) => String(l + 1)));
  if (cycle.length === 2) {
    return `contradiction: ${cycle[0].pattern} and ${cycle[1].pattern} are each declared before the other (lines ${where})`;
  }
  const names = cycle.map((e) => e.pattern);
  const shown = names.length <= shownNames ? names
    : [...names.slice(0, 3), `... ${names.length - 5} more ...`, ...names.slice(-2)];
  return `contradiction: a cycle of declarations, ${[...shown, names[0]].join(' < ')} (lines ${where})`;
}

/** "1, 2 and 3", with the middle left out of a long list. */
function listed(items: string[]): string {
  const shown = items.length <= shownNames ? items : [...items.slice(0, 3), `... ${items.length - 5} more ...`, ...items.slice(-2)];
  return shown.length === 1 ? shown[0] : `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
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
