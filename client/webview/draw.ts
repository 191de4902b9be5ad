// Draws a laid-out lock-order graph as SVG: nodes (name and kind), edges with arrowheads and
// labels, `acquire()` clusters. Colours come from CSS classes that use VS Code's theme
// variables (see the stylesheet in client/src/graphHtml.ts).

import type { ShownNode } from './fold';
import { nodeLines, type Placed } from './layout';

const svgNs = 'http://www.w3.org/2000/svg';

/** Create an SVG element with attributes. */
function el<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}): SVGElementTagNameMap[K] {
  const e = document.createElementNS(svgNs, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
}

/** What to emphasise. */
export interface Emphasis {
  locks: Set<string>;
  edges: Set<string>;
  /** Lock ids matching the search text (undefined: no search). */
  matches?: Set<string>;
}

/** The key of an edge in `Emphasis.edges`. */
export const edgeKey = (from: string, to: string) => `${from}\u0000${to}`;

/** Arrowhead markers, one per edge class (a marker cannot take its path's colour everywhere). */
export function markers(): SVGDefsElement {
  const defs = el('defs');
  for (const kind of ['plain', 'cycle', 'declared']) {
    const m = el('marker', { id: `arrow-${kind}`, viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 10, markerHeight: 10, markerUnits: 'userSpaceOnUse', orient: 'auto-start-reverse' });
    m.appendChild(el('path', { d: 'M0,0 L10,5 L0,10 z', class: `arrowhead ${kind}` }));
    defs.appendChild(m);
  }
  return defs;
}

/** Draw `placed` into `root` (emptied first). */
export function draw(root: SVGGElement, placed: Placed, emphasis: Emphasis): void {
  root.replaceChildren();
  for (const c of placed.clusters) {
    const g = el('g', { class: 'cluster' });
    g.appendChild(el('rect', { x: c.x - c.width / 2, y: c.y - c.height / 2, width: c.width, height: c.height, rx: 6 }));
    const label = el('text', { x: c.x - c.width / 2 + 8, y: c.y - c.height / 2 + 14, class: 'cluster-label' });
    label.textContent = c.label;
    g.appendChild(label);
    root.appendChild(g);
  }
  placed.edges.forEach((p, i) => root.appendChild(edgeGroup(p, i, emphasis)));
  for (const p of placed.nodes) root.appendChild(nodeGroup(p, emphasis));
}

function edgeGroup(p: Placed['edges'][number], index: number, emphasis: Emphasis): SVGGElement {
  const e = p.edge;
  const kind = e.onCycle ? 'cycle' : e.declaredOrderViolation ? 'declared' : 'plain';
  const classes = ['edge', kind];
  if (e.declaredOrderViolation) classes.push('lo106');
  if (e.runtimeConfirmed) classes.push('confirmed');
  if (p.up) classes.push('up');
  if (emphasis.edges.has(edgeKey(e.from, e.to))) classes.push('highlight');
  if (emphasis.matches && !(emphasis.matches.has(e.from) || emphasis.matches.has(e.to))) classes.push('dim');
  const g = el('g', { class: classes.join(' '), 'data-index': index, 'data-from': e.from, 'data-to': e.to });
  const d = p.points.map((q, i) => `${i ? 'L' : 'M'}${q.x.toFixed(1)},${q.y.toFixed(1)}`).join(' ');
  g.appendChild(el('path', { d, class: 'hit' }));
  g.appendChild(el('path', { d, class: 'line', 'marker-end': `url(#arrow-${kind})` }));
  const label = el('text', { x: p.label.x, y: p.label.y + 4, class: 'edge-label', 'text-anchor': 'middle' });
  label.textContent = p.label.text;
  g.appendChild(label);
  const title = el('title');
  title.textContent = `${e.sites.length} site${e.sites.length === 1 ? '' : 's'}: ${e.sites.slice(0, 5).map((s) => `${s.where} (line ${s.line})`).join(', ')}${e.sites.length > 5 ? ', …' : ''}`;
  g.appendChild(title);
  return g;
}

function nodeGroup(p: Placed['nodes'][number], emphasis: Emphasis): SVGGElement {
  const n = p.node;
  const classes = ['node'];
  const folded = (n as ShownNode).folded !== undefined;
  if (folded) classes.push('folded');
  if (n.onCycle) classes.push('cycle');
  if (emphasis.locks.has(n.id)) classes.push('highlight');
  if (emphasis.matches && !emphasis.matches.has(n.id)) classes.push('dim');
  const g = el('g', { class: classes.join(' '), 'data-id': n.id, 'data-name': n.name, tabindex: 0, role: 'button' });
  const x = p.x - p.width / 2;
  const y = p.y - p.height / 2;
  if (emphasis.locks.has(n.id)) g.appendChild(el('rect', { x: x - 4, y: y - 4, width: p.width + 8, height: p.height + 8, rx: 8, class: 'halo' }));
  g.appendChild(el('rect', { x, y, width: p.width, height: p.height, rx: 5, class: 'box' }));
  const [name, kind] = nodeLines(n);
  const t1 = el('text', { x: p.x, y: y + 18, 'text-anchor': 'middle', class: 'name' });
  t1.textContent = name;
  const t2 = el('text', { x: p.x, y: y + 34, 'text-anchor': 'middle', class: 'kind' });
  t2.textContent = kind;
  const title = el('title');
  title.textContent = folded ? `${(n as ShownNode).file}: ${(n as ShownNode).folded} locks. Click to show them.`
    : `${n.name}: created at ${n.created.file}:${n.created.line}. Click to open.`;
  g.append(t1, t2, title);
  return g;
}
