// Protocol tests of code actions: every rule's fix applied to the text and re-checked by the
// server, the suppression comment, and `source.fixAll.lockorder` (safe fixes only).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { applyCodeAction, fixtures, startServer } from './lsp-client.mjs';

let server;
let counter = 0;
before(async () => { server = await startServer(); });
after(async () => { await server.stop(); });

/** Open a fixture under a fresh URI and wait for its first diagnostics. */
async function openFixture(name) {
  const text = readFileSync(join(fixtures, name), 'utf8');
  const uri = server.open(join(fixtures, name), text, `untitled:${++counter}-${name}`);
  const pub = await server.waitForDiagnostics(uri, (p) => p.version === 1);
  return { uri, text, diagnostics: pub.diagnostics };
}

/** Apply a code action's edit to the document, send it as a change, return the new text and diagnostics. */
function applyAction(doc, action) {
  return applyCodeAction(server, doc, action);
}

function only(diagnostics, code) {
  const found = diagnostics.filter((d) => d.code === code);
  assert.equal(found.length, 1, `one ${code}: ${JSON.stringify(diagnostics)}`);
  return found[0];
}

describe('lsp: rule fixes', () => {
  it('LO101: replaces nested acquisitions with one `with acquire(a, b):` and adds the import', async () => {
    const doc = await openFixture('inversion.py');
    const d = only(doc.diagnostics, 'LO101');
    const actions = await server.codeActions(doc.uri, [d]);
    const fix = actions.find((a) => /acquire\(/.test(a.title));
    assert.ok(fix, JSON.stringify(actions.map((a) => a.title)));
    assert.equal(fix.kind, 'quickfix');
    assert.equal(fix.isPreferred, true);
    const after = await applyAction(doc, fix);
    assert.match(after.text, /^from lockorder import acquire$/m);
    assert.match(after.text, /^    with acquire\((x_lock, y_lock|y_lock, x_lock)\):$/m);
    assert.equal(after.text.match(/with x_lock:/g).length, 1, 'the nested `with x_lock:` in refund() is gone');
    assert.deepEqual(after.diagnostics.filter((x) => x.code === 'LO101'), []);
  });

  it('LO101: reorders the items of a `with a, b:` into the global order', async () => {
    const doc = await openFixture('with_items.py');
    const d = only(doc.diagnostics, 'LO101');
    const actions = await server.codeActions(doc.uri, [d]);
    const fix = actions.find((a) => /reorder/i.test(a.title));
    assert.ok(fix, JSON.stringify(actions.map((a) => a.title)));
    assert.equal(fix.isPreferred, true);
    const after = await applyAction(doc, fix);
    assert.match(after.text, /^    with a_lock, b_lock:$/m);
    assert.deepEqual(after.diagnostics.filter((x) => x.code === 'LO101'), []);
  });

  it('LO101: a merge that holds a lock longer is offered, not preferred, and says it is unsafe', async () => {
    const doc = await openFixture('unsafe_nested.py');
    const d = only(doc.diagnostics, 'LO101');
    const actions = await server.codeActions(doc.uri, [d]);
    const fix = actions.find((a) => /acquire\(/.test(a.title));
    assert.ok(fix, JSON.stringify(actions.map((a) => a.title)));
    assert.match(fix.title, /unsafe/i);
    assert.notEqual(fix.isPreferred, true);
  });

  it('LO102: changes the constructor from Lock() to RLock() at the definition', async () => {
    const doc = await openFixture('counter.py');
    const d = only(doc.diagnostics, 'LO102');
    const actions = await server.codeActions(doc.uri, [d]);
    const fix = actions.find((a) => /RLock/.test(a.title));
    assert.ok(fix, JSON.stringify(actions.map((a) => a.title)));
    assert.equal(fix.isPreferred, true);
    const after = await applyAction(doc, fix);
    assert.match(after.text, /^    _lock = threading\.RLock\(\)$/m);
    assert.doesNotMatch(after.text, /threading\.Lock\(\)/);
    assert.deepEqual(after.diagnostics.filter((x) => x.code === 'LO102'), []);
  });

  it('LO104: turns acquire()/release() into a `with` block', async () => {
    const doc = await openFixture('unreleased.py');
    const d = only(doc.diagnostics, 'LO104');
    const actions = await server.codeActions(doc.uri, [d]);
    const fix = actions.find((a) => /with/.test(a.title) && !/ignore/i.test(a.title));
    assert.ok(fix, `a with-block fix among ${JSON.stringify(actions.map((a) => a.title))}`);
    const after = await applyAction(doc, fix);
    assert.match(after.text, /^    with state_lock:$/m);
    assert.doesNotMatch(after.text, /\.acquire\(\)|\.release\(\)/);
    assert.deepEqual(after.diagnostics.filter((x) => x.code === 'LO104'), []);
  });
});

describe('lsp: suppression comments', () => {
  for (const [name, code] of [['inversion.py', 'LO101'], ['counter.py', 'LO102'], ['unreleased.py', 'LO104']]) {
    it(`${code}: appends "# lockorder: ignore[${code}]" to the line, which silences it`, async () => {
      const doc = await openFixture(name);
      const d = only(doc.diagnostics, code);
      const actions = await server.codeActions(doc.uri, [d]);
      const ignore = actions.find((a) => a.title === `Ignore ${code} on this line`);
      assert.ok(ignore, JSON.stringify(actions.map((a) => a.title)));
      assert.equal(ignore.kind, 'quickfix');
      assert.notEqual(ignore.isPreferred, true);
      const after = await applyAction(doc, ignore);
      const line = after.text.split('\n')[d.range.start.line];
      assert.ok(line.endsWith(`  # lockorder: ignore[${code}]`), line);
      assert.equal(line.replace(`  # lockorder: ignore[${code}]`, ''), doc.text.split('\n')[d.range.start.line]);
      assert.deepEqual(after.diagnostics.filter((x) => x.code === code), []);
    });
  }

  it('adds the code to an existing ignore[...] comment instead of a second comment', async () => {
    const doc = await openFixture('counter.py');
    const d = only(doc.diagnostics, 'LO102');
    const lines = doc.text.split('\n');
    lines[d.range.start.line] += '  # lockorder: ignore[LO104]';
    const edited = lines.join('\n');
    const version = server.change(doc.uri, [{ text: edited }]);
    const pub = await server.waitForDiagnostics(doc.uri, (p) => p.version === version);
    const d2 = only(pub.diagnostics, 'LO102');
    const actions = await server.codeActions(doc.uri, [d2]);
    const ignore = actions.find((a) => a.title === 'Ignore LO102 on this line');
    assert.ok(ignore);
    const after = await applyAction({ uri: doc.uri, text: edited }, ignore);
    assert.ok(after.text.split('\n')[d.range.start.line].endsWith('  # lockorder: ignore[LO104, LO102]'));
    assert.deepEqual(after.diagnostics.filter((x) => x.code === 'LO102'), []);
  });
});

describe('lsp: fix all', () => {
  it('source.fixAll.lockorder applies the safe fixes and leaves the unsafe ones', async () => {
    const doc = await openFixture('mixed.py');
    only(doc.diagnostics, 'LO102');
    only(doc.diagnostics, 'LO101');
    const whole = { start: { line: 0, character: 0 }, end: { line: doc.text.split('\n').length, character: 0 } };
    const actions = await server.codeActions(doc.uri, [], whole, ['source.fixAll']);
    assert.equal(actions.length, 1, JSON.stringify(actions));
    assert.equal(actions[0].kind, 'source.fixAll.lockorder');
    const after = await applyAction(doc, actions[0]);
    assert.match(after.text, /_lock = threading\.RLock\(\)/);
    assert.doesNotMatch(after.text, /acquire\(/, 'the unsafe merge was not applied');
    assert.deepEqual(after.diagnostics.filter((x) => x.code === 'LO102'), []);
    assert.equal(after.diagnostics.filter((x) => x.code === 'LO101').length, 1);
  });

  it('is not offered among the quick fixes, and quick fixes are not offered for fix-all', async () => {
    const doc = await openFixture('mixed.py');
    const quick = await server.codeActions(doc.uri, doc.diagnostics);
    assert.ok(quick.length > 0);
    assert.ok(quick.every((a) => a.kind === 'quickfix'));
    const all = await server.codeActions(doc.uri, doc.diagnostics, doc.diagnostics[0].range, ['source.fixAll.lockorder']);
    assert.deepEqual(all.map((a) => a.kind), ['source.fixAll.lockorder']);
  });
});
