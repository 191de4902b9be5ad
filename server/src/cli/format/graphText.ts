// What the dot and Mermaid drawings of the lock-order graph write on nodes and edges, and
// which edges point up (against the inferred order: the ones that close a cycle).

import { basename } from 'node:path';
import type { GraphEdge, GraphNode, LockGraph } from '../../analysis/index';

/** A node's label, line by line: its name, its kind (and family), where it is created. */
export function nodeLines(n: GraphNode): string[] {
  const kind = n.kind === 'unknown' ? 'lock of unknown kind' : n.kind;
  return [n.name, `${kind}${n.family ? ' (family: one per instance)' : ''}`, `${basename(n.created.file)}:${n.created.line}`];
}

/** An edge's label, line by line: the first site's function and place, how many sites, LO106. */
export function edgeLines(e: GraphEdge): string[] {
  const first = e.sites[0];
  const lines = first ? [`${first.where} ${basename(first.file)}:${first.line}`] : [];
  if (e.count > 1) lines.push(`${e.count} sites`);
  if (e.declaredOrderViolation) lines.push('LO106: against the declared order');
  if (e.runtimeConfirmed) lines.push('seen at run time');
  return lines;
}

/** Whether an edge goes from a lock later in the inferred order to an earlier one (or itself). */
export function pointsUp(graph: LockGraph): (e: GraphEdge) => boolean {
  const order = new Map(graph.nodes.map((n) => [n.id, n.order]));
  return (e) => (order.get(e.from) ?? 0) >= (order.get(e.to) ?? 0);
}

/** Short node ids for the drawing (`n0`, `n1`, …), safe in every syntax. */
export function shortIds(graph: LockGraph): Map<string, string> {
  return new Map(graph.nodes.map((n, i) => [n.id, `n${i}`]));
}

/** The colour of what lies on a cycle. */
export const cycleColour = '#d62728';
/** The colour of edges against the declared order (LO106) that are not on a cycle. */
export const declaredColour = '#ff7f0e';
