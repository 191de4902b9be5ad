// The declared lock hierarchy (`lockorder.order`, format in docs/order-file.md): parsing,
// matching lock names (with `*` for one dotted part), and the declared order relation.

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

const NAME = /^[A-Za-z_*][\w*]*(\.[A-Za-z_*][\w*]*)*(\[\])?$/;

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

/** Whether a declared name (with `*` for one dotted part) covers a lock name. */
export function nameMatches(pattern: string, lockName: string): boolean {
  const p = pattern.replace(/\[\]$/, '');
  const n = lockName.replace(/\[\]$/, '');
  if (!p.includes('*')) return p === n;
  const re = new RegExp(`^${p.split('.').map((part) => part.split('*').map(escape).join('[^.]*')).join('\\.')}$`);
  return re.test(n);
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A declared entry: one name pattern and where it is declared. */
export interface Declared {
  pattern: string;
  line: number;
  /** The last line that mentions it (where a contradiction is completed). */
  lastLine: number;
  ascendingBy?: string;
}

/** The declared order, ready for queries by lock name. */
export class DeclaredOrder {
  readonly entries: Declared[] = [];
  private after = new Map<number, Set<number>>();
  private groups = new Map<number, number>();

  constructor(readonly path: string, readonly lines: OrderLine[]) {
    let previous: number[] = [];
    const chained = new Set<string>();
    for (const l of lines) {
      // A lock declared twice on one-lock lines keeps its first place (the duplicate is reported).
      if (l.kind === 'chain' && chained.has(l.names[0])) continue;
      if (l.kind === 'chain') chained.add(l.names[0]);
      const ids = l.names.map((pattern) => this.entry(pattern, l.line, l.ascendingBy));
      if (l.kind === 'chain') {
        for (const p of previous) this.order(p, ids[0]);
        previous = [...previous, ids[0]];
      } else if (l.kind === 'relation') {
        for (let i = 0; i + 1 < ids.length; i++) this.order(ids[i], ids[i + 1]);
      } else {
        for (const id of ids) this.groups.set(id, ids[0]);
      }
    }
    this.close();
  }

  private entry(pattern: string, line: number, ascendingBy?: string): number {
    const found = this.entries.findIndex((e) => e.pattern === pattern);
    if (found >= 0) {
      this.entries[found].lastLine = line;
      return found;
    }
    return this.entries.push({ pattern, line, lastLine: line, ascendingBy }) - 1;
  }

  private order(a: number, b: number): void {
    const set = this.after.get(a) ?? new Set<number>();
    set.add(b);
    this.after.set(a, set);
  }

  /** Transitive closure of "declared before": a search from every entry. */
  private close(): void {
    const direct = new Map([...this.after].map(([k, v]) => [k, [...v]]));
    for (const start of this.entries.keys()) {
      const seen = new Set<number>();
      const stack = [...(direct.get(start) ?? [])];
      while (stack.length) {
        const n = stack.pop()!;
        if (seen.has(n)) continue;
        seen.add(n);
        this.order(start, n);
        stack.push(...(direct.get(n) ?? []));
      }
    }
  }

  /** The declaration covering a lock name, if any (exact names win over wildcards). */
  find(lockName: string): number | undefined {
    const exact = this.entries.findIndex((e) => !e.pattern.includes('*') && nameMatches(e.pattern, lockName));
    if (exact >= 0) return exact;
    const wild = this.entries.findIndex((e) => nameMatches(e.pattern, lockName));
    return wild >= 0 ? wild : undefined;
  }

  /** Whether `a` is declared to be taken before `b`. */
  before(a: number, b: number): boolean {
    return this.after.get(a)?.has(b) ?? false;
  }

  /** Whether two declarations share a group (equal rank: never held together). */
  sameGroup(a: number, b: number): boolean {
    const ga = this.groups.get(a);
    return ga !== undefined && ga === this.groups.get(b);
  }

  /** Pairs declared in both orders, directly or through other lines. */
  contradictions(): { a: Declared; b: Declared }[] {
    const out: { a: Declared; b: Declared }[] = [];
    this.entries.forEach((a, i) => this.entries.forEach((b, j) => {
      if (i < j && this.before(i, j) && this.before(j, i)) out.push({ a, b });
    }));
    return out;
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
