// Protocol tests of code actions on TS/JS documents: the suppression comment is a `//` comment
// (or a `/* */` one before a `//` comment already on the line), the quick fixes the TS front end
// writes (try/finally for LO104, reordered runExclusive for LO101) come through Diagnostic.data,
// and each edit, applied and sent back, silences the diagnostic.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { applyCodeAction, root, startServer } from './lsp-client.mjs';

const fixtures = join(root, 'test', 'fixtures', 'typescript');
let server;
let counter = 0;
before(async () => { server = await startServer(); });
after(async () => { await server.stop(); });

/** Open a fixture's text (or `text`) under a fresh file URI next to it and wait for its first diagnostics. */
async function open(name, text = readFileSync(join(fixtures, name), 'utf8')) {
  const path = join(fixtures, `${++counter}-${name}`);
  const uri = server.open(path, text, undefined, name.endsWith('.ts') ? 'typescript' : 'javascript');
  const pub = await server.waitForDiagnostics(uri, (p) => p.version === 1);
  return { uri, text, diagnostics: pub.diagnostics };
}

/** Apply an action's edit, send the new text, return it with the new diagnostics. */
function apply(doc, action) {
  return applyCodeAction(server, doc, action);
}

function only(diagnostics, code) {
  const found = diagnostics.filter((d) => d.code === code);
  assert.equal(found.length, 1, `one ${code}: ${JSON.stringify(diagnostics.map((d) => d.message))}`);
  return found[0];
}

describe('lsp: TS/JS suppression comments', () => {
  for (const [name, code] of [['LO101_runExclusive.ts', 'LO101'], ['LO104_acquire.js', 'LO104']]) {
    it(`${code} in ${name}: appends "// lockorder: ignore[${code}]", which silences it`, async () => {
      const doc = await open(name);
      const d = only(doc.diagnostics, code);
      const actions = await server.codeActions(doc.uri, [d]);
      const ignore = actions.find((a) => a.title === `Ignore ${code} on this line`);
      assert.ok(ignore, JSON.stringify(actions.map((a) => a.title)));
      const done = await apply(doc, ignore);
      const line = done.text.split('\n')[d.range.start.line];
      assert.equal(line, `${doc.text.split('\n')[d.range.start.line]}  // lockorder: ignore[${code}]`);
      assert.deepEqual(done.diagnostics.filter((x) => x.code === code), []);
    });
  }

  it('a line that already ends in a // comment gets a /* */ suppression before it', async () => {
    const base = readFileSync(join(fixtures, 'LO101_runExclusive.ts'), 'utf8');
    const text = base.replace("await accounts.runExclusive(() => write('totals'));", "await accounts.runExclusive(() => write('a//b')); // totals");
    const doc = await open('LO101_runExclusive.ts', text);
    const d = only(doc.diagnostics, 'LO101');
    const ignore = (await server.codeActions(doc.uri, [d])).find((a) => a.title === 'Ignore LO101 on this line');
    const done = await apply(doc, ignore);
    assert.match(done.text, /write\('a\/\/b'\)\); \/\* lockorder: ignore\[LO101\] \*\/ \/\/ totals$/m);
    assert.deepEqual(done.diagnostics.filter((x) => x.code === 'LO101'), []);
  });
});

describe('lsp: TS/JS quick fixes', () => {
  it('LO104: "Release `lock` in a finally" wraps the code in try/finally', async () => {
    const doc = await open('LO104_await.ts');
    const d = only(doc.diagnostics, 'LO104');
    const fix = (await server.codeActions(doc.uri, [d])).find((a) => /in a `finally`/.test(a.title));
    assert.ok(fix);
    assert.equal(fix.isPreferred, true);
    const done = await apply(doc, fix);
    assert.match(done.text, /\} finally \{\n {4}release\(\);\n {2}\}/);
    assert.deepEqual(done.diagnostics.filter((x) => x.code === 'LO104'), []);
  });

  it('LO101: swaps the receivers of a nested runExclusive to the order the other function uses', async () => {
    const doc = await open('LO101_runExclusive.ts');
    const d = only(doc.diagnostics, 'LO101');
    const fix = (await server.codeActions(doc.uri, [d])).find((a) => /^Take `accounts` before `audit`/.test(a.title));
    assert.ok(fix);
    const done = await apply(doc, fix);
    assert.match(done.text, /await accounts\.runExclusive\(async \(\) => \{\n {4}await audit\.runExclusive\(\(\) => write\('totals'\)\);/);
    assert.deepEqual(done.diagnostics.filter((x) => x.code === 'LO101'), []);
  });
});
