// Protocol test of suppression hygiene: an unknown code and an unused suppression reach the
// editor as lockorder diagnostics without a rule code (a hint faded as unnecessary for unused
// ones) with a "Remove unused suppression" quick fix; a rule turned off in the settings makes
// no suppression of it "unused"; a misplaced ignore is named in the finding's message.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { applyEdits, startServer } from './lsp-client.mjs';

const text = `import threading
a = threading.Lock()
b = threading.Lock()


def one():
    with a:
        with b:  # lockorder: ignore[LO101]
            pass


def two():
    with b:
        with a:
            pass


x = 1  # lockorder: ignore[LO999]
y = 2  # lockorder: ignore[LO104]
`;

describe('lsp: suppression hygiene', () => {
  let server;
  let rules = {};
  let n = 0;
  before(async () => { server = await startServer({ settings: () => ({ rules }) }); });
  after(async () => { await server.stop(); });

  async function open() {
    const uri = server.open('/tmp/x.py', text, `untitled:suppress-${++n}.py`);
    return (await server.waitForDiagnostics(uri, (p) => p.version === 1)).diagnostics.map((d) => ({ ...d, uri }));
  }

  it('publishes unknown codes and unused suppressions as diagnostics, with a quick fix', async () => {
    const diagnostics = await open();
    const unknown = diagnostics.find((d) => d.code === 'unknown-code');
    assert.ok(unknown, JSON.stringify(diagnostics));
    assert.equal(unknown.source, 'lockorder');
    assert.equal(unknown.range.start.line, 17);
    assert.match(unknown.message, /Unknown rule code LO999/);
    const unused = diagnostics.filter((d) => d.code === 'unused-suppression');
    assert.deepEqual(unused.map((d) => d.range.start.line), [7, 18]);
    for (const d of unused) {
      assert.equal(d.severity, 4, 'a hint');
      assert.deepEqual(d.tags, [1], 'faded as unnecessary');
    }
    const actions = await server.codeActions(unused[1].uri, [unused[1]]);
    assert.deepEqual(actions.map((a) => a.title), ['Remove unused suppression'], 'no "Ignore unused-suppression" action');
    const fixed = applyEdits(text, actions[0].edit.changes[unused[1].uri]);
    assert.match(fixed, /^y = 2$/m);
    const finding = diagnostics.find((d) => d.code === 'LO101');
    assert.match(finding.message, /an ignore\[LO101\] on line 8 does not apply here: put it on this line/);
    // Notes are not findings: the LO101 is the only one counted.
    for (let i = 0; i < 100 && server.statuses.at(-1)?.findings !== 1; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(server.statuses.at(-1)?.findings, 1);
  });

  it('a suppression of a rule the settings turn off is not unused', async () => {
    rules = { LO104: { enabled: false } };
    server.configurationChanged();
    const diagnostics = await open();
    const unused = diagnostics.filter((d) => d.code === 'unused-suppression');
    assert.deepEqual(unused.map((d) => d.range.start.line), [7]);
  });
});
