"""CPython's test_queue and test_threading pass under ``python3 -m lockorder run``.

A test that fails in the full run is run again alone under the runtime (some
of these tests are timing-sensitive on a loaded machine); if it fails again
it is accepted only if it also fails on a plain ``python3 -m unittest`` run
on this machine (an environment problem, not ours).  Every accepted failure
is printed with its reason.
"""

import re
import sys
import tempfile
import unittest

from runtime_helpers import run_python

FAILED_TEST = re.compile(r"^(?:FAIL|ERROR): (\w+) \(([\w.]+?)(?:\.\1)?\)", re.M)


def failed_tests(output):
    """Ids (module.Class.test) of failed or erroring tests in unittest output."""
    return sorted({"%s.%s" % (owner, name) for name, owner in FAILED_TEST.findall(output)})


class StdlibSuitesTests(unittest.TestCase):
    """Each suite runs in a child process under the runtime."""

    def check_suite(self, module):
        """Run one stdlib suite under the runtime; explain every failure."""
        with tempfile.TemporaryDirectory() as reports:
            proc = run_python(["-m", "lockorder", "run", "--report-dir", reports,
                               "-m", "unittest", module], timeout=900)
        output = proc.stderr
        self.assertRegex(output, r"Ran [1-9]\d* tests")
        self.assertIn("lockorder: ", output)          # the summary paragraph
        self.assertNotIn("LO101", output.split("lockorder: ")[-1])
        unexplained = []
        for test_id in failed_tests(output):
            with tempfile.TemporaryDirectory() as reports:
                again = run_python(["-m", "lockorder", "run", "--report-dir", reports,
                                    "-m", "unittest", test_id], timeout=300)
            if again.returncode == 0:
                sys.stderr.write("\n  note: %s failed in the full run but passed when run again "
                                 "under lockorder (timing-sensitive)\n" % test_id)
                continue
            plain = run_python(["-m", "unittest", test_id], timeout=300)
            if plain.returncode == 0:
                unexplained.append(test_id)
            else:
                sys.stderr.write("\n  note: %s fails without lockorder too on this machine; "
                                 "not counted\n" % test_id)
        self.assertEqual(unexplained, [], output[-4000:])
        if proc.returncode != 0:
            self.assertTrue(failed_tests(output), output[-4000:])

    def test_queue(self):
        self.check_suite("test.test_queue")

    def test_threading(self):
        self.check_suite("test.test_threading")


if __name__ == "__main__":
    unittest.main()
