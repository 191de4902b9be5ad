"""The runtime works on every Python it supports (3.8 to 3.13), not only on the one running the tests.

A small program using a thread pool, ``as_completed``, semaphores of one and of
more, a Condition and an inversion runs under ``python -m lockorder run`` on
each pyenv interpreter of those versions (or LOCKORDER_STDLIB_PYTHONS): it
must finish with its own output, no internal error, and the one LO101.
"""

import json
import os
import tempfile
import unittest

from runtime_helpers import report_records, run_python
from test_stdlib_under_runtime import interpreter

VERSIONS = ["3.8", "3.9", "3.10", "3.11", "3.12", "3.13"]

PROGRAM = """
import threading
from concurrent.futures import ThreadPoolExecutor, as_completed, wait

a = threading.Lock()
b = threading.Lock()
gate = threading.Semaphore(1)
slots = threading.BoundedSemaphore(3)
ready = threading.Condition()

def forward():
    with a:
        with b:
            pass

def backward():
    with gate:
        with b:
            with a:
                pass

with ThreadPoolExecutor(max_workers=4) as pool:
    futures = [pool.submit(pow, 2, n) for n in range(200)]
    total = sum(f.result() for f in as_completed(futures))
    done, _ = wait(futures)
for step in (forward, backward):
    t = threading.Thread(target=step)
    t.start()
    t.join()
with slots, ready:
    ready.notify_all()
gate.release()
gate.acquire()
print("finished", total == sum(2 ** n for n in range(200)), len(done))
"""


class PythonVersionsTests(unittest.TestCase):
    """One run per supported interpreter."""

    def check(self, version):
        """Run PROGRAM under the runtime on ``version``; assert what its user sees."""
        python = interpreter(version)
        self.assertIsNotNone(python, "no Python %s found (pyenv or LOCKORDER_STDLIB_PYTHONS)"
                             % version)
        with tempfile.TemporaryDirectory() as folder:
            script = os.path.join(folder, "program.py")
            with open(script, "w") as handle:
                handle.write(PROGRAM)
            reports = os.path.join(folder, "reports")
            proc = run_python(["-m", "lockorder", "run", "--report-dir", reports, script],
                              timeout=120, executable=python)
            records = report_records(reports)
        self.assertEqual(proc.returncode, 0, proc.stderr[-3000:])
        self.assertIn("finished True 200", proc.stdout)
        self.assertNotIn("internal error", proc.stderr)
        self.assertNotIn("Traceback", proc.stderr, proc.stderr[-3000:])
        rules = sorted(r["rule"] for r in records if r.get("rule"))
        self.assertEqual(rules, ["LO101"], json.dumps(records)[:3000])


def _version_test(version):
    """One test method per version."""
    def test(self):
        self.check(version)
    test.__doc__ = "the runtime on Python %s" % version
    return test


for _version in VERSIONS:
    setattr(PythonVersionsTests, "test_python_%s" % _version.replace(".", "_"),
            _version_test(_version))


if __name__ == "__main__":
    unittest.main()
