"""A fork while another thread is inside the runtime leaves the child able to record.

The runtime's internal locks (the tracker's and the report writer's) may be
held by another thread at ``fork()`` time; that thread does not exist in the
child.  Hooks registered before the runtime's own (threading's, or a
program's that installs lockorder late) run first in the child and may take
instrumented locks and report findings there.  Each child must still finish.
The program runs in a subprocess that kills a child stuck for 10 s and counts
it, with a timeout on the whole run, so a hang is a failure, not a stuck suite.
"""

import os
import tempfile
import unittest

from runtime_helpers import report_records, run_python, write_script

FORKING = """
import os, sys, threading, time
import lockorder

def invert():
    a = threading.Lock()
    b = threading.Lock()
    with a:
        with b:
            pass
    with b:
        with a:
            pass

os.register_at_fork(after_in_child=invert)      # runs before lockorder's own hook
lockorder.install(report_dir=sys.argv[1], summary=False)
running = [True]

def hammer():
    while running[0]:
        invert()                                 # new edges and an LO101 every time

threading.Thread(target=hammer, daemon=True).start()
time.sleep(0.2)
hung = slow = 0
for _ in range(%(forks)d):
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    while not os.waitpid(pid, os.WNOHANG)[0]:
        if time.monotonic() - started > 10:
            hung += 1
            os.kill(pid, 9)
            os.waitpid(pid, 0)
            break
        time.sleep(0.002)
    else:
        slow += time.monotonic() - started > 1.5
running[0] = False
print("hung", hung, "slow", slow)
"""


@unittest.skipUnless(hasattr(os, "fork"), "needs os.fork")
class ForkSafetyTests(unittest.TestCase):
    """Fork repeatedly while a thread keeps the runtime's recording path busy."""

    def test_children_forked_during_recording_all_finish_and_report(self):
        with tempfile.TemporaryDirectory() as work:
            reports = os.path.join(work, "reports")
            write_script(work, "forking.py", FORKING % {"forks": 60})
            proc = run_python(["-W", "ignore", "forking.py", reports], cwd=work, timeout=120)
            self.assertEqual(proc.returncode, 0, proc.stderr[-2000:])
            self.assertIn("hung 0 ", proc.stdout, proc.stdout + proc.stderr[-2000:])
            children = {r["pid"] for r in report_records(reports)} - {self.parent_pid(reports)}
            self.assertEqual(len(children), 60, "every child reports its own inversion")

    @staticmethod
    def parent_pid(reports):
        """The pid with the most records: the hammering parent."""
        counts = {}
        for record in report_records(reports):
            counts[record["pid"]] = counts.get(record["pid"], 0) + 1
        return max(counts, key=counts.get)


if __name__ == "__main__":
    unittest.main()
