// The messages between the extension (client/src/graphView.ts) and the graph webview
// (client/webview/main.ts). The webview holds no state the extension cannot send again.

import type { GraphSite, LockGraph } from '../../server/src/analysis/lockGraphView';

export type { GraphEdge, GraphNode, GraphSite, LockGraph } from '../../server/src/analysis/lockGraphView';

/** Extension → webview: draw this graph. */
export interface DrawMessage {
  type: 'graph';
  graph: LockGraph;
  /** Lock ids to emphasise (a cycle from a diagnostic, a lock from hover). */
  highlight: string[];
  /** Edges to emphasise, as `from` and `to` lock ids. */
  highlightEdges: [string, string][];
  /** The file "this file only" keeps, shown by name; undefined when the filter is off. */
  thisFile?: string;
  cyclesOnly: boolean;
  /** Why there is no graph (the server's answer), if so. */
  error?: string;
}

/** Webview → extension. */
export type ViewMessage =
  | { type: 'ready' }
  | { type: 'filters'; thisFile: boolean; cyclesOnly: boolean }
  | { type: 'openNode'; id: string }
  | { type: 'openEdge'; from: string; to: string }
  /** An edge between folded files: pick one of its sites. */
  | { type: 'openSites'; title: string; sites: GraphSite[] };
