// `lockorder graph --format mermaid`: the lock-order graph as a Mermaid flowchart, to paste
// into a GitHub comment or Markdown. Cycle locks and edges are red, edges against the declared
// order (LO106) dotted orange, `lockorder.acquire()` groups one subgraph each. Text is quoted
// with Mermaid's entity codes, so no name or path can end a label or start a statement.

import type { LockGraph } from '../../analysis/index';
import { cycleColour, declaredColour, edgeLines, nodeLines, shortIds } from './graphText';

/** The graph as a Mermaid `flowchart`. */
export function formatMermaid(graph: LockGraph): string {
  const ids = shortIds(graph);
  const out = ['flowchart TB'];
  const clustered = new Set(graph.clusters.flatMap((c) => c.locks));
  const node = (id: string) => {
    const n = graph.nodes.find((x) => x.id === id)!;
    return `${ids.get(id)}[${mermaidString(nodeLines(n).join('\n'))}]`;
  };
  graph.clusters.forEach((c, i) => {
    out.push(`  subgraph g${i}[${mermaidString(c.label)}]`);
    for (const id of c.locks) out.push(`    ${node(id)}`);
    out.push('  end');
  });
  for (const n of graph.nodes) if (!clustered.has(n.id)) out.push(`  ${node(n.id)}`);
  const red: number[] = [];
  const orange: number[] = [];
  graph.edges.forEach((e, i) => {
    const arrow = e.declaredOrderViolation ? '-.->' : '-->';
    out.push(`  ${ids.get(e.from)} ${arrow}|${mermaidString(edgeLines(e).join('\n'))}| ${ids.get(e.to)}`);
    if (e.onCycle) red.push(i);
    else if (e.declaredOrderViolation) orange.push(i);
  });
  const cycleNodes = graph.nodes.filter((n) => n.onCycle).map((n) => ids.get(n.id));
  if (cycleNodes.length) {
    out.push(`  classDef cycle stroke:${cycleColour},stroke-width:3px,color:${cycleColour}`);
    out.push(`  class ${cycleNodes.join(',')} cycle`);
  }
  if (red.length) out.push(`  linkStyle ${red.join(',')} stroke:${cycleColour},stroke-width:3px`);
  if (orange.length) out.push(`  linkStyle ${orange.join(',')} stroke:${declaredColour},stroke-width:2px`);
  return out.join('\n') + '\n';
}

/**
 * A Mermaid quoted label: `"`, `#`, `<`, `>`, `&`, backticks, `|` and brackets written as
 * entity codes, line breaks as `<br>`, other control characters dropped.
 */
export function mermaidString(text: string): string {
  const body = text.replace(/[\u0000-\u0009\u000b-\u001f\u007f]/g, '')
    .replace(/["#<>&`|[\]{}()]/g, (c) => `#${c.charCodeAt(0)};`)
    .replace(/\r\n|\r|\n/g, '<br>');
  return `"${body}"`;
}
