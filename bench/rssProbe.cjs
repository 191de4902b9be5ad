// Preloaded (node --require) into a process a benchmark starts: at exit, writes the process's
// peak resident set size in KB (worker threads included) to the file LOCKORDER_RSS_OUT names.
const { writeFileSync } = require('node:fs');

process.on('exit', () => {
  if (process.env.LOCKORDER_RSS_OUT) writeFileSync(process.env.LOCKORDER_RSS_OUT, String(process.resourceUsage().maxRSS));
});
