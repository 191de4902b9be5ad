"""Unit tests of the pure lock graph: edges, first-seen info, cycles of any length."""

import unittest

import runtime_helpers  # noqa: F401  (puts the runtime on sys.path)
from lockorder.lock_graph import LockGraph


class LockGraphTests(unittest.TestCase):
    """What the tracker relies on from LockGraph."""

    def test_edge_without_cycle_returns_none(self):
        graph = LockGraph()
        self.assertIsNone(graph.add_edge(1, 2, "first"))
        self.assertIsNone(graph.add_edge(2, 3, "second"))
        self.assertTrue(graph.has_edge(1, 2))
        self.assertEqual(len(graph), 2)

    def test_two_lock_inversion_returns_cycle(self):
        graph = LockGraph()
        graph.add_edge(1, 2)
        self.assertEqual(graph.add_edge(2, 1), [(2, 1), (1, 2)])

    def test_long_cycle_is_found(self):
        graph = LockGraph()
        for a in range(1, 6):
            self.assertIsNone(graph.add_edge(a, a + 1))
        self.assertEqual(graph.add_edge(6, 1),
                         [(6, 1), (1, 2), (2, 3), (3, 4), (4, 5), (5, 6)])

    def test_edge_keeps_first_seen_info(self):
        graph = LockGraph()
        graph.add_edge(1, 2, {"stack": "first"})
        graph.add_edge(1, 2, {"stack": "second"})
        self.assertEqual(graph.edges[(1, 2)], {"stack": "first"})

    def test_repeated_closing_edge_is_not_a_new_cycle(self):
        graph = LockGraph()
        graph.add_edge(1, 2)
        self.assertIsNotNone(graph.add_edge(2, 1))
        self.assertIsNone(graph.add_edge(2, 1))

    def test_self_edge_is_refused(self):
        with self.assertRaises(ValueError):
            LockGraph().add_edge(3, 3)

    def test_removed_node_breaks_cycles(self):
        graph = LockGraph()
        graph.add_edge(1, 2)
        graph.add_edge(2, 3)
        graph.remove_node(2)
        self.assertEqual(graph.nodes(), set())
        self.assertIsNone(graph.add_edge(3, 1))

    def test_remove_edge(self):
        graph = LockGraph()
        graph.add_edge(1, 2)
        graph.remove_edge(1, 2)
        self.assertFalse(graph.has_edge(1, 2))
        self.assertIsNone(graph.add_edge(2, 1))

    def test_shortest_path(self):
        graph = LockGraph()
        for a, b in [(1, 2), (2, 3), (3, 4), (1, 4)]:
            graph.add_edge(a, b)
        self.assertEqual(graph.find_path(1, 4), [1, 4])
        self.assertIsNone(graph.find_path(4, 1))


if __name__ == "__main__":
    unittest.main()
