"""A Semaphore(1) or BoundedSemaphore(1) used as a mutex is recorded like a Lock at run time."""

import os
import tempfile
import unittest

from runtime_helpers import report_records, run_python, write_script

INVERSION = """
import threading
guard = threading.Lock()
token = threading.%(kind)s(%(value)d)

def one():
    with guard:
        with token:
            pass

def other():
    token.acquire()
    try:
        with guard:
            pass
    finally:
        token.release()

for step in (one, other):
    t = threading.Thread(target=step)
    t.start()
    t.join()
print("done")
"""

SEMANTICS = """
import threading
bounded = threading.BoundedSemaphore(1)
assert bounded.acquire(timeout=0.5)
assert not bounded.acquire(blocking=False)
assert not bounded.acquire(timeout=0.05)
bounded.release()
try:
    bounded.release()
except ValueError as exc:
    print("bounded:", exc)
plain = threading.Semaphore(1)
plain.release()                       # value 2: no longer a mutex
print("plain:", plain.acquire(False), plain.acquire(False), plain.acquire(False))
print("types:", isinstance(bounded, threading.Semaphore), type(plain).__name__)
"""


class SemaphoreMutexTests(unittest.TestCase):
    """Run small programs under ``python3 -m lockorder run``."""

    def run_program(self, source):
        """The process and every report record of one run."""
        with tempfile.TemporaryDirectory() as work:
            reports = os.path.join(work, "reports")
            write_script(work, "prog.py", source)
            proc = run_python(["-m", "lockorder", "run", "--report-dir", reports, "prog.py"],
                              cwd=work, timeout=60)
            return proc, report_records(reports)

    def inversion(self, kind, value):
        """LO101 records of a Lock / semaphore inversion."""
        proc, records = self.run_program(INVERSION % {"kind": kind, "value": value})
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("done", proc.stdout)
        return [r for r in records if r["rule"] == "LO101"]

    def test_inversion_between_a_lock_and_a_semaphore_of_one_is_lo101(self):
        found = self.inversion("Semaphore", 1)
        self.assertEqual(len(found), 1)
        self.assertEqual(sorted(l["kind"] for l in found[0]["locks"]), ["Lock", "Semaphore"])
        self.assertIn("token", found[0]["message"])
        self.assertIn("guard", found[0]["message"])

    def test_inversion_through_a_bounded_semaphore_of_one_is_lo101(self):
        found = self.inversion("BoundedSemaphore", 1)
        self.assertEqual(len(found), 1)
        self.assertIn("BoundedSemaphore", [l["kind"] for l in found[0]["locks"]])

    def test_a_semaphore_of_two_is_not_a_lock(self):
        self.assertEqual(self.inversion("Semaphore", 2), [])
        self.assertEqual(self.inversion("BoundedSemaphore", 2), [])

    def test_semaphores_keep_their_standard_behaviour(self):
        proc, _ = self.run_program(SEMANTICS)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("bounded: Semaphore released too many times", proc.stdout)
        self.assertIn("plain: True True False", proc.stdout)
        self.assertIn("types: True Semaphore", proc.stdout)


if __name__ == "__main__":
    unittest.main()
