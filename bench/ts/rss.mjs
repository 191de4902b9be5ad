// Preloaded (node --import) into each process that bench/ts.mjs times: at exit it writes the
// process's peak resident set size (kB) and CPU seconds (user + system), worker threads
// included, as JSON to the file named by LOCKORDER_BENCH_RSS_FILE, so the bench needs no
// /usr/bin/time.

import { writeFileSync } from 'node:fs';

const file = process.env.LOCKORDER_BENCH_RSS_FILE;
if (file) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    writeFileSync(file, JSON.stringify({ maxRssKb: u.maxRSS, cpuSeconds: (u.userCPUTime + u.systemCPUTime) / 1e6 }));
  });
}
