// Short, one-line text for messages built from report contents: whatever a report holds (a
// 1 MB version string, a thread name with newlines, 20,000 run labels), what reaches the user
// stays one line of bounded length.

/** `text` on one line (control characters as spaces), cut to `max` characters with an ellipsis. */
export function oneLine(text: string, max: number): string {
  const flat = text.length > max * 2 ? text.slice(0, max * 2) : text;
  // eslint-disable-next-line no-control-regex
  const clean = flat.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ');
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

/** A count with thousands separators: `19,997`. */
export function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** How many runs a message names before "and N more runs". */
export const shownRuns = 3;

/** `a, b, c and 19,997 more runs` (or just `a, b` when there are few), in the set's order. */
export function runList(runs: Set<string>): string {
  const shown: string[] = [];
  for (const run of runs) if (shown.push(run) >= shownRuns) break;
  const more = runs.size - shown.length;
  return more > 0 ? `${shown.join(', ')} and ${count(more)} more run${more === 1 ? '' : 's'}` : shown.join(', ');
}
