"""CPython's own lock tests (test.lock_tests) against lockorder's instrumented locks.

The suites run in a child process that calls ``lockorder.install()`` first, so
``threading.Lock``/``RLock`` and everything built on them (Condition,
Semaphore, Event, Barrier) are instrumented.  The child also checks that the
locks really were instrumented.
"""

import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
RUNTIME = os.path.join(os.path.dirname(os.path.dirname(HERE)), "runtime", "python")

CHILD = r"""
import sys, threading, unittest
import lockorder
lockorder.install(report_dir=sys.argv[1], summary=False)
from test import lock_tests
assert type(threading.Lock()) is lockorder.InstrumentedLock
assert type(threading.Condition()._lock) is lockorder.InstrumentedRLock

class LockTests(lock_tests.LockTests):
    locktype = staticmethod(threading.Lock)
class RLockTests(lock_tests.RLockTests):
    locktype = staticmethod(threading.RLock)
class ConditionTests(lock_tests.ConditionTests):
    condtype = staticmethod(threading.Condition)
class SemaphoreTests(lock_tests.SemaphoreTests):
    semtype = staticmethod(threading.Semaphore)
class BoundedSemaphoreTests(lock_tests.BoundedSemaphoreTests):
    semtype = staticmethod(threading.BoundedSemaphore)
class EventTests(lock_tests.EventTests):
    eventtype = staticmethod(threading.Event)
class BarrierTests(lock_tests.BarrierTests):
    barriertype = staticmethod(threading.Barrier)

names = sys.argv[2:]
loader = unittest.TestLoader()
suite = unittest.TestSuite(loader.loadTestsFromTestCase(globals()[n]) for n in names)
result = unittest.TextTestRunner(verbosity=1).run(suite)
sys.exit(0 if result.wasSuccessful() and result.testsRun > 0 else 1)
"""


def run_suites(*names):
    """Run the named lock_tests suites under install(); returns (returncode, output)."""
    env = dict(os.environ, PYTHONPATH=RUNTIME)
    env.pop("LOCKORDER", None)
    with tempfile.TemporaryDirectory() as report_dir:
        proc = subprocess.run([sys.executable, "-c", CHILD, report_dir] + list(names),
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              timeout=600)
    return proc.returncode, proc.stdout.decode("utf-8", "replace")


class CPythonLockTests(unittest.TestCase):
    """Each of CPython's lock test suites passes with instrumented locks."""

    def check(self, *names):
        """The named suites pass."""
        code, output = run_suites(*names)
        self.assertEqual(code, 0, output)
        self.assertIn("OK", output)

    def test_lock_and_rlock(self):
        self.check("LockTests", "RLockTests")

    def test_condition(self):
        self.check("ConditionTests")

    def test_semaphores(self):
        self.check("SemaphoreTests", "BoundedSemaphoreTests")

    def test_event_and_barrier(self):
        self.check("EventTests", "BarrierTests")


if __name__ == "__main__":
    unittest.main()
