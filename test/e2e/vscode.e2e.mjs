// Editor tests in the real VS Code workbench: code-server serves it with the packaged .vsix
// installed, headless Chromium shows it, and each scenario does what a user does with the
// keyboard and checks what is on screen (Problems panel, editor lines, quick-fix menu, hover,
// terminal, notifications), in Python files and a TypeScript one. It runs a file (Python, and
// JavaScript under the Node runtime) and the tests under the lockorder runtime, and installs the
// runtime, from the Command Palette and from the quick fixes, into a throwaway venv that the
// workspace settings name as `lockorder.python.interpreter`.
// Each scenario saves a screenshot under test/e2e/artifacts/; a failure saves one too and prints
// the tail of the code-server log. Run by `npm run test:editors` after scripts/editors-setup.sh.

import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startCodeServer } from './codeServer.mjs';
import { artifact, freshWorkspace, root, tools, vsixPath } from './tools.mjs';
import { canImport, makeVenv, pip, venvPython } from './python.mjs';
import { openWorkbench, waitMs } from './workbench.mjs';

let ws;
let server;
let bench;
/** The venv's interpreter: the workspace's `lockorder.python.interpreter`. */
let python;

before(async () => {
  const { node24, codeServer, chromium } = tools('node24', 'codeServer', 'chromium');
  assert.ok(existsSync(vsixPath), `${vsixPath} is missing: run "npm run package" first.`);
  ws = freshWorkspace();
  // The venv lives beside the workspace copy (not in it), and is made while code-server starts.
  const venv = join(ws.dir, 'venv');
  mkdirSync(join(ws.workspace, '.vscode'));
  writeFileSync(join(ws.workspace, '.vscode', 'settings.json'), JSON.stringify({ 'lockorder.python.interpreter': venvPython(venv) }, null, 2));
  const made = makeVenv(venv);
  made.catch(() => {}); // reported below, once code-server is up
  server = await startCodeServer({ node24, codeServer, vsix: vsixPath, workspace: ws.workspace, dir: ws.dir });
  try {
    bench = await openWorkbench({ chromiumPath: chromium, url: server.url, dir: ws.dir });
  } catch (error) {
    console.error(`code-server log tail:\n${server.logTail()}`);
    throw error;
  }
  python = await made;
});

after(async () => {
  await bench?.close();
  server?.stop();
  ws?.cleanup();
});

/** A scenario: a screenshot when it passes, and a screenshot plus the code-server log tail when it fails. */
function scenario(slug, title, body) {
  it(title, async () => {
    try {
      await body();
      await bench.screenshot(artifact(`vscode-${slug}.png`));
    } catch (error) {
      await bench?.screenshot(artifact(`vscode-${slug}-failed.png`)).catch(() => {});
      console.error(`[${slug}] failed; code-server log tail:\n${server?.logTail() ?? '(not started)'}`);
      throw error;
    }
  });
}

describe('vscode: the extension in the real workbench (code-server)', () => {
  scenario('1-problems', 'the Problems panel shows the LO101 with its code, and expanding it shows the other sites', async () => {
    await bench.openFile('bank.py');
    await bench.showProblems();
    const row = bench.problem('LO101', 'acquired while holding `from_lock`');
    await row.waitFor({ timeout: waitMs });
    assert.match(await row.innerText(), /Lock-order inversion/);
    if ((await row.getAttribute('aria-expanded')) === 'false') await row.locator('.monaco-tl-twistie').click();
    // Related information rows: the other sites of the cycle, each with its own message.
    const related = bench.page.locator('.markers-panel .monaco-list-row', { hasText: 'bank.py[Ln' });
    await related.first().waitFor({ timeout: waitMs });
    const texts = (await related.allInnerTexts()).map((t) => t.replace(/\s+/g, ' '));
    assert.ok(texts.length >= 2, `at least two related locations: ${JSON.stringify(texts)}`);
    assert.ok(texts.some((t) => /Ln 11, Col 14.*`to_lock` acquired while holding `from_lock` in `transfer`/.test(t)), JSON.stringify(texts));
  });

  scenario('2-merge-fix', 'Ctrl+. offers the merge into `with acquire(a, b):`; applying it adds the import and the LO101 goes away', async () => {
    await bench.openFile('bank.py');
    await bench.showProblems();
    await bench.problem('LO101', 'acquired while holding `from_lock`').waitFor({ timeout: waitMs });
    await bench.goTo(18, 14);
    const offered = await bench.applyQuickFix('with acquire(to_lock, from_lock)');
    assert.ok(offered.some((t) => t.includes('Ignore LO101 on this line')), JSON.stringify(offered));
    await bench.page.keyboard.press('Control+Home'); // the import is at the top, which the fix scrolled away from
    await bench.waitForLine('from lockorder import acquire');
    await bench.waitForLine('with acquire(to_lock, from_lock):');
    await bench.problemGone('LO101', 'acquired while holding `from_lock`');
  });

  scenario('3-rlock-fix', 'a self-deadlock: the Lock→RLock fix is applied and the LO102 goes away', async () => {
    await bench.openFile('counter.py');
    await bench.showProblems();
    await bench.problem('LO102', 'Counter._lock').waitFor({ timeout: waitMs });
    await bench.goTo(18, 13);
    await bench.applyQuickFix('RLock');
    await bench.waitForLine('_lock = threading.RLock()');
    await bench.problemGone('LO102', 'Counter._lock');
  });

  scenario('4-typing', 'typing a second function that takes the locks the other way round shows an LO101 without saving', async () => {
    await bench.openFile('pipeline.py');
    await bench.showProblems();
    assert.equal(await bench.problem('sink_lock').count(), 0, 'pipeline.py starts clean');
    await bench.editor().locator('.view-line').first().click();
    await bench.page.keyboard.press('Control+End');
    // Typed key by key, indentation included (the test settings turn auto-indent off).
    for (const line of ['', '', 'def pull():', '    with sink_lock:', '        with stage_lock:']) {
      await bench.page.keyboard.type(line);
      await bench.page.keyboard.press('Enter');
    }
    await bench.page.keyboard.type('            return items.pop()');
    await bench.waitForLine('return items.pop()');
    // The finding is on the new function's inner `with stage_lock:` (line 18, column 14).
    await bench.problem('LO101', 'sink_lock', 'Ln 18, Col 14').waitFor({ timeout: waitMs });
    await bench.page.locator('.tab.active.dirty').waitFor({ timeout: waitMs });
    const onDisk = readFileSync(join(ws.workspace, 'pipeline.py'), 'utf8');
    assert.doesNotMatch(onDisk, /def pull/, 'the file on disk is unchanged: the finding came from the unsaved text');
  });

  scenario('5-hover', 'hovering a lock shows its place in the lock order', async () => {
    await bench.openFile('stages.py');
    const rankAt = async (line, column, name) => {
      await bench.goTo(line, column);
      const text = await bench.hoverAtCursor();
      assert.match(text, new RegExp(`stages\\.${name} — Lock \\(not reentrant\\)`));
      const rank = text.match(/Rank (\d+) of (\d+) in the inferred global lock order/);
      assert.ok(rank, text);
      return { text, rank: Number(rank[1]), of: Number(rank[2]) };
    };
    const intake = await rankAt(12, 10, 'intake_lock');
    const output = await rankAt(14, 18, 'output_lock');
    const batch = await rankAt(13, 14, 'batch_lock');
    assert.match(batch.text, /Held when it is taken: intake_lock ×1/);
    assert.match(batch.text, /Taken while it is held: output_lock ×1/);
    // Ranks are workspace-wide (other files' locks are ranked too), so check their order only.
    assert.ok(intake.rank < batch.rank && batch.rank < output.rank, JSON.stringify({ intake, batch, output }));
    // The last hover is shown again for the screenshot.
    await bench.page.keyboard.press('Control+K');
    await bench.page.keyboard.press('Control+I');
    await bench.editor().locator('.monaco-hover-content').filter({ visible: true }).first().waitFor({ timeout: waitMs });
  });

  scenario('6-ignore', 'the quick fix `# lockorder: ignore[LO101]` silences the finding', async () => {
    await bench.openFile('ledger.py');
    await bench.showProblems();
    await bench.problem('LO101', 'read_lock').waitFor({ timeout: waitMs });
    await bench.goTo(17, 14);
    await bench.applyQuickFix('Ignore LO101 on this line');
    await bench.waitForLine('with read_lock:  # lockorder: ignore[LO101]');
    await bench.problemGone('LO101', 'read_lock');
  });

  scenario('7-runtime', 'Run Current File with Lock-Order Checking: the inversion only a run sees appears in the Problems panel', async () => {
    await bench.openFile('runtime_inversion.py');
    await bench.showProblems();
    const runtime = bench.problem('LO101', 'observed at run time', '"left-first"', '"right-first"');
    assert.equal(await bench.problem('observed at run time').count(), 0, 'no run-time finding before the run');
    await bench.runCommand('Lock Order: Run Current File with Lock-Order Checking');
    // The run is a task in a terminal, which takes the panel's place; then the Problems panel again.
    await bench.page.locator('.terminal-wrapper.active').waitFor({ timeout: waitMs });
    await bench.showProblems();
    await runtime.waitFor({ timeout: waitMs });
    const text = (await runtime.innerText()).replace(/\s+/g, ' ');
    assert.match(text, /Lock-order inversion observed at run time/);
    assert.match(text, /here, thread "(left|right)-first" .*; thread "(left|right)-first"/);
    assert.ok(existsSync(join(ws.workspace, '.lockorder')), 'the run wrote its report into the workspace copy');
  });

  scenario('8-install-offer', 'Ctrl+. on an LO101 whose fix imports lockorder offers to install the runtime when the import would not resolve; choosing it installs it', async () => {
    assert.equal(canImport(python, 'lockorder'), false, 'the fresh venv starts without lockorder');
    await bench.openFile('wallet.py');
    await bench.showProblems();
    await bench.problem('LO101', '`cash_lock` acquired while holding `card_lock`').waitFor({ timeout: waitMs });
    await bench.goTo(19, 14);
    const offered = await bench.applyQuickFix('Install the lockorder runtime');
    assert.ok(offered.some((t) => t.includes('with acquire(card_lock, cash_lock)')), `offered next to the merge fix: ${JSON.stringify(offered)}`);
    // A modal confirmation names the environment and the interpreter before pip runs.
    await bench.dialog(`the virtual environment ${dirname(dirname(python))}`).waitFor({ timeout: waitMs });
    await bench.dialog(python).waitFor({ timeout: waitMs });
    await bench.clickDialogButton('Install');
    // pip runs in a terminal; when it ends, a notification says where the runtime now is.
    await bench.terminal(/Successfully\s+installed\s+lockorder-0\.1\.0/).waitFor({ timeout: waitMs });
    await bench.notification(`the runtime is installed in ${python}`).waitFor({ timeout: waitMs });
    assert.equal(canImport(python, 'lockorder'), true, 'the venv imports lockorder after the install');
    assert.equal(canImport('python3', 'lockorder'), false, 'python3 itself is untouched');
    // The import resolves now: the offer is gone and the merge fix edits the file.
    await bench.goTo(19, 14);
    const now = await bench.quickFixes('with acquire(card_lock, cash_lock)');
    assert.ok(!now.some((t) => t.includes('Install the lockorder runtime')), `no install offer once installed: ${JSON.stringify(now)}`);
    await bench.applyQuickFix('with acquire(card_lock, cash_lock)');
    await bench.waitForLine('with acquire(card_lock, cash_lock):');
    await bench.page.keyboard.press('Control+Home');
    await bench.waitForLine('from lockorder import acquire');
    await bench.showProblems();
    await bench.problemGone('LO101', '`cash_lock` acquired while holding `card_lock`');
  });

  scenario('9-install-command', 'Install the Runtime into the Python Interpreter: pip installs it, offline, into the interpreter the settings name', async () => {
    // As the README says to remove it; the command puts it back.
    pip(python, 'uninstall', '--yes', 'lockorder');
    assert.equal(canImport(python, 'lockorder'), false, 'uninstalled before the command');
    // The last install's terminal and notification would answer for this one.
    await bench.killTerminals();
    await bench.clearNotifications();
    await bench.runCommand('Lock Order: Install the Runtime into the Python Interpreter');
    await bench.dialog(`the virtual environment ${dirname(dirname(python))}`).waitFor({ timeout: waitMs });
    await bench.clickDialogButton('Install');
    await bench.terminal(/Successfully\s+installed\s+lockorder-0\.1\.0/).waitFor({ timeout: waitMs });
    assert.match(await bench.terminal(/--no-index/).textContent(), /-m\s+pip\s+install\s+--no-build-isolation\s+--no-index\s/);
    await bench.notification(`the runtime is installed in ${python}`).waitFor({ timeout: waitMs });
    assert.equal(canImport(python, 'lockorder'), true, 'the venv imports lockorder after the install');
    assert.equal(canImport('python3', 'lockorder'), false, 'python3 itself is untouched');
  });

  scenario('10-run-tests', 'Run Tests with Lock-Order Checking: pytest fails the test that inverts two locks, and its LO101 appears in the Problems panel', async () => {
    assert.ok(canImport(python, 'pytest'),
      `pytest is not importable by ${python}: the venv sees python3's packages, so install pytest for python3 (python3 -m pip install pytest)`);
    await bench.killTerminals();
    await bench.clearNotifications();
    await bench.openFile('test_transfers.py');
    await bench.showProblems();
    const test = 'test_transfers.py::test_opposite_orders';
    assert.equal(await bench.problem(test).count(), 0, 'no run-time finding of the test before the run');
    await bench.runCommand('Lock Order: Run Tests with Lock-Order Checking');
    // pytest's own result: the plugin fails the test during which the inversion was seen.
    const result = bench.terminal(/1\s+failed/);
    await result.waitFor({ timeout: waitMs });
    assert.match((await result.textContent()).replace(/\s+/g, ' '), /FAILED test_transfers\.py::test_opposite_orders - lockorder: 1 finding/);
    await bench.showProblems();
    const runtime = bench.problem('LO101', `observed at run time in ${test}`);
    await runtime.waitFor({ timeout: waitMs });
    assert.match((await runtime.innerText()).replace(/\s+/g, ' '), /thread "(debit|credit)-first" .*; thread "(debit|credit)-first"/);
  });

  scenario('11-status', 'the language status item says lockorder ran: its findings and the files it analyzed', async () => {
    await bench.killTerminals(); // a terminal keeps the keyboard otherwise
    await bench.openFromExplorer('wallet.py');
    const status = bench.page.locator('[id="status.languageStatus"]');
    await status.waitFor({ timeout: waitMs });
    const item = bench.page.locator('.hover-language-status', { hasText: 'Lock Order' });
    // The hover opens after a delay and only while the pointer stays on the item, and the item
    // may be re-rendered as the status changes: move off and on again until the hover shows.
    for (let attempt = 0; ; attempt++) {
      await bench.page.mouse.move(0, 0);
      await status.hover();
      if (await item.waitFor({ timeout: 4000 }).then(() => true, () => false)) break;
      assert.ok(attempt < 5, 'the language status hover with the Lock Order item opens');
    }
    const text = (await item.innerText()).replace(/\s+/g, ' ');
    assert.match(text, /Lock Order: \d+ findings?/);
    assert.match(text, /\d+ files analyzed in \d+\.\d s · run-time reports: \d+/);
    // Left open for the screenshot; the next scenario's Ctrl+P closes it.
  });

  scenario('12-hover-no-rank', 'hovering a lock nested with no other says so, and does not call it part of a cycle', async () => {
    // An extra file, copied in now so that its LO104 does not crowd the earlier scenarios' Problems panel.
    copyFileSync(join(root, 'test', 'e2e', 'extra', 'store_async.py'), join(ws.workspace, 'store_async.py'));
    await bench.openFromExplorer('store_async.py');
    await bench.goTo(26, 16);
    const text = await bench.hoverAtCursor();
    assert.match(text, /store_async\.audit_lock/);
    assert.match(text, /Never nested with another lock/);
    assert.doesNotMatch(text, /cycle/);
  });

  scenario('13-asyncio-fix', 'the LO104 fix on an asyncio lock writes `async with` and the LO104 goes away', async () => {
    await bench.openFromExplorer('store_async.py');
    await bench.showProblems();
    await bench.problem('LO104', 'Use `async with self._lock:` instead').waitFor({ timeout: waitMs });
    await bench.goTo(18, 15);
    await bench.applyQuickFix('Use `async with self._lock:` instead of acquire()/release()');
    await bench.waitForLine('async with self._lock:');
    await bench.problemGone('LO104', 'self._lock');
  });

  scenario('14-swap-fix', 'Ctrl+. offers the swap-order fix, which needs no runtime; applying it swaps the nesting and the LO101 goes away', async () => {
    // An extra file, copied in now so that its LO101 does not crowd the earlier scenarios' Problems panel.
    copyFileSync(join(root, 'test', 'e2e', 'extra', 'swap_order.py'), join(ws.workspace, 'swap_order.py'));
    await bench.openFromExplorer('swap_order.py');
    await bench.showProblems();
    await bench.problem('LO101', 'acquired while holding `audit_lock`', 'Ln 22, Col 14').waitFor({ timeout: waitMs });
    await bench.goTo(22, 14);
    const offered = await bench.applyQuickFix('Take `ledger_lock` before `audit_lock`, as `record` does');
    assert.ok(offered.some((t) => t.includes('(needs the lockorder runtime installed)')), JSON.stringify(offered));
    await bench.waitForLine('with ledger_lock:  # the audit trail first');
    await bench.waitForLine('with audit_lock:');
    await bench.problemGone('LO101', 'acquired while holding `audit_lock`');
    const text = await bench.editor().locator('.view-lines').innerText();
    assert.doesNotMatch(text, /lockorder import/, 'the swap adds no import');
  });

  scenario('15-suppressions', 'an unknown code in an ignore comment is reported, and an unused suppression is removed by its quick fix', async () => {
    copyFileSync(join(root, 'test', 'e2e', 'extra', 'suppressions.py'), join(ws.workspace, 'suppressions.py'));
    // Quick Open may not list a file this new yet: open it from the Explorer once it shows there.
    await bench.openFromExplorer('suppressions.py');
    await bench.showProblems();
    // The panel lists rows lazily and earlier scenarios' findings come first: filter it to this file.
    await bench.page.getByPlaceholder(/^Filter \(e\.g\./).first().fill('suppressions.py');
    await bench.problem('Unknown rule code LO999 in lockorder suppression', 'unknown-code').waitFor({ timeout: waitMs });
    await bench.page.getByPlaceholder(/^Filter \(e\.g\./).first().fill('');
    await bench.page.locator('.tab.active[aria-label^="suppressions.py"]').click(); // back to the editor
    await bench.goTo(4, 14);
    await bench.applyQuickFix('Remove unused suppression');
    await bench.editor().locator('.view-line', { hasText: 'ignore[LO101]' }).waitFor({ state: 'detached', timeout: waitMs });
    await bench.waitForLine('count = 1');
    await bench.waitForLine('ignore[LO999]');
  });

  scenario('16-install-system', 'Install the Runtime refuses the system interpreter unless the user chooses "Install anyway"', async () => {
    const settingsFile = join(ws.workspace, '.vscode', 'settings.json');
    const saved = readFileSync(settingsFile, 'utf8');
    // python3 itself: not a venv (sys.prefix == sys.base_prefix) and not conda.
    writeFileSync(settingsFile, JSON.stringify({ 'lockorder.python.interpreter': 'python3' }, null, 2));
    try {
      await bench.killTerminals();
      // The settings file is read again shortly after it changes: ask until the dialog names python3.
      for (let attempt = 0; ; attempt++) {
        await bench.runCommand('Lock Order: Install the Runtime into the Python Interpreter');
        const dialog = bench.page.locator('.monaco-dialog-box').first();
        await dialog.waitFor({ timeout: waitMs });
        if (/system interpreter python3/.test(await dialog.innerText())) break;
        await bench.clickDialogButton('Cancel');
        assert.ok(attempt < 10, 'the dialog names python3 once the setting applies');
        await bench.page.waitForTimeout(500);
      }
      await bench.dialog('Install anyway').waitFor({ timeout: waitMs });
      await bench.clickDialogButton('Cancel');
      await bench.page.waitForTimeout(2000);
      assert.equal(await bench.page.locator('.terminal-wrapper').count(), 0, 'pip did not run');
      assert.equal(canImport('python3', 'lockorder'), false, 'python3 is untouched');
    } finally {
      writeFileSync(settingsFile, saved);
    }
  });

  /** The graph webview's document (the workbench's webview iframe holds the page in an inner frame). */
  const graph = () => bench.page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
  /** A lock's node in the graph view, by the name hover gives it. */
  const node = (name) => graph().locator(`g.node[data-name="${name}"]`);

  scenario('17-graph-palette', 'Show Lock-Order Graph from the Command Palette draws the locks top to bottom, the cycle in red', async () => {
    await bench.killTerminals().catch(() => {}); // a terminal keeps the keyboard otherwise
    copyFileSync(join(root, 'test', 'e2e', 'extra', 'graph_demo.py'), join(ws.workspace, 'graph_demo.py'));
    await bench.openFromExplorer('graph_demo.py');
    await bench.showProblems();
    await bench.problem('LO101', '`orders_lock` acquired while holding `stock_lock`').waitFor({ timeout: waitMs });
    await bench.runCommand('Lock Order: Show Lock-Order Graph');
    await node('graph_demo.orders_lock').waitFor({ timeout: waitMs });
    assert.ok(await node('bank.from_lock').count() === 1, 'the whole workspace is drawn at first');
    await bench.page.locator('iframe.webview.ready').last().screenshot({ path: artifact('vscode-graph-workspace.png') });
    // "This file": only graph_demo.py's locks (the editor beside the view).
    await graph().locator('#this-file').check();
    await node('bank.from_lock').waitFor({ state: 'detached', timeout: waitMs });
    for (const name of ['graph_demo.orders_lock', 'graph_demo.stock_lock']) {
      assert.match(await node(name).getAttribute('class'), /\bcycle\b/, `${name} is drawn as part of the cycle`);
    }
    assert.doesNotMatch(await node('graph_demo.audit_lock').getAttribute('class'), /\bcycle\b/);
    const red = graph().locator('g.edge.cycle');
    assert.equal(await red.count(), 2, 'both edges of the cycle are red');
    assert.equal(await graph().locator('g.edge.cycle.up').count(), 1, 'one edge of the cycle points up');
    // Top to bottom in the inferred order: the cycle's locks above the audit lock taken under them.
    const y = async (name) => node(name).evaluate((e) => e.getBoundingClientRect().y);
    assert.ok(await y('graph_demo.orders_lock') < await y('graph_demo.audit_lock'));
    assert.match(await graph().locator('#status').innerText(), /^3 locks, 4 edges, 1 cycle · graph_demo\.py \(1 implied not drawn\)$/);
    assert.equal(await graph().locator('g.edge').count(), 3, 'orders_lock → audit_lock is implied by orders_lock → stock_lock → audit_lock');
    await bench.page.locator('iframe.webview.ready').last().screenshot({ path: artifact('vscode-graph-view.png') });
  });

  /** Give the keyboard to graph_demo.py's editor, in the first group (the graph is beside it). */
  async function backToEditor() {
    await bench.page.keyboard.press('Control+1');
    await bench.page.locator('.editor-group-container.active .tab.active[aria-label^="graph_demo.py"]').waitFor({ timeout: waitMs });
  }

  scenario('18-graph-action', 'the LO101 quick fixes offer "Show this cycle in the graph", which emphasises the cycle', async () => {
    await backToEditor();
    await bench.goTo(18, 14);
    await bench.applyQuickFix('Show this cycle in the graph');
    await graph().locator('g.node.highlight').first().waitFor({ timeout: waitMs });
    const highlighted = await graph().locator('g.node.highlight').evaluateAll((els) => els.map((e) => e.getAttribute('data-name')).sort());
    assert.deepEqual(highlighted, ['graph_demo.orders_lock', 'graph_demo.stock_lock']);
    assert.equal(await graph().locator('g.edge.highlight').count(), 2, 'the cycle\'s two edges are emphasised');
  });

  scenario('19-graph-click', 'clicking a lock in the graph opens the line where it is created', async () => {
    await backToEditor();
    await bench.goTo(1, 1);
    await node('graph_demo.audit_lock').click();
    await bench.page.locator('.editor-group-container.active .tab.active[aria-label^="graph_demo.py"]').waitFor({ timeout: waitMs });
    const position = bench.page.locator('[id="status.editor.selection"]');
    await position.filter({ hasText: 'Ln 6, Col 14' }).waitFor({ timeout: waitMs });
  });

  scenario('20-graph-live', 'typing a fix for the cycle redraws the graph without the red edges', async () => {
    await backToEditor();
    assert.equal(await graph().locator('g.edge.cycle').count(), 2, 'the cycle is red before the fix');
    for (const [line, text] of [[17, '    with orders_lock:'], [18, '        with stock_lock:']]) {
      await bench.goTo(line, 1);
      await bench.page.keyboard.press('Shift+End');
      await bench.page.keyboard.type(text);
    }
    await bench.waitForLine('with stock_lock:');
    await graph().locator('g.edge.cycle').first().waitFor({ state: 'detached', timeout: waitMs });
    assert.equal(await graph().locator('g.node.cycle').count(), 0, 'no lock is drawn as on a cycle');
    assert.equal(await graph().locator('g.node.highlight').count(), 0, 'the fixed cycle is no longer emphasised');
    assert.match(await graph().locator('#status').innerText(), /no cycles/);
    await bench.page.locator('iframe.webview.ready').last().screenshot({ path: artifact('vscode-graph-view-fixed.png') });
  });

  scenario('21-graph-fold', 'a workspace with over 60 locks in the graph starts with each file folded into one node, which opens on click', async () => {
    // 12 generated modules of 10 nested locks each, each taking the next module's first lock last.
    for (let m = 0; m < 12; m++) {
      const lines = ['import threading', m < 11 ? `import fold_mod${m + 1}` : '', ''];
      for (let l = 0; l < 10; l++) lines.push(`lock${l} = threading.Lock()`);
      lines.push('', '', 'def chain():');
      for (let l = 0; l < 10; l++) lines.push(`${'    '.repeat(l + 1)}with lock${l}:`);
      lines.push(`${'    '.repeat(11)}${m < 11 ? `with fold_mod${m + 1}.lock0:` : 'pass'}`, `${'    '.repeat(12)}pass`);
      writeFileSync(join(ws.workspace, `fold_mod${m}.py`), `${lines.join('\n')}\n`);
    }
    await graph().locator('#this-file').uncheck();
    const folded = graph().locator('g.node.folded');
    await graph().locator('g.node.folded[data-name="fold_mod11"]').waitFor({ timeout: waitMs });
    assert.ok(await folded.count() >= 12, 'every file is one node');
    assert.equal(await node('fold_mod3.lock0').count(), 0, 'no lock of a folded file is drawn');
    await graph().locator('g.node.folded[data-name="fold_mod3"]').click();
    await node('fold_mod3.lock0').waitFor({ timeout: waitMs });
    assert.equal(await node('fold_mod3.lock9').count(), 1, 'the opened file shows all its locks');
    // Its ten nested locks give 45 edges; only the chain of 9 (and the edges in and out) is drawn.
    assert.match(await graph().locator('#status').innerText(), /\(\d+ implied not drawn\)/);
    assert.equal(await graph().locator('g.node.folded[data-name="fold_mod3"]').count(), 0, 'the file is no longer folded');
    await bench.page.locator('iframe.webview.ready').last().screenshot({ path: artifact('vscode-graph-folded.png') });
  });

  scenario('22-graph-hover', 'the "Show in graph" link in a lock\'s hover emphasises that lock, its folded file opened', async () => {
    await backToEditor();
    await bench.goTo(11, 14); // `with stock_lock:` in place_order
    await bench.page.keyboard.press('Control+K');
    await bench.page.keyboard.press('Control+I');
    const link = bench.editor().locator('.monaco-hover-content a', { hasText: 'Show in graph' }).filter({ visible: true }).first();
    await link.waitFor({ timeout: waitMs });
    await link.click();
    await graph().locator('g.node.highlight[data-name="graph_demo.stock_lock"]').waitFor({ timeout: waitMs });
    assert.equal(await graph().locator('g.node.highlight').count(), 1);
  });

  /** A theme's colour as the computed `rgb(...)` of a CSS colour value. */
  const rgb = (value) => graph().locator('body').evaluate((body, v) => {
    const probe = document.createElement('span');
    probe.style.color = v;
    body.appendChild(probe);
    const out = getComputedStyle(probe).color;
    probe.remove();
    return out;
  }, value);

  for (const [slug, theme, bodyClass] of [['23-graph-dark', 'Default Dark Modern', 'vs-dark'], ['24-graph-high-contrast', 'Default High Contrast', 'hc-black']]) {
    scenario(slug, `in the ${theme} theme the graph takes the theme's colours: cycle edges in its error colour, text in its editor foreground`, async () => {
      const settingsFile = join(ws.workspace, '.vscode', 'settings.json');
      const saved = readFileSync(settingsFile, 'utf8');
      try {
        writeFileSync(settingsFile, JSON.stringify({ ...JSON.parse(saved), 'workbench.colorTheme': theme }, null, 2));
        await bench.page.locator(`.monaco-workbench.${bodyClass}`).waitFor({ timeout: waitMs });
        await graph().locator('#this-file').check();
        await backToEditor();
        // The cycle again: restock takes stock_lock, then orders_lock.
        for (const [line, text] of [[17, '    with stock_lock:'], [18, '        with orders_lock:']]) {
          await bench.goTo(line, 1);
          await bench.page.keyboard.press('Shift+End');
          await bench.page.keyboard.type(text);
        }
        await graph().locator('g.edge.cycle .line').first().waitFor({ timeout: waitMs });
        const theirs = await graph().locator('html').evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--vscode-errorForeground').trim());
        const drawn = await graph().locator('g.edge.cycle .line').first().evaluate((e) => getComputedStyle(e).stroke);
        assert.equal(drawn, await rgb(theirs), `cycle edges use the theme's error colour ${theirs}`);
        const fg = await graph().locator('html').evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--vscode-editor-foreground').trim());
        const text = await graph().locator('g.node:not(.cycle) .name').first().evaluate((e) => getComputedStyle(e).fill);
        assert.equal(text, await rgb(fg), `lock names use the editor foreground ${fg}`);
        await bench.page.locator('iframe.webview.ready').last().screenshot({ path: artifact(`vscode-graph-${bodyClass}.png`) });
      } finally {
        writeFileSync(settingsFile, saved);
      }
    });
  }

  scenario('25-graph-edge', 'clicking an edge opens its site, or lists its sites when there are several', async () => {
    copyFileSync(join(root, 'test', 'e2e', 'extra', 'graph_sites.py'), join(ws.workspace, 'graph_sites.py'));
    await bench.openFromExplorer('graph_sites.py');
    await bench.runCommand('Lock Order: Show Lock-Order Graph'); // "This file" now follows graph_sites.py
    await node('graph_sites.journal_lock').waitFor({ timeout: waitMs });
    const edge = graph().locator('g.edge').filter({ hasText: 'append +1' });
    await edge.locator('.edge-label').click();
    const pick = bench.page.locator('.quick-input-widget', { hasText: '2 sites' });
    await pick.waitFor({ timeout: waitMs });
    await bench.page.locator('.quick-input-list .monaco-list-row', { hasText: 'compact' }).click();
    await bench.page.locator('[id="status.editor.selection"]', { hasText: 'Ln 16, Col 14' }).waitFor({ timeout: waitMs });
  });

  scenario('26-node-runtime', 'Run Current File with Lock-Order Checking on a JavaScript file: the Node runtime runs it, and the inversion only a run sees appears in the Problems panel', async () => {
    // The program imports async-mutex: the workspace gets the repository's node_modules, as a project has its own.
    copyFileSync(join(root, 'test', 'e2e', 'extra', 'ledger_async.mjs'), join(ws.workspace, 'ledger_async.mjs'));
    if (!existsSync(join(ws.workspace, 'node_modules'))) symlinkSync(join(root, 'node_modules'), join(ws.workspace, 'node_modules'));
    await bench.killTerminals();
    await bench.clearNotifications();
    await bench.openFromExplorer('ledger_async.mjs');
    await bench.showProblems();
    const runtime = bench.problem('LO101', 'observed at run time in ledger_async.mjs');
    assert.equal(await runtime.count(), 0, 'no run-time finding of the JavaScript file before the run');
    await bench.runCommand('Lock Order: Run Current File with Lock-Order Checking');
    // The runtime's one-line summary in the task's terminal, then the finding in the Problems panel.
    await bench.terminal(/findings: LO101 lock-order-inversion: 1/).waitFor({ timeout: waitMs });
    await bench.showProblems();
    await runtime.waitFor({ timeout: waitMs });
    const text = (await runtime.innerText()).replace(/\s+/g, ' ');
    assert.match(text, /Lock-order inversion observed at run time in ledger_async\.mjs \(tasks "chain \d", "chain \d"\): here, task "chain \d" takes (journal while holding books|books while holding journal)/);
    assert.ok(readdirSync(join(ws.workspace, '.lockorder')).some((f) => readFileSync(join(ws.workspace, '.lockorder', f), 'utf8').includes('"language":"javascript"')),
      'the Node runtime wrote its report into the workspace copy');
  });

  scenario('27-typescript', 'a TypeScript file: its LO101 is in the Problems panel, and the quick fix `// lockorder: ignore[LO101]` silences it', async () => {
    copyFileSync(join(root, 'test', 'e2e', 'extra', 'transfers.ts'), join(ws.workspace, 'transfers.ts'));
    await bench.openFromExplorer('transfers.ts');
    await bench.showProblems();
    // The panel lists rows lazily and earlier scenarios' findings come first: filter it to this file.
    const filter = bench.page.getByPlaceholder(/^Filter \(e\.g\./).first();
    await filter.fill('transfers.ts');
    const row = bench.problem('LO101', 'acquired while holding `accounts` in `transfer`');
    await row.waitFor({ timeout: waitMs });
    assert.match((await row.innerText()).replace(/\s+/g, ' '), /Two tasks running these can deadlock/);
    await filter.fill('');
    await bench.page.locator('.tab.active[aria-label^="transfers.ts"]').click(); // back to the editor
    await bench.goTo(19, 11);
    await bench.applyQuickFix('Ignore LO101 on this line');
    await bench.waitForLine('await accounts.runExclusive(async () => {  // lockorder: ignore[LO101]');
    await filter.fill('transfers.ts');
    await bench.problemGone('LO101', 'acquired while holding `accounts` in `transfer`');
    await filter.fill('');
  });
});
