// The quick fixes a TS/JS finding carries in Diagnostic.data: each is applied to its fixture's
// text, and the fixed text must still parse as TS/JS (no syntax error from the compiler) and,
// analyzed again, no longer have the finding.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { applyEdits, root } from './lsp-client.mjs';

const require = createRequire(import.meta.url);
const { analyze } = require(join(root, 'dist', 'analysis.js'));
const ts = require('typescript');
const fixtures = join(root, 'test', 'fixtures', 'typescript');

/** The findings of `code` for a fixture (or `text` under its name), with an optional order file. */
async function findings(name, code, text = readFileSync(join(fixtures, name), 'utf8'), orderText) {
  const path = join(fixtures, name);
  const orderFile = orderText && { path: join(fixtures, 'lockorder.order'), text: orderText };
  const result = await analyze([{ path, text }], orderFile ? { orderFile } : {});
  return { text, found: result.findings.filter((f) => f.code === code), problems: result.problems };
}

/** The compiler's syntax errors for a TS/JS text. */
function syntaxErrors(name, text) {
  const out = ts.transpileModule(text, { fileName: name, reportDiagnostics: true, compilerOptions: { allowJs: true } });
  return (out.diagnostics ?? []).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

/** Apply the fix whose title matches `title`, check the result parses and has no `code` finding left; returns it. */
async function applyAndCheck(name, code, title, orderText) {
  const { text, found } = await findings(name, code, undefined, orderText);
  assert.ok(found.length > 0, `${name} has a ${code} finding`);
  const fix = found.flatMap((f) => f.fixes).find((f) => title.test(f.title));
  assert.ok(fix, `a fix matching ${title} is offered: ${found.flatMap((f) => f.fixes).map((f) => f.title).join(' | ') || '(none)'}`);
  const fixed = applyEdits(text, fix.edits);
  assert.deepEqual(syntaxErrors(name, fixed), [], `the fixed text parses:\n${fixed}`);
  const again = await findings(name, code, fixed, orderText);
  assert.deepEqual(again.found.map((f) => f.message), [], `the fix removes the ${code}:\n${fixed}`);
  assert.deepEqual(again.problems, []);
  return { fix, fixed };
}

describe('LO104 try/finally fix', () => {
  it('wraps the code between acquire() and release() in try/finally, moving release() into the finally', async () => {
    const { fix, fixed } = await applyAndCheck('LO104_await.ts', 'LO104', /in a `finally`/);
    assert.equal(fix.safe, true);
    assert.match(fixed, /const release = await lock\.acquire\(\);\n {2}try \{\n {4}await save\(data\);\n {2}\} finally \{\n {4}release\(\);\n {2}\}\n\}/);
  });

  it('a name declared inside and used after release(): the try runs to the block end, and the fix says it is unsafe', async () => {
    const { fix, fixed } = await applyAndCheck('LO104_throw.ts', 'LO104', /in a `finally`/);
    assert.equal(fix.safe, false);
    assert.match(fix.title, /unsafe: the lock is also held over the code after the release/);
    assert.match(fixed, /try \{\n {4}if \(items\.length === 0\) throw new Error\('empty'\);\n {4}const item = items\.pop\(\)!;\n {4}return item;\n {2}\} finally \{\n {4}release\(\);\n {2}\}/);
  });

  it('JavaScript, a semaphore pair and the deprecated m.release(): each gets its fix', async () => {
    await applyAndCheck('LO104_acquire.js', 'LO104', /in a `finally`/);
    const { text, found } = await findings('LO104_semaphore_release.ts', 'LO104');
    assert.equal(found.length, 2);
    for (const f of found) {
      assert.equal(f.fixes.length, 1, f.message);
      const fixed = applyEdits(text, f.fixes[0].edits);
      assert.deepEqual(syntaxErrors('x.ts', fixed), []);
      const again = await findings('LO104_semaphore_release.ts', 'LO104', fixed);
      assert.equal(again.found.length, 1, `one of the two is fixed:\n${fixed}`);
    }
  });

  it('the Web Locks releaser idiom: the code after request() is wrapped, release() in the finally', async () => {
    const { fix, fixed } = await applyAndCheck('LO104_web_locks_releaser.ts', 'LO104', /in a `finally`/);
    assert.match(fix.title, /wrap the code after request\(\)/);
    assert.match(fixed, /resolve; \}\)\);\n {2}try \{\n {4}await create\(name\);\n {2}\} finally \{\n {4}release\(\);\n {2}\}/);
  });
});

describe('LO104 try/finally fix for a Promise.all batch', () => {
  it('moves the releases written together into one finally, so one fix clears both findings', async () => {
    const { text, found } = await findings('LO104_promise_all.ts', 'LO104');
    assert.equal(found.length, 2);
    assert.deepEqual(found[0].fixes[0].edits, found[1].fixes[0].edits, 'both locks get the same edit');
    const fixed = applyEdits(text, found[0].fixes[0].edits);
    assert.deepEqual(syntaxErrors('x.ts', fixed), []);
    assert.match(fixed, /try \{\n {4}await work\(\);\n {2}\} finally \{\n {4}releaseRight\(\);\n {4}releaseLeft\(\);\n {2}\}/);
    assert.deepEqual((await findings('LO104_promise_all.ts', 'LO104', fixed)).found, []);
  });
});

describe('LO104 try/finally fix for a batch over keys', () => {
  it('moves `releases.forEach(…)` into a finally; the batch is then released on every path', async () => {
    const { fix, fixed } = await applyAndCheck('LO104_keyed_batch.ts', 'LO104', /^Release `lockFor\(k\)` in a `finally`/);
    assert.equal(fix.safe, true);
    assert.match(fixed, /try \{\n {4}await work\(\);\n {2}\} finally \{\n {4}releases\.forEach\(\(release\) => release\(\)\);\n {2}\}/);
  });
});

describe('LO101 reorder fixes', () => {
  it('a literal async-lock key array is reordered to the order the other function uses', async () => {
    const { fix, fixed } = await applyAndCheck('LO101_async_lock_keys.ts', 'LO101', /^Reorder to take 'from' before 'to'$/);
    assert.equal(fix.safe, true);
    assert.match(fixed, /lock\.acquire\(\['from', 'to'\], async \(\) => \{\n {4}await move\('receive'\);/);
  });

  it('a key array against lockorder.order, which names async-lock keys: the array that goes against it is reordered', async () => {
    const order = "LO101_async_lock_keys_ts.lock['to'] < LO101_async_lock_keys_ts.lock['from']\n";
    const { fix, fixed } = await applyAndCheck('LO101_async_lock_keys.ts', 'LO101', /^Reorder to take 'to' before 'from', as lockorder\.order declares$/, order);
    assert.equal(fix.safe, true);
    assert.match(fixed, /lock\.acquire\(\['to', 'from'\], async \(\) => \{\n {4}await move\('send'\);/);
  });

  it('the same in CommonJS JavaScript', async () => {
    const { fixed } = await applyAndCheck('LO101_async_lock_keys.js', 'LO101', /^Reorder to take 'cash' before 'ledger'$/);
    assert.match(fixed, /return lock\.acquire\(\['cash', 'ledger'\], \(\) => record\('audit', 0\)\);/);
  });

  it('nested runExclusive: the two receivers are swapped to the order the other function uses', async () => {
    const { fix, fixed } = await applyAndCheck('LO101_runExclusive.ts', 'LO101', /^Take `accounts` before `audit`, as `transfer` does/);
    assert.equal(fix.safe, true);
    assert.match(fixed, /await accounts\.runExclusive\(async \(\) => \{\n {4}await audit\.runExclusive\(\(\) => write\('totals'\)\);/);
  });

  it('nested runExclusive against lockorder.order: the function that goes against it is the one swapped', async () => {
    const order = 'LO101_runExclusive_ts.audit < LO101_runExclusive_ts.accounts\n';
    const { fix, fixed } = await applyAndCheck('LO101_runExclusive.ts', 'LO101', /^Take `audit` before `accounts`, as lockorder\.order declares/, order);
    assert.equal(fix.safe, true);
    assert.match(fixed, /export async function transfer\(\): Promise<void> \{\n {2}await audit\.runExclusive\(async \(\) => \{\n {4}await accounts\.runExclusive\(/);
  });

  it('no swap when other code runs in the outer callback (it would run under the other lock)', async () => {
    const { found } = await findings('LO101_runExclusive_code_between.ts', 'LO101');
    assert.equal(found.length, 1);
    assert.deepEqual(found[0].fixes.map((f) => f.title), []);
  });
});
