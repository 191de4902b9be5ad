// The `lockorder/graph` request: the lock-order graph of the workspace, the same JSON as
// `lockorder graph --format json` (with absolute paths), for the editor's graph view.
// Params (all optional): `{ focus?: string, depth?: number, cyclesOnly?: boolean, uri?: string }`,
// `uri` keeping only that file's locks. Answers the graph, `{ error }` for a lock `focus`
// does not know or bad params, or null before the engine is ready.

import { UnknownLockError, type GraphSelection, type LockGraph } from '../analysis';
import { uriToPath } from './convert';
import type { Session } from './session';

/** What the request answers. */
export type GraphAnswer = LockGraph | { error: string } | null;

/** Answer one `lockorder/graph` request. */
export async function graphRequest(session: Session | undefined, params: unknown): Promise<GraphAnswer> {
  if (!session) return null;
  const selection = selectionOf(params);
  if (typeof selection === 'string') return { error: selection };
  try {
    return (await session.graph(selection)) ?? null;
  } catch (err) {
    if (err instanceof UnknownLockError) return { error: err.message };
    throw err;
  }
}

/** The selection the params ask for, or why they are wrong. */
function selectionOf(params: unknown): GraphSelection | string {
  const p = (params ?? {}) as Record<string, unknown>;
  const selection: GraphSelection = {};
  if (p.cyclesOnly !== undefined) {
    if (typeof p.cyclesOnly !== 'boolean') return 'cyclesOnly must be true or false';
    selection.cyclesOnly = p.cyclesOnly;
  }
  if (p.focus !== undefined && p.focus !== null) {
    if (typeof p.focus !== 'string' || p.focus.trim() === '') return 'focus must be a lock name';
    selection.focus = p.focus.trim();
  }
  if (p.depth !== undefined && p.depth !== null) {
    if (typeof p.depth !== 'number' || !Number.isInteger(p.depth) || p.depth < 0 || p.depth > 9999) return 'depth must be a whole number from 0 to 9999';
    selection.depth = p.depth;
  }
  if (p.uri !== undefined && p.uri !== null) {
    if (typeof p.uri !== 'string' || !p.uri.startsWith('file:')) return 'uri must be a file: URI';
    selection.files = [uriToPath(p.uri)];
  }
  return selection;
}
