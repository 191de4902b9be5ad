"""A finding made 5,000 calls deep: the record keeps a bounded stack and says what it left out."""

import os
import tempfile
import unittest

from runtime_helpers import report_records, run_python, write_script

DEPTH = 5000

DEEP = """
import sys, threading
sys.setrecursionlimit(20000)
a = threading.Lock()
b = threading.Lock()

def nest(depth, first, second):
    if depth:
        return nest(depth - 1, first, second)
    with first:
        with second:
            pass

nest(%d, a, b)
nest(%d, b, a)
""" % (DEPTH, DEPTH)


class DeepStackTests(unittest.TestCase):
    """Stacks in records are cut to the innermost 20 and the outermost 8 frames."""

    def test_inversion_deep_in_recursion_has_a_capped_stack_and_a_dropped_count(self):
        with tempfile.TemporaryDirectory() as work:
            script = write_script(work, "deep.py", DEEP)
            reports = os.path.join(work, "reports")
            proc = run_python(["-m", "lockorder", "run", "--report-dir", reports, script])
            self.assertEqual(proc.returncode, 0, proc.stderr[-2000:])
            records = report_records(reports)
        self.assertEqual([r["rule"] for r in records], ["LO101"])
        for edge in records[0]["edges"]:
            stack = edge["stack"]
            self.assertEqual(len(stack), 20 + 8)
            # the user's frames: the <module> frame, DEPTH + 1 nest() frames
            self.assertEqual(len(stack) + edge["frames_dropped"], DEPTH + 2)
            self.assertEqual([f["function"] for f in stack[:20]], ["nest"] * 20)
            self.assertEqual(stack[0]["code"], "with second:")
            self.assertEqual(stack[-1]["function"], "<module>")


if __name__ == "__main__":
    unittest.main()
