"""The end-of-run graph record (``LOCKORDER_GRAPH=1``): edges by name, with sites, at exit."""

import os
import tempfile
import unittest

from runtime_helpers import child_env, report_records, run_python, write_script

SHOP = """
import gc
import threading

class Shop:
    def __init__(self):
        self._a = threading.Lock()
        self._cond = threading.Condition()

    def go(self):
        with self._a:
            with self._cond:
                pass

class Short:
    def __init__(self):
        self.first = threading.Lock()
        self.second = threading.Lock()

    def go(self):
        with self.second:
            with self.first:
                pass

shop = Shop()
shop.go()
short = Short()
short.go()
del short
gc.collect()
threading.Lock().acquire()   # a new edge-less lock purges the collected ones
with shop._a:
    with threading.Lock():
        pass
"""


class GraphRecordTests(unittest.TestCase):
    """What a run with and without LOCKORDER_GRAPH=1 leaves in its report directory."""

    def setUp(self):
        """A temporary directory with the script."""
        self._tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self._tmp.cleanup)
        self.dir = self._tmp.name
        self.reports = os.path.join(self.dir, "reports")
        self.script = write_script(self.dir, "shop.py", SHOP)

    def run_shop(self, **env):
        """Run the script under the runtime; returns the process."""
        proc = run_python(["-m", "lockorder", "run", "--report-dir", self.reports, "shop.py"],
                          cwd=self.dir, env=child_env(**env))
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return proc

    def test_graph_record_names_locks_and_sites(self):
        proc = self.run_shop(LOCKORDER_GRAPH="1")
        records = report_records(self.reports)
        self.assertEqual(len(records), 1, records)
        graph = records[0]
        self.assertEqual((graph["version"], graph["kind"]), (1, "graph"))
        self.assertNotIn("rule", graph)
        pairs = {(e["from"]["name"], e["to"]["name"]): e for e in graph["edges"]}
        edge = pairs[("shop.Shop._a", "shop.Shop._cond")]
        self.assertEqual(edge["from"], {"name": "shop.Shop._a", "file": self.script, "line": 7})
        self.assertEqual(edge["to"]["line"], 8)
        # the site is the `with` in the script, not Condition.__enter__ in threading.py
        self.assertEqual(edge["site"], {"file": self.script, "line": 12})
        # an edge between locks collected before exit is still in the record
        self.assertEqual(pairs[("shop.Short.second", "shop.Short.first")]["site"]["line"], 22)
        self.assertIn("(1 record)", proc.stderr)

    def test_no_graph_record_unless_asked(self):
        proc = self.run_shop()
        self.assertEqual(report_records(self.reports), [])
        self.assertIn("No report written", proc.stderr)


if __name__ == "__main__":
    unittest.main()
