"""The pytest plugin, run with the machine's pytest in a child process."""

import os
import tempfile
import unittest

from runtime_helpers import report_records, run_python, write_script

SAMPLE = """
import threading
a_lock = threading.Lock()
b_lock = threading.Lock()

def test_a_then_b():
    with a_lock:
        with b_lock:
            pass

def test_b_then_a():
    with b_lock:
        with a_lock:
            pass

def test_unrelated():
    with a_lock:
        pass
"""


def pytest_available():
    """True when ``python3 -m pytest`` works here."""
    return run_python(["-m", "pytest", "--version"]).returncode == 0


@unittest.skipUnless(pytest_available(), "pytest is not installed for this python3")
class PytestPluginTests(unittest.TestCase):
    """Findings fail the test during which they were first seen."""

    def run_pytest(self, *extra):
        """Run pytest with the plugin on the sample; returns (process, records)."""
        with tempfile.TemporaryDirectory() as work:
            write_script(work, "test_sample.py", SAMPLE)
            reports = os.path.join(work, "reports")
            proc = run_python(["-m", "pytest", "-p", "lockorder.pytest_plugin", "-p", "no:cacheprovider",
                               "--lockorder-report-dir", reports, "test_sample.py", "-rA"]
                              + list(extra), cwd=work, timeout=300)
            return proc, report_records(reports)

    def test_finding_fails_the_test_that_first_saw_it(self):
        proc, records = self.run_pytest()
        self.assertEqual(proc.returncode, 1, proc.stdout + proc.stderr)
        self.assertIn("FAILED test_sample.py::test_b_then_a", proc.stdout)
        self.assertIn("PASSED test_sample.py::test_a_then_b", proc.stdout)
        self.assertIn("PASSED test_sample.py::test_unrelated", proc.stdout)
        self.assertIn("LO101", proc.stdout)
        self.assertIn("lockorder: ", proc.stdout)            # summary at the end
        self.assertEqual([r["rule"] for r in records], ["LO101"])
        self.assertTrue(records[0]["test"].endswith("::test_b_then_a"), records[0].get("test"))

    def test_report_only_passes(self):
        proc, records = self.run_pytest("--lockorder-report-only")
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        self.assertIn("3 passed", proc.stdout)
        self.assertEqual([r["rule"] for r in records], ["LO101"])


if __name__ == "__main__":
    unittest.main()
