// LO105 in TS/JS as a user reads it: an `await` under a lock of a promise that needs that lock to
// settle names the await as written, the function that settles it (or was started), and where
// that function takes the lock; "task" wording, never "thread".

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { root } from './lsp-client.mjs';

const { analyze } = createRequire(import.meta.url)(join(root, 'dist', 'analysis.js'));
const fixtures = join(root, 'test', 'fixtures', 'typescript');

async function lo105(name) {
  const path = join(fixtures, name);
  const result = await analyze([{ path, text: readFileSync(path, 'utf8') }]);
  return result.findings.filter((f) => f.code === 'LO105');
}

const line = (loc) => loc.range.start.line + 1;

describe('LO105 for promises', () => {
  it('a promise settled by a stored resolver that is called only under the lock', async () => {
    const [f] = await lo105('LO105_settled_by_callback.ts');
    assert.equal(f.message, 'Blocking wait under lock: `await this.ready` waits for a promise settled by `Client.onConnect` '
      + 'while holding `this.lock`, but `Client.onConnect` settles it only while holding `this.lock`; neither can proceed.');
    assert.deepEqual(f.related.map((r) => [line(r.location), r.message]), [
      [19, '`this.lock` acquired here, in `Client.initialize`'],
      [26, '`this.lock` acquired here by `Client.onConnect`'],
    ]);
    assert.doesNotMatch(f.message, /thread/);
  });

  it('a promise started before the lock by a function that takes the lock after its first await', async () => {
    const [f, ...rest] = await lo105('LO105_started_before.js');
    assert.deepEqual(rest, [], 'syncEarly (loadNow takes the lock before it awaits) is not reported');
    assert.equal(f.message, 'Blocking wait under lock: `await loading` waits for the promise of `load` while holding `lock`, '
      + 'but `load` acquires `lock` after its first `await`; neither can proceed.');
    assert.deepEqual(f.related.map((r) => line(r.location)), [22, 17]);
  });
});
