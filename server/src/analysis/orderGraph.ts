// The lock-order graph over lock classes: edges with their witnesses, strongly connected
// components, elementary cycles (bounded), gate-lock checks, and an inferred global order.

import type { OrderEdge } from './program';

const MAX_CYCLES = 200;
const MAX_CYCLE_LENGTH = 10;
/** Steps of the bounded cycle search per component: a dense component stops there. */
const MAX_SEARCH_STEPS = 200_000;

/** A cycle of lock classes, with one representative witness per edge, in order. */
export interface Cycle {
  edges: OrderEdge[];
  /** Every pair of the cycle is taken under one common lock, so it cannot deadlock. */
  gatedBy?: string;
}

/** The class-level lock-order graph. */
export class OrderGraph {
  /** from id → to id → witnesses. */
  readonly adjacency = new Map<string, Map<string, OrderEdge[]>>();
  private rankOf = new Map<string, number>();
  private cyclic = new Set<string>();

  constructor(edges: OrderEdge[]) {
    for (const e of edges) {
      let out = this.adjacency.get(e.from.lock.id);
      if (!out) this.adjacency.set(e.from.lock.id, (out = new Map()));
      const list = out.get(e.to.lock.id) ?? [];
      list.push(e);
      out.set(e.to.lock.id, list);
    }
    this.computeRanks();
  }

  /** Witnesses of one ordered pair. */
  witnesses(from: string, to: string): OrderEdge[] {
    return this.adjacency.get(from)?.get(to) ?? [];
  }

  /**
   * Elementary cycles (self-loops included), bounded in number, length and search work. Every
   * component with a cycle gives at least one: when the bounded search finds none there (its
   * cycles are all longer than MAX_CYCLE_LENGTH, or it ran out of steps), the shortest cycle
   * through its first lock is added.
   */
  cycles(): Cycle[] {
    const out: Cycle[] = [];
    for (const scc of this.components()) {
      const nodes = [...scc].sort();
      const self = nodes.filter((n) => this.witnesses(n, n).length > 0);
      for (const n of self) out.push(this.cycleOf([n, n]));
      if (nodes.length < 2) continue;
      const before = out.length;
      this.cyclesIn(nodes, scc, out);
      if (out.length === before) out.push(this.cycleOf(this.shortestCycle(nodes[0], scc)));
      if (out.length >= MAX_CYCLES) break;
    }
    return out;
  }

  /** The shortest cycle start → … → start inside a component (breadth first), as a node path. */
  private shortestCycle(start: string, scc: Set<string>): string[] {
    const cameFrom = new Map<string, string>();
    const queue = [start];
    for (let head = 0; head < queue.length; head++) {
      const node = queue[head];
      for (const next of [...(this.adjacency.get(node)?.keys() ?? [])].sort()) {
        if (!scc.has(next) || (next === start && node === start)) continue; // self-loops: counted apart
        if (next === start) {
          const path = [start];
          for (let at: string | undefined = node; at !== undefined && at !== start; at = cameFrom.get(at)) path.push(at);
          path.push(start);
          return [start, ...path.slice(1, -1).reverse(), start];
        }
        if (!cameFrom.has(next) && next !== start) {
          cameFrom.set(next, node);
          queue.push(next);
        }
      }
    }
    return [start, start]; // unreachable for a component of two or more locks
  }

  private cyclesIn(nodes: string[], scc: Set<string>, out: Cycle[]): void {
    const order = new Map(nodes.map((n, i) => [n, i]));
    let steps = 0;
    for (const start of nodes) {
      const path = [start];
      const onPath = new Set(path);
      const visit = (node: string): void => {
        if (out.length >= MAX_CYCLES || ++steps > MAX_SEARCH_STEPS) return;
        for (const next of [...(this.adjacency.get(node)?.keys() ?? [])].sort()) {
          if (!scc.has(next) || order.get(next)! < order.get(start)!) continue;
          if (next === start && path.length > 1) out.push(this.cycleOf([...path, start]));
          else if (!onPath.has(next) && next !== start && path.length < MAX_CYCLE_LENGTH) {
            path.push(next);
            onPath.add(next);
            visit(next);
            path.pop();
            onPath.delete(next);
          }
        }
      };
      visit(start);
    }
  }

  private cycleOf(path: string[]): Cycle {
    const edges: OrderEdge[] = [];
    const gateSets: Set<string>[] = [];
    for (let i = 0; i + 1 < path.length; i++) {
      const list = this.witnesses(path[i], path[i + 1]);
      edges.push(preferred(list));
      gateSets.push(commonGates(list));
    }
    const gatedBy = [...gateSets[0]].find((g) => gateSets.every((s) => s.has(g)) && !path.includes(g));
    return { edges, gatedBy };
  }

  /** Strongly connected components with a cycle (size > 1, or a self-loop). */
  components(): Set<string>[] {
    const index = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const onStack = new Set<string>();
    const out: Set<string>[] = [];
    let counter = 0;
    const strong = (v: string): void => {
      index.set(v, counter);
      low.set(v, counter++);
      stack.push(v);
      onStack.add(v);
      for (const w of this.adjacency.get(v)?.keys() ?? []) {
        if (!index.has(w)) {
          strong(w);
          low.set(v, Math.min(low.get(v)!, low.get(w)!));
        } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
      if (low.get(v) === index.get(v)) {
        const scc = new Set<string>();
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          scc.add(w);
        } while (w !== v);
        if (scc.size > 1 || this.witnesses(v, v).length > 0) out.push(scc);
      }
    };
    for (const v of [...this.adjacency.keys()].sort()) if (!index.has(v)) strong(v);
    return out;
  }

  /** 1-based rank of a lock in the inferred global order; undefined if in a cycle or unseen. */
  rank(lockId: string): number | undefined {
    return this.rankOf.get(lockId);
  }

  /** How many locks the inferred order ranks. */
  get ranked(): number {
    return this.rankOf.size;
  }

  /** Whether a lock lies on a cycle (a component of two or more locks, or a self-loop). */
  inCycle(lockId: string): boolean {
    return this.cyclic.has(lockId);
  }

  private computeRanks(): void {
    const inCycle = this.cyclic;
    for (const scc of this.components()) for (const n of scc) inCycle.add(n);
    const nodes = new Set<string>();
    const indegree = new Map<string, number>();
    for (const [from, out] of this.adjacency) {
      nodes.add(from);
      for (const to of out.keys()) {
        nodes.add(to);
        if (from !== to && !inCycle.has(from) && !inCycle.has(to)) indegree.set(to, (indegree.get(to) ?? 0) + 1);
      }
    }
    const ready = [...nodes].filter((n) => !inCycle.has(n) && !indegree.get(n)).sort();
    let rank = 0;
    while (ready.length) {
      const n = ready.shift()!;
      this.rankOf.set(n, ++rank);
      for (const to of [...(this.adjacency.get(n)?.keys() ?? [])].sort()) {
        if (inCycle.has(to) || to === n) continue;
        const d = (indegree.get(to) ?? 0) - 1;
        indegree.set(to, d);
        if (d === 0) ready.push(to);
      }
    }
  }
}

/** The witness to show: a direct acquisition before one through calls, then the earliest. */
function preferred(list: OrderEdge[]): OrderEdge {
  // A nested acquisition names the inversion better than a `Promise.all` batch does.
  return [...list].sort((a, b) => Number(!!a.from.batch) - Number(!!b.from.batch) || a.to.chain.length - b.to.chain.length
    || a.to.site.file.localeCompare(b.to.site.file)
    || a.to.site.range.start.line - b.to.site.range.start.line)[0];
}

/** Locks held on every witness of a pair. */
function commonGates(list: OrderEdge[]): Set<string> {
  let common = new Set(list[0]?.alsoHeld ?? []);
  for (const e of list.slice(1)) common = new Set(e.alsoHeld.filter((g) => common.has(g)));
  return common;
}
