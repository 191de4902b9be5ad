// Matching for bench:recall: which of the runtime's stdlib edges the static graph also has, and
// for each missed one a cause (lock names differ, lock not found statically, no static edge).

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

/** The best guess at why a runtime edge is not in the static graph. */
function causeOf(edge, staticPairs, bySite, staticNames, renames) {
  const ends = [edge.from, edge.to].map((end) => ({ end, known: staticNames.has(end.name), at: bySite.get(siteKey(end.file, end.line)) }));
  for (const { end, known, at } of ends) if (!known && at && at !== end.name) renames.set(end.name, at);
  if (ends.some(({ end, known, at }) => !known && at && at !== end.name)) {
    const from = ends[0].known ? edge.from.name : ends[0].at ?? edge.from.name;
    const to = ends[1].known ? edge.to.name : ends[1].at ?? edge.to.name;
    return staticPairs.has(pairKey(from, to))
      ? 'lock names differ (found statically under the static name)'
      : 'lock names differ (and no static edge under the static names either)';
  }
  if (ends.some(({ end }) => end.name.includes('@'))) return 'lock has no name at run time (not assigned to a name)';
  if (ends.some(({ known }) => !known)) return 'lock not found statically';
  const held = edge.from.file === edge.site.file ? 'one module' : 'across modules';
  return `both locks known statically, no static edge (taken ${held === 'one module' ? 'in the module that creates the held lock' : 'in another module than the one creating the held lock'})`;
}

/** One edge as a line: `a -> b  (taken at file:line)`, paths relative to the stdlib. */
export function edgeText(edge, stdlib) {
  return `${edge.from.name} -> ${edge.to.name}  (taken at ${relative(stdlib, edge.site.file)}:${edge.site.line})`;
}
