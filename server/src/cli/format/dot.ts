// `lockorder graph --format dot`: the lock-order graph for Graphviz, top to bottom in the
// inferred order. Cycle locks and edges are red, edges against the declared order (LO106)
// dashed orange, `lockorder.acquire()` groups one cluster each. Every string is quoted.

import type { GraphEdge, LockGraph } from '../../analysis/index';
import { cycleColour, declaredColour, edgeLines, nodeLines, pointsUp, shortIds } from './graphText';

/** The graph as a Graphviz `digraph`. */
export function formatDot(graph: LockGraph): string {
  const ids = shortIds(graph);
  const up = pointsUp(graph);
  const out = [
    'digraph lockorder {',
    '  rankdir=TB;',
    '  node [shape=box, style=rounded, fontname="Helvetica"];',
    '  edge [fontname="Helvetica", fontsize=10];',
  ];
  for (const c of graph.clusters) {
    out.push(`  subgraph ${dotString(`cluster_${c.id}`)} {`, `    label=${dotString(c.label)};`, '    style=dashed;');
    for (const id of c.locks) {
      out.push(`    ${ids.get(id)};`);
    }
    out.push('  }');
  }
  for (const n of graph.nodes) {
    const attrs = [`label=${dotString(nodeLines(n).join('\n'))}`, `tooltip=${dotString(n.id)}`];
    if (n.onCycle) attrs.push(`color=${dotString(cycleColour)}`, `fontcolor=${dotString(cycleColour)}`, 'penwidth=2');
    out.push(`  ${ids.get(n.id)} [${attrs.join(', ')}];`);
  }
  for (const e of graph.edges) out.push(`  ${edgeStatement(e, ids, up(e))}`);
  out.push('}');
  return out.join('\n') + '\n';
}

/**
 * One edge. An edge that points up (it closes a cycle) is written the other way round with
 * `dir=back`, so Graphviz ranks the locks in the inferred order and still draws the arrow
 * from `from` to `to`.
 */
function edgeStatement(e: GraphEdge, ids: Map<string, string>, up: boolean): string {
  const attrs = [`label=${dotString(edgeLines(e).join('\n'))}`];
  if (e.onCycle) attrs.push(`color=${dotString(cycleColour)}`, `fontcolor=${dotString(cycleColour)}`, 'penwidth=2');
  else if (e.declaredOrderViolation) attrs.push(`color=${dotString(declaredColour)}`);
  if (e.declaredOrderViolation) attrs.push('style=dashed');
  const [a, b] = up && e.from !== e.to ? [e.to, e.from] : [e.from, e.to];
  if (up && e.from !== e.to) attrs.push('dir=back');
  return `${ids.get(a)} -> ${ids.get(b)} [${attrs.join(', ')}];`;
}

/**
 * A dot quoted string: backslashes and quotes escaped, line breaks as `\n` (a centred line),
 * other control characters dropped.
 */
export function dotString(text: string): string {
  const body = text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r\n|\r|\n/g, '\\n')
    .replace(/[\u0000-\u001f\u007f]/g, '');
  return `"${body}"`;
}
