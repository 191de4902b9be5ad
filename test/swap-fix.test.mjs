// The LO101 swap-order fix ("Take `a` before `b`, as `one` does"): applied to the text, the
// inversion is gone, the file still parses and runs with plain python3 (no lockorder runtime),
// while the merge into `with acquire(a, b):` says it needs the runtime, and does.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { applyEdits, root } from './lsp-client.mjs';

const { analyze } = (await import('node:module')).createRequire(import.meta.url)(join(root, 'dist', 'analysis.js'));
const fixtures = join(root, 'test', 'fixtures', 'python');

/** The LO101 findings of one fixture (or of `text` under its name), with an optional order file. */
async function lo101(name, text = readFileSync(join(fixtures, name), 'utf8'), orderText) {
  const path = join(fixtures, name);
  const orderFile = orderText && { path: join(fixtures, 'lockorder.order'), text: orderText };
  const result = await analyze([{ path, text }], orderFile ? { orderFile } : {});
  return { text, findings: result.findings.filter((f) => f.code === 'LO101') };
}

/** Write `text` to a temporary script and run `python3 -c CODE script` or the script itself, without PYTHONPATH. */
function python(text, args) {
  const dir = mkdtempSync(join(tmpdir(), 'lockorder-swap-'));
  try {
    const script = join(dir, 'script.py');
    writeFileSync(script, text);
    const env = { ...process.env };
    delete env.PYTHONPATH;
    const r = spawnSync('python3', [...args, script], { encoding: 'utf8', timeout: 30_000, cwd: dir, env });
    return { status: r.status, out: `${r.stdout}${r.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const parses = (text) => python(text, ['-c', 'import ast,sys; ast.parse(open(sys.argv[1]).read())']);
const runs = (text) => python(text, []);

function swapFix(finding) {
  return finding.fixes.find((f) => /^Take .* before /.test(f.title));
}

/** Apply a fix, then check: no LO101, parses, runs with plain python3. Returns the new text. */
async function applyAndCheck(name, text, fix) {
  const fixed = applyEdits(text, fix.edits);
  assert.deepEqual((await lo101(name, fixed)).findings, [], `the fix removes the LO101:\n${fixed}`);
  const parsed = parses(fixed);
  assert.equal(parsed.status, 0, `the fixed file parses:\n${parsed.out}`);
  return fixed;
}

describe('LO101 swap-order fix', () => {
  it('nested `with`: swaps the two headers, keeping `as` names and comments; runs without the runtime', async () => {
    const { text, findings } = await lo101('LO101_swap_nested_with.py');
    assert.equal(findings.length, 1);
    const fix = swapFix(findings[0]);
    assert.ok(fix, `a swap fix is offered: ${findings[0].fixes.map((f) => f.title).join(' | ')}`);
    assert.equal(fix.title, 'Take `audit` before `accounts`, as `transfer` does (swaps the two acquisitions: no code runs between them)');
    assert.equal(fix.safe, true);
    const fixed = await applyAndCheck('LO101_swap_nested_with.py', text, fix);
    assert.match(fixed, /^ {4}with audit: {2}# the balances\n {8}with accounts as held: {2}# then the audit trail$/m);
    const run = runs(fixed);
    assert.equal(run.status, 0, `python3 runs the fixed file:\n${run.out}`);
    assert.match(run.out, /^100$/m);
  });

  it('the merge fix says it needs the runtime, and indeed fails under plain python3', async () => {
    const { text, findings } = await lo101('LO101_swap_nested_with.py');
    const merge = findings[0].fixes.find((f) => f.title.includes('acquire('));
    assert.ok(merge);
    assert.match(merge.title, /\(needs the lockorder runtime installed\)$/);
    const fixed = await applyAndCheck('LO101_swap_nested_with.py', text, merge);
    assert.match(fixed, /^from lockorder import acquire$/m);
    const run = runs(fixed);
    assert.notEqual(run.status, 0);
    assert.match(run.out, /No module named 'lockorder'/);
  });

  it('acquire()/release(): swaps the two acquire statements and the two release statements', async () => {
    const { text, findings } = await lo101('LO101_swap_acquire.py');
    assert.equal(findings.length, 1);
    const fix = swapFix(findings[0]);
    assert.ok(fix, 'a swap fix is offered');
    assert.equal(fix.title, 'Take `queue_lock` before `stats_lock`, as thread `push` does (swaps the two acquisitions: no code runs between them)');
    const fixed = await applyAndCheck('LO101_swap_acquire.py', text, fix);
    assert.match(fixed, /def pop\(\):\n {4}queue_lock\.acquire\(\)\n {4}# nothing runs between the two acquisitions\n {4}stats_lock\.acquire\(\)\n.*\n {4}stats_lock\.release\(\)\n {4}queue_lock\.release\(\)\n/);
    const run = runs(fixed);
    assert.equal(run.status, 0, `python3 runs the fixed file:\n${run.out}`);
    assert.match(run.out, /^ok$/m);
  });

  it('no swap when code runs between the two acquisitions; the merge says it is unsafe and needs the runtime', async () => {
    const { findings } = await lo101('LO101_swap_code_between.py');
    assert.equal(findings.length, 1);
    assert.equal(swapFix(findings[0]), undefined);
    assert.deepEqual(findings[0].fixes.map((f) => [f.title, f.safe]), [
      ['Take b and a together with `with acquire(b, a):` (needs the lockorder runtime installed; unsafe: holds a longer than before)', false],
    ]);
  });

  it('with a declared order, swaps the site that goes against lockorder.order', async () => {
    // Declared: accounts before audit, so transfer() (audit, then accounts) is the one to swap.
    const order = 'LO101_swap_nested_with.accounts\nLO101_swap_nested_with.audit\n';
    const { text, findings } = await lo101('LO101_swap_nested_with.py', undefined, order);
    assert.equal(findings.length, 1);
    const fix = swapFix(findings[0]);
    assert.ok(fix, 'a swap fix is offered');
    assert.match(fix.title, /^Take `accounts` before `audit`, as lockorder\.order declares/);
    const fixed = applyEdits(text, fix.edits);
    assert.match(fixed, /def transfer\(\):\n {4}with accounts as held: {2}# the audit trail first\n {8}with audit:\n/);
    assert.deepEqual((await lo101('LO101_swap_nested_with.py', fixed, order)).findings, []);
    assert.equal(parses(fixed).status, 0);
  });
});
