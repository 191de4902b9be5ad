// Resident memory of a process, sampled from /proc/<pid>/status (Linux): current (VmRSS) and the
// kernel's own high-water mark (VmHWM), so a peak between two samples is not missed.

import { readFileSync } from 'node:fs';

/** A status field in MB, or undefined when the process is gone or the field is absent. */
function statusMb(pid, field) {
  try {
    const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Sample a process's RSS every `everyMs`; `stop()` gives { start, peak, end } in MB. */
export function sampleRss(pid, everyMs = 100) {
  const start = statusMb(pid, 'VmRSS') ?? 0;
  let peak = start;
  let last = start;
  const take = () => {
    const now = statusMb(pid, 'VmRSS');
    if (now !== undefined) { last = now; peak = Math.max(peak, now); }
    return now;
  };
  const timer = setInterval(take, everyMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      peak = Math.max(peak, statusMb(pid, 'VmHWM') ?? 0);
      return { start, peak, end: last };
    },
  };
}
