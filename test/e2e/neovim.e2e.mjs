// Editor test in a real second client: headless Neovim (0.7.2 from Debian) starts the bundled
// server over stdio (test/e2e/neovim/init.lua), and this file checks what Neovim ended up with:
// its diagnostics (Python files, and a JavaScript one), the quick fixes offered, and the buffer
// after applying the LO101 merge fix.
// Run by `npm run test:editors` after scripts/editors-setup.sh.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { artifact, freshWorkspace, root, serverPath, tools } from './tools.mjs';

let result;
let ws;

before(() => {
  const { nvim } = tools('nvim');
  ws = freshWorkspace();
  copyFileSync(join(root, 'test', 'e2e', 'extra', 'orders.js'), join(ws.workspace, 'orders.js'));
  const out = join(ws.dir, 'neovim.json');
  const run = spawnSync(nvim, ['--headless', '--clean', '-u', join(root, 'test', 'e2e', 'neovim', 'init.lua')], {
    env: { ...process.env, LO_NODE: process.execPath, LO_SERVER: serverPath, LO_WORKSPACE: ws.workspace, LO_OUT: out,
      LO_FILES: 'bank.py,counter.py,pipeline.py,orders.js' },
    timeout: 60_000,
    encoding: 'utf8',
  });
  const report = `nvim exit ${run.status} ${run.signal ?? ''}\nstdout:\n${run.stdout}\nstderr:\n${run.stderr}`;
  writeFileSync(artifact('neovim.log'), report);
  assert.equal(run.status, 0, report);
  result = JSON.parse(readFileSync(out, 'utf8'));
  writeFileSync(artifact('neovim.json'), JSON.stringify(result, null, 2));
  assert.equal(result.error, undefined, `the Lua driver failed: ${result.error}\n${result.log.join('\n')}`);
  assert.deepEqual(result.log, [], 'the Lua driver logged problems');
});
after(() => ws?.cleanup());

describe('neovim: the bundled server as a second LSP client', () => {
  it('shows the lock-order inversion in bank.py on the nested `with from_lock:` line of refund()', () => {
    const lo101 = result.files['bank.py'].filter((d) => d.code === 'LO101');
    assert.equal(lo101.length, 1, JSON.stringify(result.files['bank.py']));
    assert.equal(lo101[0].lnum, 17, 'line 18 (1-based): `with from_lock:` inside refund()');
    assert.match(lo101[0].message, /from_lock/);
    assert.match(lo101[0].message, /to_lock/);
    assert.ok(lo101[0].related >= 2, 'the diagnostic carries the other sites of the cycle');
  });

  it('shows the self-deadlock in counter.py at the call of incr()', () => {
    const lo102 = result.files['counter.py'].filter((d) => d.code === 'LO102');
    assert.equal(lo102.length, 1, JSON.stringify(result.files['counter.py']));
    assert.equal(lo102[0].lnum, 17);
    assert.match(lo102[0].message, /Counter\._lock/);
  });

  it('shows the lock-order inversion in the JavaScript orders.js on `bill`\'s nested acquire, in terms of tasks', () => {
    const lo101 = result.files['orders.js'].filter((d) => d.code === 'LO101');
    assert.equal(lo101.length, 1, JSON.stringify(result.files['orders.js']));
    assert.equal(lo101[0].lnum, 25, 'line 26 (1-based): `await stock.acquire()` inside bill()');
    assert.match(lo101[0].message, /`billing` acquired while holding `stock` in `ship`/);
    assert.match(lo101[0].message, /tasks/);
    assert.ok(lo101[0].related >= 2, 'the diagnostic carries the other sites of the cycle');
  });

  it('shows nothing for the clean pipeline.py', () => {
    assert.deepEqual(result.files['pipeline.py'], []);
  });

  it('offers the merge fix and the ignore comment for the LO101', () => {
    assert.ok(result.actions.some((t) => /with acquire\(to_lock, from_lock\)/.test(t)), JSON.stringify(result.actions));
    assert.ok(result.actions.includes('Ignore LO101 on this line'), JSON.stringify(result.actions));
  });

  it('applies the merge fix with apply_workspace_edit: the import is added and the LO101 goes away', () => {
    const { text, diagnostics, modified } = result.after;
    assert.match(text, /^from lockorder import acquire$/m);
    assert.match(text, /^    with acquire\(to_lock, from_lock\):$/m);
    assert.equal(text.match(/with from_lock:/g).length, 1, 'the nested `with from_lock:` in refund() is gone');
    assert.deepEqual(diagnostics.filter((d) => d.code === 'LO101'), []);
    assert.equal(modified, true, 'the fix edits the buffer; nothing is saved');
  });
});
