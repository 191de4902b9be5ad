// The graph webview's script (bundled to dist/graphView.js, run under a strict CSP with no
// network): receives the graph from the extension, lays it out and draws it, and sends back
// clicks and filter changes. Zoom with the wheel or the buttons, pan by dragging.

import { draw, edgeKey, markers, type Emphasis } from './draw';
import { fold, isFolded, isLarge, type ShownNode } from './fold';
import { layout, type Placed } from './layout';
import { withoutImplied } from './reduce';
import type { DrawMessage, LockGraph, ViewMessage } from './protocol';

declare function acquireVsCodeApi(): { postMessage(message: ViewMessage): void };

const vscode = acquireVsCodeApi();
const svg = document.getElementById('canvas') as unknown as SVGSVGElement;
const root = document.getElementById('viewport') as unknown as SVGGElement;
const status = document.getElementById('status')!;
const search = document.getElementById('search') as HTMLInputElement;
const thisFile = document.getElementById('this-file') as HTMLInputElement;
const cyclesOnly = document.getElementById('cycles-only') as HTMLInputElement;
const allEdges = document.getElementById('all-edges') as HTMLInputElement;
svg.insertBefore(markers(), root);

const foldButton = document.getElementById('fold') as HTMLButtonElement;
let last: DrawMessage | undefined;
let placed: Placed | undefined;
/** The graph as drawn (files folded when it is large). */
let shown: LockGraph | undefined;
/** Files whose locks the user opened in a large graph. */
const opened = new Set<string>();
const view = { x: 0, y: 0, scale: 1 };

/** Measure text with the canvas in the editor's font. */
const context = document.createElement('canvas').getContext('2d')!;
const font = getComputedStyle(document.body).fontFamily || 'sans-serif';
function measure(text: string, small = false): number {
  context.font = `${small ? 11 : 13}px ${font}`;
  return context.measureText(text).width;
}

/** Apply the pan and zoom. */
function transform(): void {
  root.setAttribute('transform', `translate(${view.x},${view.y}) scale(${view.scale})`);
}

/** Fit the drawing into the window. */
function fit(): void {
  if (!placed) return;
  const box = svg.getBoundingClientRect();
  const scale = Math.min(1.5, box.width / Math.max(placed.width, 1), box.height / Math.max(placed.height, 1));
  view.scale = scale;
  view.x = (box.width - placed.width * scale) / 2;
  view.y = Math.max(0, (box.height - placed.height * scale) / 2);
  transform();
}

/** What the search box matches: lock ids whose name contains its text. */
function matches(): Set<string> | undefined {
  const text = search.value.trim().toLowerCase();
  if (!text || !last) return undefined;
  return new Set(last.graph.nodes.filter((n) => n.name.toLowerCase().includes(text)).map((n) => n.id));
}

/** Draw the last graph with the current emphasis. */
function redraw(): void {
  if (!last || !placed) return;
  const emphasis: Emphasis = {
    locks: new Set(last.highlight),
    edges: new Set(last.highlightEdges.map(([a, b]) => edgeKey(a, b))),
    matches: matches(),
  };
  draw(root, placed, emphasis);
}

/** The last message as text: an analysis that changed nothing in the graph redraws nothing. */
let lastText = '';
/** The status line, and the note on implied edges left out of the drawing. */
let statusText = '';
let hiddenNote = '';

/** A new graph from the extension. */
function received(message: DrawMessage): void {
  const text = JSON.stringify(message);
  if (text === lastText) return;
  lastText = text;
  const first = !last;
  const sameShape = last && JSON.stringify(last.graph.nodes.map((n) => n.id)) === JSON.stringify(message.graph.nodes.map((n) => n.id));
  last = message;
  thisFile.checked = message.thisFile !== undefined;
  thisFile.title = message.thisFile ? `Only the locks of ${message.thisFile}` : 'Only the locks of the active editor\'s file';
  cyclesOnly.checked = message.cyclesOnly;
  const g = message.graph;
  const cycles = g.cycles.length;
  statusText = message.error ?? `${g.nodes.length} lock${g.nodes.length === 1 ? '' : 's'}, ${g.edges.length} edge${g.edges.length === 1 ? '' : 's'}, `
    + `${cycles === 0 ? 'no cycles' : `${cycles} cycle${cycles === 1 ? '' : 's'}`}${message.thisFile ? ` · ${message.thisFile}` : ''}`;
  status.classList.toggle('has-cycles', cycles > 0);
  foldButton.hidden = !isLarge(g);
  relayout(first || !sameShape);
}

/** Fold (when large), lay out and draw the last graph; `refit` fits it to the window. */
function relayout(refit: boolean): void {
  if (!last) return;
  const g = last.graph;
  const keep = new Set([...last.highlight, ...(matches() ?? [])]);
  const folded = isLarge(g) ? fold(g, opened, keep) : g;
  const reduced = allEdges.checked ? { graph: folded, hidden: 0 } : withoutImplied(folded);
  shown = reduced.graph;
  hiddenNote = reduced.hidden ? ` (${reduced.hidden} implied not drawn)` : '';
  status.textContent = statusText;
  if (hiddenNote) status.textContent += hiddenNote;
  const box = svg.getBoundingClientRect();
  placed = layout(shown, measure, box.width > 0 && box.height > 0 ? box.width / box.height : 1.6);
  redraw();
  if (refit) fit();
}

window.addEventListener('message', (event: MessageEvent) => {
  const message = event.data as DrawMessage;
  if (message?.type === 'graph') received(message);
});

root.addEventListener('click', (event) => {
  const target = event.target as Element;
  const node = target.closest('.node');
  if (node) return clickedNode(node.getAttribute('data-id') ?? '');
  const edge = target.closest('.edge');
  const placedEdge = edge && placed?.edges[Number(edge.getAttribute('data-index'))];
  if (!placedEdge) return;
  const e = placedEdge.edge;
  if (!isFolded(e.from) && !isFolded(e.to)) return vscode.postMessage({ type: 'openEdge', from: e.from, to: e.to });
  const name = (id: string) => shown?.nodes.find((n) => n.id === id)?.name ?? id;
  vscode.postMessage({ type: 'openSites', title: `${name(e.to)} taken while holding ${name(e.from)}`, sites: e.sites });
});

/** A click on a node: a folded file opens in place; a lock opens where it is created. */
function clickedNode(id: string): void {
  const n = shown?.nodes.find((x) => x.id === id) as ShownNode | undefined;
  if (n?.file !== undefined && n.folded !== undefined) {
    opened.add(n.file);
    return relayout(true);
  }
  vscode.postMessage({ type: 'openNode', id });
}
root.addEventListener('keydown', (event) => {
  const node = (event.target as Element).closest('.node');
  if (node && (event.key === 'Enter' || event.key === ' ')) clickedNode(node.getAttribute('data-id') ?? '');
});

const filters = () => vscode.postMessage({ type: 'filters', thisFile: thisFile.checked, cyclesOnly: cyclesOnly.checked });
thisFile.addEventListener('change', filters);
cyclesOnly.addEventListener('change', filters);
let searchTimer: ReturnType<typeof setTimeout> | undefined;
search.addEventListener('input', () => {
  clearTimeout(searchTimer);
  // In a folded graph the search opens the files of the locks it finds: lay out again.
  searchTimer = setTimeout(() => (last && isLarge(last.graph) ? relayout(false) : redraw()), 150);
});
allEdges.addEventListener('change', () => relayout(false));
foldButton.addEventListener('click', () => {
  opened.clear();
  relayout(true);
});

/** Zoom by `factor` around a point of the window. */
function zoom(factor: number, at = { x: svg.getBoundingClientRect().width / 2, y: svg.getBoundingClientRect().height / 2 }): void {
  const scale = Math.min(4, Math.max(0.05, view.scale * factor));
  view.x = at.x - ((at.x - view.x) * scale) / view.scale;
  view.y = at.y - ((at.y - view.y) * scale) / view.scale;
  view.scale = scale;
  transform();
}
document.getElementById('zoom-in')!.addEventListener('click', () => zoom(1.25));
document.getElementById('zoom-out')!.addEventListener('click', () => zoom(0.8));
document.getElementById('zoom-fit')!.addEventListener('click', fit);
svg.addEventListener('wheel', (event) => {
  event.preventDefault();
  const box = svg.getBoundingClientRect();
  zoom(event.deltaY < 0 ? 1.1 : 1 / 1.1, { x: event.clientX - box.left, y: event.clientY - box.top });
}, { passive: false });

let drag: { x: number; y: number; moved: boolean } | undefined;
svg.addEventListener('pointerdown', (event) => {
  if ((event.target as Element).closest('.node, .edge')) return;
  drag = { x: event.clientX, y: event.clientY, moved: false };
  svg.setPointerCapture(event.pointerId);
});
svg.addEventListener('pointermove', (event) => {
  if (!drag) return;
  view.x += event.clientX - drag.x;
  view.y += event.clientY - drag.y;
  drag = { x: event.clientX, y: event.clientY, moved: true };
  transform();
});
svg.addEventListener('pointerup', () => { drag = undefined; });
window.addEventListener('resize', fit);

vscode.postMessage({ type: 'ready' });
