// The HTML of the lock-order graph webview: a toolbar (this file, cycles only, search, zoom)
// and an SVG canvas, a strict Content-Security-Policy (only the bundled, nonce'd script and
// style; no network, no inline handlers), and a stylesheet made of VS Code's theme colours,
// so the graph reads in light, dark and high-contrast themes.

import { randomBytes } from 'node:crypto';
import type * as vscode from 'vscode';

/** The page for a webview; `script` is the URI of dist/graphView.js as the webview sees it. */
export function graphHtml(webview: vscode.Webview, script: vscode.Uri): string {
  const nonce = randomBytes(16).toString('base64');
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src 'nonce-${nonce}'`,
    `img-src ${webview.cspSource} data:`,
    `font-src ${webview.cspSource}`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Lock-Order Graph</title>
<style nonce="${nonce}">${styles}</style>
</head>
<body>
<div id="toolbar" role="toolbar">
  <label><input type="checkbox" id="this-file"> This file</label>
  <label><input type="checkbox" id="cycles-only"> Cycles only</label>
  <label title="Also draw the edges implied by a path through other locks"><input type="checkbox" id="all-edges"> Implied edges</label>
  <input type="search" id="search" placeholder="Search locks" aria-label="Search locks">
 <button id="fold" title="Fold every file's locks into one node again" hidden>Fold files</button>
  <button id="zoom-out" title="Zoom out" aria-label="Zoom out">−</button>
  <button id="zoom-fit" title="Fit to window" aria-label="Fit to window">Fit</button>
  <button id="zoom-in" title="Zoom in" aria-label="Zoom in">+</button>
  <span id="status" role="status">Loading…</span>
</div>
<div id="legend"><span class="key cycle">on a cycle</span><span class="key declared">against the declared order (LO106)</span><span class="key confirmed">seen at run time</span><span class="key up">↑ closes the cycle</span></div>
<svg id="canvas" role="img" aria-label="Lock-order graph"><g id="viewport"></g></svg>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}

const styles = `
:root { --cycle: var(--vscode-errorForeground); --declared: var(--vscode-editorWarning-foreground);
  --confirmed: var(--vscode-testing-iconPassed, var(--vscode-charts-green)); }
html, body { height: 100%; margin: 0; padding: 0; overflow: hidden; }
body { display: flex; flex-direction: column; color: var(--vscode-editor-foreground);
  background: var(--vscode-editor-background); font-family: var(--vscode-font-family); font-size: 13px; }
#toolbar { display: flex; gap: 10px; align-items: center; padding: 6px 10px; flex-wrap: wrap;
  border-bottom: 1px solid var(--vscode-panel-border, transparent); }
#toolbar input[type=search] { background: var(--vscode-input-background); color: var(--vscode-input-foreground);
  border: 1px solid var(--vscode-input-border, transparent); padding: 2px 6px; min-width: 12em; }
#toolbar button { background: var(--vscode-button-secondaryBackground, var(--vscode-button-background));
  color: var(--vscode-button-secondaryForeground, var(--vscode-button-foreground)); border: 1px solid var(--vscode-contrastBorder, transparent);
  padding: 2px 9px; cursor: pointer; }
#status { color: var(--vscode-descriptionForeground); margin-left: auto; }
#status.has-cycles { color: var(--cycle); }
#legend { display: flex; gap: 14px; padding: 3px 10px; font-size: 11px; color: var(--vscode-descriptionForeground); }
#legend .key::before { content: ''; display: inline-block; width: 18px; height: 0; margin-right: 5px; vertical-align: middle;
  border-top: 2px solid var(--vscode-editor-foreground); }
#legend .cycle::before { border-top-color: var(--cycle); border-top-width: 3px; }
#legend .declared::before { border-top: 2px dashed var(--declared); }
#legend .confirmed::before { border-top: 4px double var(--confirmed); }
#legend .up::before { display: none; }
#canvas { flex: 1; width: 100%; cursor: grab; user-select: none; }
.node { cursor: pointer; }
.node .box { fill: var(--vscode-editorWidget-background); stroke: var(--vscode-editorWidget-border, var(--vscode-foreground)); stroke-width: 1.2; }
.node:hover .box, .node:focus .box { stroke: var(--vscode-focusBorder); stroke-width: 2; outline: none; }
.node.cycle .box { stroke: var(--cycle); stroke-width: 2.5; }
.node .name { fill: var(--vscode-editor-foreground); font-size: 13px; font-weight: 600; }
.node.cycle .name { fill: var(--cycle); }
.node .kind { fill: var(--vscode-descriptionForeground); font-size: 11px; }
.node.folded .box { stroke-dasharray: 5 3; fill: var(--vscode-sideBar-background, var(--vscode-editorWidget-background)); }
.node .halo { fill: none; stroke: var(--vscode-focusBorder); stroke-width: 3; stroke-dasharray: 6 3; }
.edge { cursor: pointer; }
.edge .line { fill: none; stroke: var(--vscode-editor-foreground); stroke-opacity: 0.75; stroke-width: 1.4; }
.edge .hit { fill: none; stroke: transparent; stroke-width: 12; }
.edge.cycle .line { stroke: var(--cycle); stroke-opacity: 1; stroke-width: 2.5; }
.edge.declared .line { stroke: var(--declared); stroke-opacity: 1; }
.edge.lo106 .line { stroke-dasharray: 7 4; }
.edge.confirmed .line { stroke-width: 4; }
.edge.highlight .line { stroke-width: 4; }
.edge:hover .line { stroke-width: 3.5; }
.edge-label { fill: var(--vscode-descriptionForeground); font-size: 11px; paint-order: stroke; stroke: var(--vscode-editor-background); stroke-width: 3px; }
.edge.cycle .edge-label { fill: var(--cycle); }
.arrowhead.plain { fill: var(--vscode-editor-foreground); }
.arrowhead.cycle { fill: var(--cycle); }
.arrowhead.declared { fill: var(--declared); }
.cluster rect { fill: none; stroke: var(--vscode-descriptionForeground); stroke-dasharray: 4 3; }
.cluster-label { fill: var(--vscode-descriptionForeground); font-size: 11px; }
.dim { opacity: 0.2; }
`;
