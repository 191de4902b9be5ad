// The "Lock-Order Graph" webview panel: asks the server for the graph (`lockorder/graph`),
// sends it to the webview to draw, opens the source for clicks, and redraws after every
// analysis (the server's status notification) and diagnostics change, so the view follows edits. The webview holds
// nothing the server cannot give again.

import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { DrawMessage, GraphEdge, GraphSite, LockGraph, ViewMessage } from '../webview/protocol';
import { graphHtml } from './graphHtml';
import { onAnalyzed } from './statusItem';
import { isSourceLanguage } from './languages';

/** What `lockorder.showGraph` may be given: a lock to emphasise, or a diagnostic's place and code. */
export interface ShowGraphArgs {
  lock?: string;
  site?: { uri: string; line: number; character: number; code: string };
}

/** The one graph panel, reused. */
let current: GraphPanel | undefined;

/** Open (or reveal) the graph; with `args`, emphasise a lock or a diagnostic's cycle. */
export function showGraph(context: vscode.ExtensionContext, client: LanguageClient | undefined, args?: ShowGraphArgs): void {
  if (!client) return;
  current ??= new GraphPanel(context, client, () => { current = undefined; });
  current.show(args ?? {});
}

class GraphPanel {
  private readonly panel: vscode.WebviewPanel;
  private readonly disposables: vscode.Disposable[] = [];
  private graph: LockGraph | undefined;
  private emphasis: ShowGraphArgs = {};
  private filterFile: vscode.Uri | undefined;
  private cyclesOnly = false;
  private ready = false;
  private timer: NodeJS.Timeout | undefined;
  private requesting = 0;

  constructor(context: vscode.ExtensionContext, private readonly client: LanguageClient, onDispose: () => void) {
    const dist = vscode.Uri.joinPath(context.extensionUri, 'dist');
    this.panel = vscode.window.createWebviewPanel('lockorder.graph', 'Lock-Order Graph',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false },
      { enableScripts: true, localResourceRoots: [dist], enableFindWidget: true });
    this.panel.iconPath = vscode.Uri.joinPath(context.extensionUri, 'images', 'icon.png');
    this.panel.webview.html = graphHtml(this.panel.webview, this.panel.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'graphView.js')));
    this.disposables.push(
      this.panel.webview.onDidReceiveMessage((m: ViewMessage) => void this.received(m)),
      // Redraw after every analysis (the server's status follows each one), and when diagnostics change.
      onAnalyzed(() => this.soon()),
      vscode.languages.onDidChangeDiagnostics(() => this.soon()),
      this.panel.onDidChangeViewState(() => { if (this.panel.visible) this.soon(); }),
    );
    this.panel.onDidDispose(() => {
      for (const d of this.disposables) d.dispose();
      if (this.timer) clearTimeout(this.timer);
      onDispose();
    });
  }

  /** Reveal the panel and draw, emphasising what `args` names. */
  show(args: ShowGraphArgs): void {
    this.emphasis = args;
    const editor = vscode.window.activeTextEditor;
    if (editor && isSourceLanguage(editor.document.languageId) && editor.document.uri.scheme === 'file' && this.filterFile) this.filterFile = editor.document.uri;
    this.panel.reveal(undefined, false);
    void this.refresh();
  }

  /** Refresh shortly (many diagnostics events come together); a hidden panel refreshes when shown. */
  private soon(): void {
    if (!this.panel.visible) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), 150);
  }

  private async received(m: ViewMessage): Promise<void> {
    if (m.type === 'ready') {
      this.ready = true;
      return this.refresh();
    }
    if (m.type === 'filters') {
      this.cyclesOnly = m.cyclesOnly;
      this.filterFile = m.thisFile ? activeSourceFile() ?? this.filterFile : undefined;
      if (m.thisFile && !this.filterFile) void vscode.window.showInformationMessage('Lock Order: open a Python, TypeScript or JavaScript file to show only its locks.');
      return this.refresh();
    }
    if (m.type === 'openNode') {
      const node = this.graph?.nodes.find((n) => n.id === m.id);
      if (node) await openAt(node.created.file, node.created.line, node.created.col);
      return;
    }
    if (m.type === 'openSites') return pickSite(m.sites, m.title);
    const edge = this.graph?.edges.find((e) => e.from === m.from && e.to === m.to);
    if (edge) await openEdge(edge, this.graph!);
  }

  /** Ask the server for the graph and draw it. */
  private async refresh(): Promise<void> {
    if (!this.ready) return;
    const mine = ++this.requesting;
    const params = { cyclesOnly: this.cyclesOnly, uri: this.filterFile?.toString() };
    let answer: LockGraph | { error: string } | null;
    try {
      answer = await this.client.sendRequest<LockGraph | { error: string } | null>('lockorder/graph', params);
    } catch (err) {
      answer = { error: `the server could not answer (${err instanceof Error ? err.message : String(err)})` };
    }
    if (mine !== this.requesting) return;
    const graph = answer && 'nodes' in answer ? answer : { version: 1 as const, nodes: [], edges: [], cycles: [], clusters: [] };
    this.graph = graph;
    const message: DrawMessage = {
      type: 'graph', graph, ...emphasised(graph, this.emphasis), cyclesOnly: this.cyclesOnly,
      thisFile: this.filterFile ? path.basename(this.filterFile.fsPath) : undefined,
      error: answer === null ? 'The analysis is not ready yet.' : 'error' in answer ? answer.error : undefined,
    };
    void this.panel.webview.postMessage(message);
  }
}

/** The file of the active editor, when it is a source file (Python, TypeScript, JavaScript) on disk. */
function activeSourceFile(): vscode.Uri | undefined {
  const doc = vscode.window.activeTextEditor?.document ?? vscode.window.visibleTextEditors.find((e) => isSourceLanguage(e.document.languageId))?.document;
  return doc && isSourceLanguage(doc.languageId) && doc.uri.scheme === 'file' ? doc.uri : undefined;
}

/**
 * The locks and edges to emphasise: a lock (hover's "show in graph"), or for a diagnostic the
 * edge whose site it is, with every cycle through that edge (LO101) or just the edge (LO106).
 */
function emphasised(graph: LockGraph, args: ShowGraphArgs): { highlight: string[]; highlightEdges: [string, string][] } {
  if (args.lock) return { highlight: [args.lock], highlightEdges: [] };
  const site = args.site;
  if (!site) return { highlight: [], highlightEdges: [] };
  const file = vscode.Uri.parse(site.uri).fsPath;
  // Only while the finding still holds: after a fix, the same place may be a harmless edge.
  const holds = (e: GraphEdge) => (site.code === 'LO101' ? e.onCycle : e.declaredOrderViolation);
  const at = graph.edges.filter((e) => holds(e) && e.sites.some((s) => s.file === file && s.line === site.line + 1 && s.col === site.character + 1));
  const locks = new Set<string>();
  const edges: [string, string][] = [];
  for (const e of at) {
    locks.add(e.from).add(e.to);
    edges.push([e.from, e.to]);
    if (site.code !== 'LO101') continue;
    for (const cycle of graph.cycles.filter((c) => onCycle(c, e))) {
      cycle.forEach((id, i) => {
        locks.add(id);
        edges.push([id, cycle[(i + 1) % cycle.length]]);
      });
    }
  }
  return { highlight: [...locks], highlightEdges: edges };
}

/** Whether `e` is one of the cycle's edges. */
function onCycle(cycle: string[], e: GraphEdge): boolean {
  return cycle.some((id, i) => id === e.from && cycle[(i + 1) % cycle.length] === e.to);
}

/** Open a file at a 1-based line and column, in the first editor group. */
async function openAt(file: string, line: number, col: number): Promise<void> {
  const at = new vscode.Position(Math.max(0, line - 1), Math.max(0, col - 1));
  await vscode.window.showTextDocument(vscode.Uri.file(file), { selection: new vscode.Range(at, at), viewColumn: vscode.ViewColumn.One });
}

/** Open an edge's site, or let the user pick one of its sites. */
async function openEdge(edge: GraphEdge, graph: LockGraph): Promise<void> {
  const name = (id: string) => graph.nodes.find((n) => n.id === id)?.name ?? id;
  return pickSite(edge.sites, `${name(edge.to)} taken while holding ${name(edge.from)}`);
}

/** Open the one site, or let the user pick one of several. */
async function pickSite(sites: GraphSite[], title: string): Promise<void> {
  if (sites.length === 0) return;
  if (sites.length === 1) return openAt(sites[0].file, sites[0].line, sites[0].col);
  const picked = await vscode.window.showQuickPick(sites.map((s) => ({
    label: s.where, description: `${vscode.workspace.asRelativePath(s.file)}:${s.line}`, site: s,
  })), { title: `${title}: ${sites.length} sites` });
  if (picked) await openAt(picked.site.file, picked.site.line, picked.site.col);
}
