// Hover on a lock expression: what the lock is, where it is created, which locks come before
// and after it (with counts), and its rank in the inferred global order. Facts come from
// `Project.lockAt`; this file only writes them as Markdown.

import { basename } from 'node:path';
import { MarkupKind, type Hover } from 'vscode-languageserver/node';
import type { LockHover, OrderNeighbour } from '../analysis';
import { pathToUri } from './convert';

/** How many neighbours each list shows before "and N more". */
const listLimit = 8;

/**
 * The hover for a lock. With `graphLink` (an editor with the graph view says so when it
 * starts the server), it ends with a "Show in graph" command link.
 */
export function lockHover(info: LockHover, graphLink = false): Hover {
  const { lock } = info;
  const created = lock.created;
  const line = created.range.start.line + 1;
  const where = `[${basename(created.file)}:${line}](${pathToUri(created.file)}#L${line})`;
  const kind = lock.kind === 'unknown' ? 'a lock of unknown kind' : `\`${lock.kind}\``;
  const lines = [
    `**\`${lock.name}\`** — ${kind}${lock.reentrant ? ' (reentrant)' : ' (not reentrant)'}`,
    '',
    `${lock.family ? 'One lock per instance, all created' : 'Created'} at ${where}.`,
    '',
    `Held when it is taken: ${neighbours(info.before, itself(info))}`,
    '',
    `Taken while it is held: ${neighbours(info.after, itself(info))}`,
    '',
    orderLine(info),
  ];
  if (graphLink) lines.push('', `[Show in graph](command:lockorder.showGraph?${encodeURIComponent(JSON.stringify([{ lock: lock.id }]))})`);
  return { contents: { kind: MarkupKind.Markdown, value: lines.join('\n') }, range: info.range };
}

/** Where the lock stands in the inferred order: ranked, on a cycle, or not nested with any other. */
function orderLine(info: LockHover): string {
  if (info.rank !== undefined) return `Rank ${info.rank} of ${info.ranked} in the inferred global lock order.`;
  if (info.cycle) return 'Part of a lock-order cycle, so it has no rank in the inferred global order.';
  return 'Never nested with another lock, so the inferred global order does not rank it.';
}

/** The lock itself as a neighbour, when it is taken while held (a family, or a re-entry). */
function itself(info: LockHover): string | undefined {
  if (!info.selfNested) return undefined;
  return `${info.lock.family ? 'another instance of itself' : 'itself'} ×${info.selfNested}`;
}

function neighbours(list: OrderNeighbour[], self?: string): string {
  const sorted = [...list].sort((a, b) => b.count - a.count || a.lock.name.localeCompare(b.lock.name));
  const shown = [...(self ? [self] : []), ...sorted.slice(0, listLimit).map((n) => `\`${n.lock.shortName}\` ×${n.count}`)];
  const more = sorted.length - Math.min(sorted.length, listLimit);
  if (shown.length === 0) return 'none';
  return shown.join(', ') + (more > 0 ? `, and ${more} more` : '');
}
