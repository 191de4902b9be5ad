// The declared order of `lockorder.order` as a graph: an edge a -> b for "a is taken before b",
// kept with the first line that declares it. Strongly connected components (an iterative
// Tarjan, so no recursion on a long file) give a topological rank per component; "a before
// b" is answered from those ranks and a pruned search, never by building the transitive
// closure, so a 20,000-line file costs linear time and memory. Components with more than
// one lock are the contradictions, each reported once with the lines that close its cycle.

/** Edge keys are a * edgeKeyBase + b: exact for up to 2^26 entries (a 10 MB file has fewer). */
const edgeKeyBase = 2 ** 26;

/** One direct "before" edge and the 0-based line that first declares it. */
interface Edge {
  to: number;
  line: number;
}

/** A cycle of declarations: the locks in order (first not repeated) and each step's line. */
export interface DeclaredCycle {
  nodes: number[];
  lines: number[];
  /** The line where the cycle is first complete, reading the file top to bottom. */
  closingLine: number;
}

/** The "declared before" graph over numbered entries. */
export class DeclaredGraph {
  private readonly out: Edge[][] = [];
  private readonly seenEdges = new Set<number>();
  private readonly chainPos: number[] = [];
  private comp: Int32Array = new Int32Array(0);
  private compSize: number[] = [];
  private compOut: number[][] = [];
  private readonly answers = new Map<number, boolean>();

  /** Make room for entry `node` (entries are numbered from 0 without gaps). */
  addNode(node: number): void {
    while (this.out.length <= node) {
      this.out.push([]);
      this.chainPos.push(-1);
    }
  }

  /** Declare `a` before `b` on `line` (a repeated edge keeps its first line). */
  addEdge(a: number, b: number, line: number): void {
    const key = a * edgeKeyBase + b;
    if (this.seenEdges.has(key)) return;
    this.seenEdges.add(key);
    this.out[a].push({ to: b, line });
  }

  /** Record an entry's place among the one-lock lines (a total order: a fast path for queries). */
  setChainPosition(node: number, position: number): void {
    this.chainPos[node] = position;
  }

  /** Compute the components and their ranks; call once all edges are in. */
  finish(): void {
    const n = this.out.length;
    this.comp = tarjan(this.out);
    let count = 0;
    for (let v = 0; v < n; v++) count = Math.max(count, this.comp[v] + 1);
    this.compSize = new Array<number>(count).fill(0);
    // Edges between components (a repeat costs one more look in a search, nothing else).
    this.compOut = Array.from({ length: count }, () => []);
    for (let v = 0; v < n; v++) {
      this.compSize[this.comp[v]]++;
      for (const e of this.out[v]) if (this.comp[e.to] !== this.comp[v]) this.compOut[this.comp[v]].push(this.comp[e.to]);
    }
  }

  /** Whether `a` is declared before `b`, directly or through other lines (both, in a cycle). */
  before(a: number, b: number): boolean {
    const ca = this.comp[a];
    const cb = this.comp[b];
    if (a === b) return this.compSize[ca] > 1 || this.out[a].some((e) => e.to === a);
    if (ca === cb) return this.compSize[ca] > 1;
    const pa = this.chainPos[a];
    const pb = this.chainPos[b];
    if (pa >= 0 && pb >= 0) return pa < pb;
    // Tarjan numbers sink components first: every edge goes to a lower component number.
    if (ca < cb) return false;
    const key = ca * this.compSize.length + cb;
    let answer = this.answers.get(key);
    if (answer === undefined) {
      answer = this.reaches(ca, cb);
      this.answers.set(key, answer);
    }
    return answer;
  }

  /** Search the component graph from `from`, skipping components numbered below `to`. */
  private reaches(from: number, to: number): boolean {
    const seen = new Uint8Array(this.compSize.length);
    const stack = [from];
    seen[from] = 1;
    while (stack.length > 0) {
      const c = stack.pop()!;
      for (const next of this.compOut[c]) {
        if (next === to) return true;
        if (next < to || seen[next]) continue;
        seen[next] = 1;
        stack.push(next);
      }
    }
    return false;
  }

  /** One cycle per component of two or more entries, with the line that completes it. */
  cycles(): DeclaredCycle[] {
    const members = new Map<number, number[]>();
    this.comp.forEach((c, v) => {
      if (this.compSize[c] < 2) return;
      const list = members.get(c);
      if (list) list.push(v);
      else members.set(c, [v]);
    });
    return [...members.values()].map((nodes) => this.cycleIn(nodes));
  }

  /** The earliest line at which the component's edges hold a cycle, and one such cycle. */
  private cycleIn(nodes: number[]): DeclaredCycle {
    const c = this.comp[nodes[0]];
    const local = new Map(nodes.map((v, i) => [v, i]));
    const inside: LocalEdge[] = [];
    for (const v of nodes) {
      for (const e of this.out[v]) if (this.comp[e.to] === c) inside.push({ from: local.get(v)!, to: local.get(e.to)!, line: e.line });
    }
    const lines = [...new Set(inside.map((e) => e.line))].sort((x, y) => x - y);
    let lo = 0;
    let hi = lines.length - 1; // With every line the component is one cycle or more.
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (leftOver(nodes.length, inside, lines[mid]).some((left) => left === 1)) hi = mid;
      else lo = mid + 1;
    }
    const closingLine = lines[lo];
    const cycle = walkCycle(leftOver(nodes.length, inside, closingLine), inside, closingLine);
    return { nodes: cycle.nodes.map((i) => nodes[i]), lines: cycle.lines, closingLine };
  }
}

/** An edge inside one component, between local numbers 0..size-1. */
interface LocalEdge {
  from: number;
  to: number;
  line: number;
}

/** Tarjan's strongly connected components, iteratively; components numbered sinks first. */
function tarjan(out: Edge[][]): Int32Array {
  const n = out.length;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const comp = new Int32Array(n).fill(-1);
  const stack: number[] = [];
  let counter = 0;
  let comps = 0;
  for (let root = 0; root < n; root++) {
    if (index[root] >= 0) continue;
    const frames: { node: number; next: number }[] = [];
    const enter = (v: number): void => {
      index[v] = low[v] = counter++;
      stack.push(v);
      onStack[v] = 1;
      frames.push({ node: v, next: 0 });
    };
    enter(root);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1];
      const v = frame.node;
      if (frame.next < out[v].length) {
        const w = out[v][frame.next++].to;
        if (index[w] < 0) enter(w);
        else if (onStack[w]) low[v] = Math.min(low[v], index[w]);
        continue;
      }
      frames.pop();
      if (frames.length > 0) {
        const parent = frames[frames.length - 1].node;
        low[parent] = Math.min(low[parent], low[v]);
      }
      if (low[v] !== index[v]) continue;
      let w: number;
      do {
        w = stack.pop()!;
        onStack[w] = 0;
        comp[w] = comps;
      } while (w !== v);
      comps++;
    }
  }
  return comp;
}

/** Kahn's peeling on the edges up to `upTo`: 1 marks the entries left, on or between cycles. */
function leftOver(size: number, inside: LocalEdge[], upTo: number): Uint8Array {
  const indegree = new Int32Array(size);
  const outCount = new Int32Array(size + 1);
  for (const e of inside) {
    if (e.line > upTo) continue;
    indegree[e.to]++;
    outCount[e.from + 1]++;
  }
  for (let i = 0; i < size; i++) outCount[i + 1] += outCount[i];
  const targets = new Int32Array(outCount[size]);
  const fill = outCount.slice(0, size);
  for (const e of inside) if (e.line <= upTo) targets[fill[e.from]++] = e.to;
  const left = new Uint8Array(size).fill(1);
  const ready: number[] = [];
  for (let v = 0; v < size; v++) if (indegree[v] === 0) ready.push(v);
  while (ready.length > 0) {
    const v = ready.pop()!;
    left[v] = 0;
    for (let k = outCount[v]; k < outCount[v + 1]; k++) if (--indegree[targets[k]] === 0) ready.push(targets[k]);
  }
  return left;
}

/** Follow edges backwards among the left-over entries until one repeats: that loop is a cycle. */
function walkCycle(left: Uint8Array, inside: LocalEdge[], upTo: number): { nodes: number[]; lines: number[] } {
  const into = new Map<number, LocalEdge>();
  for (const e of inside) {
    if (e.line <= upTo && left[e.from] && left[e.to] && !into.has(e.to)) into.set(e.to, e);
  }
  const order: number[] = [];
  const at = new Map<number, number>();
  let v = left.indexOf(1);
  while (!at.has(v)) {
    at.set(v, order.length);
    order.push(v);
    v = into.get(v)!.from;
  }
  const loop = order.slice(at.get(v)!).reverse(); // forward order: each is declared before the next
  const lines = loop.map((_, i) => into.get(loop[(i + 1) % loop.length])!.line);
  return { nodes: loop, lines };
}
