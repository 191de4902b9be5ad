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
    // Ranks follow the edges across clusters too (without it an acquire() cluster may pull a lock down).
    '  newrank=true;',
    '  forcelabels=true;',
    '  nodesep=0.6;',
    '  ranksep=0.8;',
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
 * One edge. An edge that points up (it closes a cycle) does not constrain the ranks
 * (`constraint=false`), so Graphviz ranks the locks in the inferred order and draws it upward.
 */
function edgeStatement(e: GraphEdge, ids: Map<string, string>, up: boolean): string {
  // An external label: Graphviz places it after the layout, so the labels of a cycle's two edges do not overlap.
  const attrs = [`xlabel=${dotString(edgeLines(e).join('\n'))}`];
  if (e.onCycle) attrs.push(`color=${dotString(cycleColour)}`, `fontcolor=${dotString(cycleColour)}`, 'penwidth=2');
  else if (e.declaredOrderViolation) attrs.push(`color=${dotString(declaredColour)}`);
  if (e.declaredOrderViolation) attrs.push('style=dashed');
  if (up && e.from !== e.to) attrs.push('constraint=false');
  return `${ids.get(e.from)} -> ${ids.get(e.to)} [${attrs.join(', ')}];`;
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
