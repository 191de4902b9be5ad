// The lock-order graph with the paths the CLI prints: relative to the current directory when
// inside it, in every file name and lock id, so the output holds no absolute paths of the
// machine that made it. The JSON format (`lockorder graph --format json`) is this, as is.

import type { GraphPlace, LockGraph } from '../../analysis/index';
import { displayPath } from '../paths';

/** The graph with display paths. */
export function displayGraph(graph: LockGraph, cwd: string): LockGraph {
  const place = <T extends GraphPlace>(p: T): T => ({ ...p, file: displayPath(p.file, cwd) });
  const id = (lockId: string) => {
    const at = /^(.*):(\d+):(\d+)$/.exec(lockId);
    return at ? `${displayPath(at[1], cwd)}:${at[2]}:${at[3]}` : lockId;
  };
  return {
    version: 1,
    nodes: graph.nodes.map((n) => ({ ...n, id: id(n.id), created: place(n.created) })),
    edges: graph.edges.map((e) => ({ ...e, from: id(e.from), to: id(e.to), sites: e.sites.map(place) })),
    cycles: graph.cycles.map((c) => c.map(id)),
    clusters: graph.clusters.map((c) => ({ ...c, locks: c.locks.map(id) })),
  };
}
