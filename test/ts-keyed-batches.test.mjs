// What a user reads about a `Promise.all` batch over the keys of a keyed family of async-mutex
// mutexes (an object or Map of mutexes filled on first use): the LO101 message says why the batch
// can deadlock against a nested acquisition of two keys, and what to do instead; the same file
// without the nesting, or with the batch taken one key at a time in sorted order, is quiet.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { root } from './lsp-client.mjs';

const { analyze } = createRequire(import.meta.url)(join(root, 'dist', 'analysis.js'));
const fixtures = join(root, 'test', 'fixtures', 'typescript');

/** The findings for a fixture's text (or `edit` applied to it), under the fixture's name. */
async function findingsOf(name, edit = (t) => t) {
  const path = join(fixtures, name);
  const result = await analyze([{ path, text: edit(readFileSync(path, 'utf8')) }], {});
  return result.findings;
}

describe('a Promise.all batch over the keys of a keyed family', () => {
  it('against two literal keys nested: LO101 names the batch, says why, and says to take the keys one at a time', async () => {
    const [f, ...rest] = await findingsOf('LO101_keyed_record_batch.ts');
    assert.equal(rest.length, 0);
    assert.equal(f.code, 'LO101');
    assert.match(f.message, /`mutexes\['accounts'\]` acquired by a `Promise\.all` over keys of `mutexes\[\]`, which queues every key at once and may already hold `mutexes\['ledger'\]`, in `transferAll`/);
    assert.match(f.message, /`mutexes\['ledger'\]` acquired while holding `mutexes\['accounts'\]` in `post`/);
    assert.match(f.message, /Sort the keys and take them one at a time/);
    assert.ok(!/thread/i.test(f.message), 'TS/JS messages say task, not thread');
    assert.ok(f.related.some((r) => r.location.range.start.line === 15), 'the batch is a related site');
  });

  it('against two computed keys nested: LO101 for the family, naming the batch', async () => {
    const [f] = await findingsOf('LO101_keyed_computed_batch.ts');
    assert.match(f.message, /^Locks of one family are nested: `Ledger\.mutexes\[to\]` acquired while holding `Ledger\.mutexes\[from\]` in `Ledger\.move`, and a `Promise\.all` over keys of `Ledger\.mutexes\[\]` in `Ledger\.settle` queues every key at once/);
    assert.ok(f.related.some((r) => /every key of `Ledger\.mutexes\[\]` queued at once here/.test(r.message)));
  });

  it('the same batch taken one key at a time in sorted order is quiet', async () => {
    const found = await findingsOf('LO101_keyed_record_batch.ts', (t) => t.replace(
      'const releases = await Promise.all(keys.map((k) => lockFor(k).acquire()));',
      'const releases = []; for (const k of [...keys].sort()) releases.push(await lockFor(k).acquire());',
    ));
    assert.deepEqual(found.map((f) => f.message), []);
  });

  it('the batch with the nesting removed is quiet', async () => {
    const found = await findingsOf('LO101_keyed_record_batch.ts', (t) => t.replace(
      "const releaseLedger = await lockFor('ledger').acquire();\n    releaseLedger();", "console.log('no ledger');",
    ));
    assert.deepEqual(found.map((f) => f.message), []);
  });
});
