// Graphviz renders what `lockorder graph --format dot` prints (part of `npm run test:editors`,
// whose scripts/editors-setup.sh installs Graphviz): the SVG comes out, a cycle is drawn in red,
// and a module name full of characters dot treats specially is shown as it is.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cleanup, project, run } from '../cli-run.mjs';

after(cleanup);

const oddModule = 'q"uote #<b> |c| [d] {e} (f) `g` &h; \\z';
const source = `import threading

x = threading.Lock()
y = threading.Lock()


def one():
    with x:
        with y:
            pass


def two():
    with y:
        with x:
            pass
`;

test('Graphviz renders the dot output, with the cycle in red and an odd module name intact', () => {
  const dir = project({ [`${oddModule}.py`]: source });
  const r = run(['graph', '.', '--format', 'dot'], dir);
  assert.equal(r.status, 0, r.stderr);
  const rendered = spawnSync('dot', ['-Tsvg'], { input: r.stdout, encoding: 'utf8' });
  assert.equal(rendered.error, undefined, 'Graphviz (dot) is installed by scripts/editors-setup.sh');
  assert.equal(rendered.status, 0, rendered.stderr);
  assert.ok(rendered.stdout.includes('q&quot;uote #&lt;b&gt; |c| [d] {e} (f) `g` &amp;h; \\z.x'), rendered.stdout.slice(0, 2000));
  assert.match(rendered.stdout, /stroke="#d62728"/, 'the cycle edges are red');
});
