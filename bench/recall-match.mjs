// Matching for bench:recall: which of the runtime's stdlib edges the static graph also has, and
// for each missed one a cause (lock names differ, lock not found statically, no static edge).

import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

/** Key of an edge by its two lock names. */
export const pairKey = (from, to) => `${from}\u0000${to}`;

/** Key of a lock by creation site. */
const siteKey = (file, line) => `${file}:${line}`;

/**
 * Compare runtime edges (deduplicated by name pair) with the static edges and locks.
 * Returns { found, missed: Map<cause, edge[]>, renames: Map<runtime name, static name> }.
 */
export function matchEdges(runtimeEdges, staticEdges, staticLocks) {
  const staticPairs = new Set(staticEdges.map((e) => pairKey(e.from.name, e.to.name)));
  const bySite = new Map(staticLocks.map((l) => [siteKey(l.created.file, l.created.range.start.line + 1), l.name]));
  const staticNames = new Set(staticLocks.map((l) => l.name));
  const found = [];
  const missed = new Map();
  const renames = new Map();
  for (const edge of runtimeEdges) {
    if (staticPairs.has(pairKey(edge.from.name, edge.to.name))) {
      found.push(edge);
      continue;
    }
    const cause = causeOf(edge, staticPairs, bySite, staticNames, renames);
    if (!missed.has(cause)) missed.set(cause, []);
    missed.get(cause).push(edge);
  }
  return { found, missed, renames };
}

/** Objects of `threading`/`queue` whose inner lock the runtime names after the attribute holding the object. */
const HOLDERS = new Set(['Event', 'Queue', 'Semaphore', 'BoundedSemaphore', 'Barrier', 'Thread']);

/** The best guess at why a runtime edge is not in the static graph. */
function causeOf(edge, staticPairs, bySite, staticNames, renames) {
  const ends = [edge.from, edge.to].map((end) => ({ end, alias: aliasOf(end, bySite, staticNames) }));
  for (const { end, alias } of ends) if (alias) renames.set(end.name, alias);
  if (ends.some(({ alias }) => alias)) {
    const [from, to] = ends.map(({ end, alias }) => alias ?? end.name);
    return staticPairs.has(pairKey(from, to))
      ? 'lock names differ (the edge is found statically under the static names)'
      : 'lock names differ (and no static edge under the static names either)';
  }
  if (ends.some(({ end }) => HOLDERS.has(end.via) && !staticNames.has(end.name))) {
    return 'lock inside a threading/queue object (Event, Thread, Queue, Semaphore): named at run time after where the object is stored; not a lock class statically';
  }
  if (ends.some(({ end }) => end.name.includes('@'))) return 'lock has no name at run time (made on a line that assigns it to nothing)';
  if (TRY_ACQUIRE.test(lineText(edge.site))) {
    return 'taken by a try-acquire (timeout=0, blocking=False), which orders nothing on either side: the runtime should not have recorded it (a runtime bug)';
  }
  if (atForkHook(edge.site)) return 'taken by an os.register_at_fork hook, at os.fork() (the site is os.fork() or in its module\'s before= hook)';
  if (ends.some(({ end }) => !staticNames.has(end.name))) return 'lock not found statically';
  if (edge.from.name === edge.to.name) return 'two instances of one lock class, one taken while holding the other: no static self-edge for this nesting';
  return edge.from.file === edge.site.file
    ? 'both locks known statically, no static edge: taken through calls the engine does not follow (in the module that creates the held lock)'
    : 'both locks known statically, no static edge: taken through calls the engine does not follow (into another module)';
}

/**
 * The static name of a runtime lock whose name the static analysis does not know: the static lock
 * created on the same line, or for a lock inside a `queue.Queue`, `queue.Queue.mutex`.
 */
function aliasOf(end, bySite, staticNames) {
  if (staticNames.has(end.name)) return undefined;
  const at = bySite.get(siteKey(end.file, end.line));
  if (at && at !== end.name) return at;
  if (end.via === 'Queue' && staticNames.has('queue.Queue.mutex')) return 'queue.Queue.mutex';
  return undefined;
}

/** An acquisition that cannot wait: `acquire(False)`, `acquire(blocking=False)`, `acquire(timeout=0)`. */
const TRY_ACQUIRE = /\.acquire\(\s*(False|blocking\s*=\s*False|timeout\s*=\s*0)\s*\)/;

/** Whether a site is `os.fork()`, or lies in a function its module registers with `os.register_at_fork(before=...)`. */
function atForkHook(site) {
  if (/\bos\.fork\(\)/.test(lineText(site))) return true;
  lineText(site);
  const lines = sources.get(site.file);
  const hooks = new Set([...lines.join('\n').matchAll(/register_at_fork\(\s*before=([\w.]+)/g)].map((m) => m[1].split('.').pop()));
  for (let i = site.line - 1; i >= 0; i--) {
    const def = /^\s*def (\w+)\(/.exec(lines[i] ?? '');
    if (def) return hooks.has(def[1]) || (hooks.has('acquire') && /\.acquire\(/.test(lines[site.line - 1]));
  }
  return false;
}

const sources = new Map();

/** The text of a site's line ('' when the file cannot be read). */
function lineText(site) {
  if (!sources.has(site.file)) {
    try {
      sources.set(site.file, readFileSync(site.file, 'utf8').split('\n'));
    } catch {
      sources.set(site.file, []);
    }
  }
  return sources.get(site.file)[site.line - 1] ?? '';
}

/** One edge as a line: `a -> b  (taken at file:line)`, paths relative to the stdlib. */
export function edgeText(edge, stdlib) {
  return `${edge.from.name} -> ${edge.to.name}  (taken at ${relative(stdlib, edge.site.file)}:${edge.site.line})`;
}
