// How long the server waits after the last keystroke before re-analyzing. Measured in the editor
// (`npm run bench:editor-latency`, code-server): with a fixed 200 ms pause, a keystroke took
// 250–300 ms to reach the squiggle in a 20-line file and in a 5,000-line one alike, so the pause
// was most of the wait, and a file's length changed little (the analysis of an edit is
// incremental). What matters is how long an analysis takes: when the last one was quick, a short
// pause costs little CPU even if every keystroke starts one; when it was slow (a large
// workspace, a large change), the long pause keeps typing from queueing analyses.

/** The pause when the last analysis was quick. */
export const shortDebounceMs = 50;
/** The pause otherwise (and for changes made outside the editor). */
export const longDebounceMs = 200;
/** An analysis whose CPU time is up to this long counts as quick (under the short pause itself). */
export const quickAnalysisMs = 40;

/** The pause before re-analyzing after an edit, given the CPU time of the last analysis (undefined before the first). */
export function debounceFor(lastAnalysisMs: number | undefined): number {
  return lastAnalysisMs !== undefined && lastAnalysisMs <= quickAnalysisMs ? shortDebounceMs : longDebounceMs;
}
