// Benchmark of reopening a workspace in the language server (npm run bench:lsp-reopen): the
// Python stdlib as the workspace and a temporary folder as its cache (as VS Code's workspace
// storage would be). A first session indexes it and fills the cache; a second one is timed from
// `initialized` to every diagnostic of the first session published again (target <= 2 s), and to
// its own index completing (facts from the cache, hashes checked). Prints figures and peak RSS.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startServer } from '../test/lsp-client.mjs';
import { stdlibDir } from './stdlibFiles.mjs';

/** Peak resident set size of a process, in MB (Linux: VmHWM). */
function peakRssMb(pid) {
  try {
    return Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
  } catch {
    return NaN;
  }
}

/** URI -> number of diagnostics, for the URIs that have some. */
function shown(server) {
  return new Map([...server.diagnostics].filter(([, p]) => p.diagnostics.length > 0).map(([uri, p]) => [uri, p.diagnostics.length]));
}

/** Resolves when every URI of `expected` shows as many diagnostics; polls every 5 ms. */
function allShown(server, expected) {
  return new Promise((resolve) => {
    const poll = () => {
      const now = shown(server);
      if ([...expected].every(([uri, n]) => now.get(uri) === n)) resolve();
      else setTimeout(poll, 5);
    };
    poll();
  });
}

const workspace = stdlibDir();
const cacheDir = mkdtempSync(join(tmpdir(), 'lockorder-bench-storage-'));
console.log(`lockorder bench:lsp-reopen — workspace ${workspace}, cache ${cacheDir}; load average ${loadavg().map((n) => n.toFixed(2)).join(' ')}`);
try {
  let t0 = performance.now();
  const first = await startServer({ workspace, init: { cacheDir } });
  const index1 = await first.waitForIndex(600000);
  const firstMs = performance.now() - t0;
  await new Promise((r) => setTimeout(r, 500));
  const expected = shown(first);
  const rss1 = peakRssMb(first.proc.pid);
  await first.stop();
  console.log(`first session (fills the cache): indexed ${index1.files} files in ${(firstMs / 1000).toFixed(2)} s, `
    + `${[...expected.values()].reduce((a, b) => a + b, 0)} diagnostics in ${expected.size} files, peak RSS ${Math.round(rss1)} MB`);

  t0 = performance.now();
  const second = await startServer({ workspace, init: { cacheDir } });
  const afterInit = performance.now();
  await allShown(second, expected);
  const restoredMs = performance.now() - afterInit;
  const index2 = await second.waitForIndex(600000);
  const indexedMs = performance.now() - afterInit;
  const rss2 = peakRssMb(second.proc.pid);
  const cacheLine = second.logs.find((l) => /came from the cache/.test(l)) ?? '';
  await second.stop();
  console.log(`reopened: all ${expected.size} files' diagnostics published ${restoredMs.toFixed(0)} ms after initialized (target <= 2000 ms)`);
  console.log(`          index complete (hashes checked, facts from the cache, linked, published) ${(indexedMs / 1000).toFixed(2)} s after initialized; peak RSS ${Math.round(rss2)} MB`);
  console.log(`          ${cacheLine.replace(/^lockorder: /, '')} (${index2.files} files)`);
} finally {
  rmSync(cacheDir, { recursive: true, force: true });
}
