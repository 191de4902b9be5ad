// Figures shared by the benchmark scripts: percentiles of sorted timings, a process's peak
// resident set size and its CPU time (steadier than wall time on a busy machine).

import { existsSync, readFileSync } from 'node:fs';

/** The `p`th percentile (nearest rank) of an ascending list. */
export function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Peak resident set size of a process, in MB (Linux: VmHWM); undefined elsewhere. */
export function peakRssMb(pid) {
  const status = `/proc/${pid}/status`;
  if (!existsSync(status)) return undefined;
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(status, 'utf8'));
  return m ? Number(m[1]) / 1024 : undefined;
}

/** CPU time (user + system) a process has used so far, in ms (Linux: /proc/<pid>/stat); undefined elsewhere. */
export function cpuMs(pid) {
  const stat = `/proc/${pid}/stat`;
  if (!existsSync(stat)) return undefined;
  // Fields after the command name (which may hold spaces) start at state; utime and stime are the 12th and 13th of them.
  const fields = readFileSync(stat, 'utf8').replace(/^.*\) /s, '').split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}
