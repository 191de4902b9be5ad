// Preloaded (node --import) into each process that bench/ts.mjs times: at exit it writes the
// process's peak resident set size (kB, worker threads included) to the file named by
// LOCKORDER_BENCH_RSS_FILE, so the bench needs no /usr/bin/time.

import { writeFileSync } from 'node:fs';

const file = process.env.LOCKORDER_BENCH_RSS_FILE;
if (file) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
