// What a user sees for TS/JS locks that cannot hang for ever: a finding through a lock that gives
// up after a time (`withTimeout(m, ms)`, async-lock's `timeout`) comes at warning severity and
// says the timeout turns the hang into an error; the same finding without a timeout keeps its
// usual severity and wording. (Which lines are reported, and that `tryAcquire` is quiet, is
// checked by the fixtures themselves.)

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { root } from './lsp-client.mjs';

const { analyze } = createRequire(import.meta.url)(join(root, 'dist', 'analysis.js'));
const fixtures = join(root, 'test', 'fixtures', 'typescript');

/** The findings of a fixture as `line severity message`. */
async function reported(name) {
  const path = join(fixtures, name);
  const result = await analyze([{ path, text: readFileSync(path, 'utf8') }]);
  return result.findings.map((f) => ({ line: f.location.range.start.line + 1, code: f.code, severity: f.severity, message: f.message }));
}

const NOTE = /turns this hang into an error: the waiting acquisition rejects when its time runs out\.$/;

describe('timeouts turn a hang into an error', () => {
  it('withTimeout(new Mutex(), ms) in an inversion: LO101 at warning, naming the timed lock', async () => {
    const [f] = await reported('LO101_with_timeout.ts');
    assert.equal(f.severity, 'warning');
    assert.match(f.message, /^Lock-order inversion: .*The timeout on `ledger` turns this hang/);
    assert.match(f.message, NOTE);
  });

  it('withTimeout(lock, ms) stored under its own name, re-entered: LO102 at warning instead of error', async () => {
    const [f] = await reported('LO102_with_timeout.ts');
    assert.equal(f.code, 'LO102');
    assert.equal(f.severity, 'warning');
    assert.match(f.message, /so the task waits for itself until the timeout\. The timeout on `lock` turns this hang/);
  });

  it('async-lock: a per-call { timeout } is a warning, the same re-entry without one stays an error that waits forever', async () => {
    const [timed, plain] = (await reported('LO102_async_lock_timeout.ts')).sort((a, b) => a.line - b.line);
    assert.equal(timed.severity, 'warning');
    assert.match(timed.message, NOTE);
    assert.equal(plain.severity, 'error');
    assert.match(plain.message, /waits for itself forever\.$/);
  });

  it('async-lock: new AsyncLock({ timeout }) is timed, { timeout: 0 } (no timeout) is not', async () => {
    const [timed, plain] = (await reported('LO101_async_lock_timeout.js')).sort((a, b) => a.line - b.line);
    assert.match(timed.message, NOTE);
    assert.equal(timed.severity, 'warning');
    assert.doesNotMatch(plain.message, /timeout/);
    assert.match(plain.message, /Two tasks running these can deadlock\.$/);
  });
});
