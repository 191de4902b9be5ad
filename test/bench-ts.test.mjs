// The corpus of npm run bench:ts, built from the pinned devDependencies into a scratch folder:
// at least 30,000 lines from at least three packages, each package's sources really use the
// lock library it is there for, one tsconfig.json covers them all, and nothing is put in a
// folder that lockorder check would skip as build output. Also the --import hook that the bench
// uses to read a child's peak RSS and CPU time. Times nothing.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildCorpus } from '../bench/ts/corpus.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const scratch = mkdtempSync(join(tmpdir(), 'lockorder-bench-ts-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** What in a package's sources shows it uses its lock library. */
const USES = {
  'async-lock': /from 'async-lock'/,
  'navigator.locks': /navigator\.locks\.request\(/,
  'async-mutex': /from 'async-mutex'/,
  'p-queue': /require\("p-queue"\)/,
};

test('the bench:ts corpus has 30,000 lines or more from three packages or more, each using its lock library', () => {
  const out = join(scratch, 'corpus');
  const rows = buildCorpus(root, out);
  assert.ok(rows.length >= 3, `${rows.length} packages`);
  const lines = rows.reduce((n, r) => n + r.lines, 0);
  assert.ok(lines >= 30000, `${lines} lines`);
  assert.ok(existsSync(join(out, 'tsconfig.json')), 'one tsconfig.json over the corpus');
  for (const r of rows) {
    const files = readdirSync(r.folder, { recursive: true }).map(String).filter((f) => /\.(ts|js)$/.test(f));
    assert.equal(files.length, r.files, `${r.name}: the files counted are the files written`);
    assert.ok(files.every((f) => !/(^|\/)(dist|build|out|node_modules)\//.test(f)), `${r.name}: no file in a folder lockorder skips`);
    assert.ok(files.some((f) => USES[r.uses].test(readFileSync(join(r.folder, f), 'utf8'))), `${r.name} uses ${r.uses}`);
  }
});

test('the bench\'s --import hook writes the peak RSS and CPU time of the process it is loaded into', () => {
  const file = join(scratch, 'usage.json');
  const hook = pathToFileURL(join(root, 'bench', 'ts', 'rss.mjs')).href;
  const r = spawnSync(process.execPath, ['--import', hook, '-e', 'globalThis.keep = Buffer.alloc(64 * 1024 * 1024, 1)'], {
    env: { ...process.env, LOCKORDER_BENCH_RSS_FILE: file },
  });
  assert.equal(r.status, 0, String(r.stderr));
  const usage = JSON.parse(readFileSync(file, 'utf8'));
  assert.ok(usage.maxRssKb > 64 * 1024, `peak RSS ${usage.maxRssKb} kB holds the 64 MB buffer`);
  assert.ok(usage.cpuSeconds > 0, 'CPU time is counted');
});
