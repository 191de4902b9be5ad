// The declared lock hierarchy (`lockorder.order`, format in docs/order-file.md): parsing,
// and the declared order relation (a graph, ./declaredGraph) queried by lock name.

import { DeclaredGraph } from './declaredGraph';
import { NameIndex } from './orderNames';

/** One declaration line of the file. */
export interface OrderLine {
  line: number;
  kind: 'chain' | 'relation' | 'group';
  /** Names in the order written (`a < b < c`, `a = b`, or one name). */
  names: string[];
  /** `NAME ascending by ATTR`: instances of the family nest in ascending order of ATTR. */
  ascendingBy?: string;
}

/** A problem in the order file itself, on a 0-based line. */
export interface OrderFileProblem {
  line: number;
  message: string;
}

/** A lock name: dotted identifiers (`*` for any text in one part), then `[]` (a family) or a quoted key (`lock['users']`, TS/JS keyed locks). */
const NAME = /^[A-Za-z_*][\w*]*(\.[A-Za-z_*][\w*]*)*(\[\]|\['(?:[^'\\]|\\.)*'\])?$/;

/** Parse the text of an order file; bad lines become problems and are skipped. */
export function parseOrderFile(text: string): { lines: OrderLine[]; problems: OrderFileProblem[] } {
  const lines: OrderLine[] = [];
  const problems: OrderFileProblem[] = [];
  text.split(/\r?\n/).forEach((raw, line) => {
    const body = raw.replace(/#.*$/, '').trim();
    if (!body) return;
    const parsed = parseLine(body, line);
    if (typeof parsed === 'string') problems.push({ line, message: parsed });
    else lines.push(parsed);
  });
  return { lines, problems };
}

function parseLine(body: string, line: number): OrderLine | string {
  const ascending = /^(\S+)\s+ascending\s+by\s+([A-Za-z_]\w*)$/.exec(body);
  if (ascending) {
    return NAME.test(ascending[1]) ? { line, kind: 'chain', names: [ascending[1]], ascendingBy: ascending[2] }
      : `not a lock name: ${ascending[1]}`;
  }
  const kind = body.includes('<') ? 'relation' : body.includes('=') ? 'group' : 'chain';
  if (body.includes('<') && body.includes('=')) return 'a line is either a relation (a < b) or a group (a = b), not both';
  const names = body.split(kind === 'relation' ? '<' : '=').map((n) => n.trim());
  if (kind === 'chain' && /\s/.test(body)) return `expected one lock name, "a < b" or "a = b": ${body}`;
  const bad = names.find((n) => !NAME.test(n));
  if (bad !== undefined) return bad ? `not a lock name: ${bad}` : `missing a lock name in: ${body}`;
  if (kind !== 'chain' && names.length < 2) return `expected two or more names: ${body}`;
  return { line, kind, names };
}

/** A declared entry: one name pattern and where it is declared. */
export interface Declared {
  pattern: string;
  line: number;
  /** The last line that mentions it. */
  lastLine: number;
  ascendingBy?: string;
}

/** The declared order, ready for queries by lock name. */
export class DeclaredOrder {
  readonly entries: Declared[] = [];
  private readonly byPattern = new Map<string, number>();
  private readonly graph = new DeclaredGraph();
  private readonly groups = new Map<number, number>();
  private readonly names: NameIndex;

  constructor(readonly path: string, readonly lines: OrderLine[]) {
    let previous: number | undefined;
    let position = 0;
    const chained = new Set<string>();
    for (const l of lines) {
      // A lock declared twice on one-lock lines keeps its first place (the duplicate is reported).
      if (l.kind === 'chain' && chained.has(l.names[0])) continue;
      if (l.kind === 'chain') chained.add(l.names[0]);
      const ids = l.names.map((pattern) => this.entry(pattern, l.line, l.ascendingBy));
      if (l.kind === 'chain') {
        // Each one-lock line follows the previous one; the rest of "every line above" is transitivity.
        if (previous !== undefined) this.graph.addEdge(previous, ids[0], l.line);
        this.graph.setChainPosition(ids[0], position++);
        previous = ids[0];
      } else if (l.kind === 'relation') {
        for (let i = 0; i + 1 < ids.length; i++) this.graph.addEdge(ids[i], ids[i + 1], l.line);
      } else {
        for (const id of ids) this.groups.set(id, ids[0]);
      }
    }
    this.graph.finish();
    this.names = new NameIndex(this.entries.map((e) => e.pattern));
  }

  private entry(pattern: string, line: number, ascendingBy?: string): number {
    const found = this.byPattern.get(pattern);
    if (found !== undefined) {
      this.entries[found].lastLine = line;
      return found;
    }
    const id = this.entries.push({ pattern, line, lastLine: line, ascendingBy }) - 1;
    this.byPattern.set(pattern, id);
    this.graph.addNode(id);
    return id;
  }

  /** The declaration covering a lock name, if any (exact names win over wildcards). */
  find(lockName: string): number | undefined {
    return this.names.find(lockName);
  }

  /** For each entry, whether one of these lock names matches it. */
  used(lockNames: string[]): boolean[] {
    return this.names.used(lockNames);
  }

  /** Whether `a` is declared to be taken before `b` (in a contradiction, both ways). */
  before(a: number, b: number): boolean {
    return this.graph.before(a, b);
  }

  /** Whether two declarations share a group (equal rank: never held together). */
  sameGroup(a: number, b: number): boolean {
    const ga = this.groups.get(a);
    return ga !== undefined && ga === this.groups.get(b);
  }

  /** Locks declared in both orders, directly or through other lines: one cycle each, from its first-declared lock. */
  contradictions(): { cycle: Declared[]; lines: number[]; line: number }[] {
    return this.graph.cycles().map((c) => {
      const first = c.nodes.reduce((best, n, i) => (n < c.nodes[best] ? i : best), 0);
      const nodes = [...c.nodes.slice(first), ...c.nodes.slice(0, first)];
      return { cycle: nodes.map((n) => this.entries[n]), lines: c.lines, line: c.closingLine };
    });
  }

  /** Names declared on more than one line. */
  duplicates(): { pattern: string; line: number }[] {
    const seen = new Map<string, number>();
    const out: { pattern: string; line: number }[] = [];
    for (const l of this.lines) {
      if (l.kind !== 'chain') continue;
      for (const n of l.names) {
        if (seen.has(n)) out.push({ pattern: n, line: l.line });
        else seen.set(n, l.line);
      }
    }
    return out;
  }
}
