"""CPython's threading-heavy suites give the same results under ``python3 -m lockorder run``.

Each suite runs twice in child processes, plainly and under the runtime, and the
sets of failing or erroring test ids are compared (timings are not: the wall
time ratio is a line of ``npm run bench:runtime``).  A test id in only one of
the two sets is run again alone, in the way it failed, twice: if it passes
then, it is timing-sensitive on a loaded machine and only noted; otherwise it
is a difference and the test fails.  A suite an interpreter does not ship
fails the test.

Two sets (chosen in ``load_tests``):
- ``npm run test:runtime``: python3 x test_queue, test_threading (about 40 s);
- ``npm run test:stdlib-runtime`` (LOCKORDER_STDLIB_MATRIX=1; run by ``.ci/run``):
  Python 3.10, 3.11 and 3.13 x test_threading, test_queue, test_logging and
  test_concurrent_futures (about 20 minutes).  The interpreters are the
  newest pyenv installs of those versions, or LOCKORDER_STDLIB_PYTHONS
  (``os.pathsep``-separated paths); ``scripts/stdlib-tests-setup.sh`` (run
  first by the npm script) installs test_concurrent_futures from Debian's
  test-suite package into a build that lacks it (pyenv's 3.11.7 here).  A
  suite that cannot be loaded fails.  Each pair prints its wall times as a
  note; the 1.3x bound on them is a line of ``npm run bench:runtime``.

Suites run through ``stdlib_suite.py``, which is ``python -m unittest MODULE``
minus CPython's own known hangs for the exact interpreter version, left out
of both runs alike and named on stderr.  The one listed today: 3.13.0's
test_concurrent_futures test_deadlock test_shutdown_deadlock_pickle, CPython's
own deadlock gh-125451, fixed in 3.13.1 (the executor manager thread joins the
queue feeder thread while holding ``shutdown_lock``, and the feeder, handling
the pickling error, waits for ``shutdown_lock``).  It was seen hanging twice
under the runtime, which only makes the race likelier; the runtime's watchdog
reports it as LO110 (Thread.join under the lock).
"""

import glob
import os
import re
import sys
import tempfile
import time
import unittest

from runtime_helpers import run_python

FAILED_TEST = re.compile(r"^(?:FAIL|ERROR): (\w+) \(([\w.]+?)(?:\.\1)?\)", re.M)
RAN = re.compile(r"^Ran (\d+) tests?", re.M)
MATRIX_SUITES = ["test.test_threading", "test.test_queue", "test.test_logging",
                 "test.test_concurrent_futures"]
MATRIX_VERSIONS = ["3.10", "3.11", "3.13"]
SUITE_TIMEOUT = 900        # a suite that hangs fails after 15 minutes
DRIVER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "stdlib_suite.py")


def failed_tests(output):
    """Ids (module.Class.test) of failed or erroring tests in unittest output."""
    return sorted({"%s.%s" % (owner, name) for name, owner in FAILED_TEST.findall(output)})


def interpreter(version):
    """Path of a Python of ``version`` ("3.10"), or None."""
    for path in os.environ.get("LOCKORDER_STDLIB_PYTHONS", "").split(os.pathsep):
        if path and os.path.basename(os.path.dirname(os.path.dirname(path))).startswith(version):
            return path
    found = glob.glob(os.path.expanduser("~/.pyenv/versions/%s.*/bin/python3" % version))
    found = [p for p in found if re.search(r"/%s\.\d+/bin" % re.escape(version), p)]
    found.sort(key=lambda p: [int(n) for n in re.findall(r"/(\d+)\.(\d+)\.(\d+)/", p)[0]])
    return found[-1] if found else None


def run_suite(python, target, recorded):
    """Run ``python -m unittest target`` (under the runtime when ``recorded``); the process."""
    with tempfile.TemporaryDirectory() as reports:
        args = (["-m", "lockorder", "run", "--report-dir", reports] if recorded else [])
        return run_python(args + [DRIVER, target], timeout=SUITE_TIMEOUT, executable=python)


class SuiteComparison(unittest.TestCase):
    """Compare one suite's results with and without the runtime."""

    def compare(self, python, module, no_inversion=False):
        """Run ``module`` both ways on ``python``; fail on any unexplained difference.

        ``no_inversion``: also fail when the run reports an LO101 (CPython's logging has
        a real one on 3.10 and 3.11: Handler.lock and logging._lock, taken both ways).
        """
        start = time.perf_counter()
        plain = run_suite(python, module, recorded=False)
        middle = time.perf_counter()
        recorded = run_suite(python, module, recorded=True)
        end = time.perf_counter()
        sys.stderr.write("\n  note: %s on %s: %.1f s plain, %.1f s under lockorder = %.2fx "
                         "(bench:runtime holds the 1.3x bound)\n" % (
                             module, python, middle - start, end - middle,
                             (end - middle) / max(middle - start, 1e-9)))
        self.assertIn("lockorder: ", recorded.stderr)       # the summary paragraph
        if no_inversion:
            self.assertNotIn("LO101", recorded.stderr.split("lockorder: ")[-1])
        only_recorded = set(failed_tests(recorded.stderr)) - set(failed_tests(plain.stderr))
        only_plain = set(failed_tests(plain.stderr)) - set(failed_tests(recorded.stderr))
        differences = [t for t in sorted(only_recorded) if not self.passes_alone(python, t, True)]
        differences += [t for t in sorted(only_plain) if not self.passes_alone(python, t, False)]
        if "_FailedTest" in plain.stderr:
            self.fail("%s cannot be loaded by %s (scripts/stdlib-tests-setup.sh completes "
                      "pyenv builds that lack it):\n%s" % (module, python, plain.stderr[-1500:]))
        self.assertEqual(RAN.findall(recorded.stderr), RAN.findall(plain.stderr),
                         recorded.stderr[-3000:])
        self.assertEqual(differences, [], "\n".join(
            ["plain:", plain.stderr[-2000:], "under lockorder:", recorded.stderr[-4000:]]))
        if bool(plain.returncode) != bool(recorded.returncode):
            self.fail("exit status %d plain, %d under lockorder:\n%s" % (
                plain.returncode, recorded.returncode, recorded.stderr[-3000:]))

    def passes_alone(self, python, test_id, recorded):
        """True (with a note) when a test that failed in one full run passes alone, twice tried."""
        for _ in range(2):
            if run_suite(python, test_id, recorded).returncode == 0:
                sys.stderr.write("\n  note: %s failed only in the full %s run and passed alone "
                                 "(timing-sensitive)\n" % (
                                     test_id, "recorded" if recorded else "plain"))
                return True
        return False


class QuickSuitesTests(SuiteComparison):
    """python3 x test_queue, test_threading (part of npm run test:runtime)."""

    def test_queue(self):
        self.compare(sys.executable, "test.test_queue", no_inversion=True)

    def test_threading(self):
        self.compare(sys.executable, "test.test_threading", no_inversion=True)


class MatrixTests(SuiteComparison):
    """Python 3.10, 3.11, 3.13 x four suites (npm run test:stdlib-runtime)."""

    def check(self, version, module):
        """Compare ``module`` on the interpreter of ``version``."""
        python = interpreter(version)
        self.assertIsNotNone(python, "no Python %s found (pyenv or LOCKORDER_STDLIB_PYTHONS)"
                             % version)
        self.compare(python, module)


def _matrix_test(version, module):
    """One test method of the matrix."""
    def test(self):
        self.check(version, module)
    test.__doc__ = "%s on Python %s" % (module, version)
    return test


for _version in MATRIX_VERSIONS:
    for _module in MATRIX_SUITES:
        setattr(MatrixTests, "test_%s_%s" % (_version.replace(".", "_"), _module.split(".")[-1]),
                _matrix_test(_version, _module))


def load_tests(loader, tests, pattern):
    """The quick set, or only the matrix when LOCKORDER_STDLIB_MATRIX=1."""
    chosen = MatrixTests if os.environ.get("LOCKORDER_STDLIB_MATRIX") == "1" else QuickSuitesTests
    return loader.loadTestsFromTestCase(chosen)


if __name__ == "__main__":
    unittest.main()
