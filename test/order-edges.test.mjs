// Unit test of `Project.orderEdges()`: the static lock-order graph as named edges with creation
// and acquisition lines, the form `bench:recall` compares with the runtime's graph record.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const { Project } = createRequire(import.meta.url)('../dist/analysis.js');

const shop = `import threading

class Shop:
    def __init__(self):
        self._stock = threading.Lock()
        self._orders = threading.RLock()

    def restock(self):
        with self._stock:
            self._log()

    def _log(self):
        with self._orders:
            pass

    def again(self):
        with self._stock:
            with self._orders:
                pass
`;

test('orderEdges names each edge once, with creation lines and where the inner lock is taken', async () => {
  const project = await Project.create();
  try {
    await project.addFiles([{ path: '/proj/app/shop.py', text: shop }]);
    const edges = project.orderEdges();
    assert.equal(edges.length, 1, JSON.stringify(edges));
    const [edge] = edges;
    assert.deepEqual(edge.from, { name: 'shop.Shop._stock', file: '/proj/app/shop.py', line: 5 });
    assert.deepEqual(edge.to, { name: 'shop.Shop._orders', file: '/proj/app/shop.py', line: 6 });
    assert.equal(edge.site.file, '/proj/app/shop.py');
    assert.ok([13, 18].includes(edge.site.line), `site line ${edge.site.line}`);
  } finally {
    project.dispose();
  }
});
