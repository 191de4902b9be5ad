// LO103 for the Node runtime's ordered acquire (`import { acquire } from 'lockorder/runtime'`):
// the static finding on contradicting nestings says the nesting that runs second fails with
// LockOrderViolation, and running the same fixture under the runtime does reject there, at the
// line the static finding names.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { root } from './lsp-client.mjs';

const { analyze } = createRequire(import.meta.url)(join(root, 'dist', 'analysis.js'));
const fixture = join(root, 'test', 'fixtures', 'typescript', 'LO103_ordered_handle.mjs');

describe('LO103 for the Node ordered acquire', () => {
  it('the static finding and the run agree on the line', async () => {
    const result = await analyze([{ path: fixture, text: readFileSync(fixture, 'utf8') }]);
    assert.equal(result.findings.length, 1);
    const [f] = result.findings;
    assert.equal(f.code, 'LO103');
    assert.match(f.message, /^Ordered-acquire violation: nested calls of lockorder's ordered `acquire\(\)` take `workers` then `jobs` in `second`, but `jobs` then `workers` in `first`; at run time the nesting that runs second fails with LockOrderViolation\.$/);
    const dir = mkdtempSync(join(tmpdir(), 'lockorder-ordered-'));
    try {
      const script = `const m = await import(${JSON.stringify(pathToFileURL(fixture).href)});
await m.first(); await m.third();
try { await m.second(); console.log('no error'); } catch (e) { console.log(e.name, e.message); }`;
      const run = spawnSync(process.execPath, ['--import', pathToFileURL(join(root, 'runtime', 'node', 'register.mjs')).href, '--input-type=module', '-e', script],
        { cwd: dir, encoding: 'utf8', timeout: 60_000 });
      assert.equal(run.status, 0, run.stderr);
      assert.match(run.stdout, new RegExp(`^LockOrderViolation .*LO103_ordered_handle\\.mjs:${f.location.range.start.line + 1} while workers`, 'm'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
