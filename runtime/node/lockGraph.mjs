// Pure lock-order graph for the Node runtime: nodes are lock ids, an edge "held A, then took B"
// remembers where it was first seen. No I/O, no async state. Adding an edge that closes a cycle
// returns that cycle (the new edge first, then the path back to its start).

/** A directed graph of lock-order edges between lock ids. */
export class LockGraph {
  constructor() {
    /** @type {Map<number, Set<number>>} lock id -> successor ids */
    this.succ = new Map();
    /** @type {Map<string, unknown>} "a>b" -> the info given when the edge was first added */
    this.edges = new Map();
  }

  /** Number of distinct edges. */
  get size() {
    return this.edges.size;
  }

  /**
   * Whether the edge a -> b is already known.
   * @param {number} a @param {number} b
   */
  has(a, b) {
    const out = this.succ.get(a);
    return out !== undefined && out.has(b);
  }

  /**
   * The info stored with a -> b, if any.
   * @param {number} a @param {number} b
   */
  info(a, b) {
    return this.edges.get(`${a}>${b}`);
  }

  /**
   * Add a -> b with its first-seen info. Returns null when the edge was known or closes no
   * cycle; otherwise the cycle as edge pairs [[a, b], [b, x], ..., [y, a]].
   * @param {number} a @param {number} b @param {unknown} info
   * @returns {Array<[number, number]> | null}
   */
  add(a, b, info) {
    const key = `${a}>${b}`;
    if (a === b || this.edges.has(key)) return null;
    this.edges.set(key, info);
    let out = this.succ.get(a);
    if (!out) this.succ.set(a, (out = new Set()));
    out.add(b);
    const path = this.path(b, a);
    return path ? [[a, b], ...path] : null;
  }

  /**
   * A shortest path from `from` to `to` as edge pairs (breadth-first), or null.
   * @param {number} from @param {number} to
   * @returns {Array<[number, number]> | null}
   */
  path(from, to) {
    /** @type {Map<number, number>} node -> the node it was reached from */
    const came = new Map([[from, from]]);
    let frontier = [from];
    while (frontier.length > 0) {
      /** @type {number[]} */
      const next = [];
      for (const node of frontier) {
        for (const succ of this.succ.get(node) ?? []) {
          if (came.has(succ)) continue;
          came.set(succ, node);
          if (succ === to) return walkBack(came, from, to);
          next.push(succ);
        }
      }
      frontier = next;
    }
    return null;
  }
}

/**
 * The edges of the path found by `path`, in order.
 * @param {Map<number, number>} came @param {number} from @param {number} to
 * @returns {Array<[number, number]>}
 */
function walkBack(came, from, to) {
  /** @type {Array<[number, number]>} */
  const edges = [];
  let node = to;
  while (node !== from) {
    const prev = /** @type {number} */ (came.get(node));
    edges.push([prev, node]);
    node = prev;
  }
  return edges.reverse();
}
