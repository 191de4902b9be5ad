"""The watchdog (LO110): real deadlocks become reports, and errors in --raise mode."""

import os
import tempfile
import unittest

from runtime_helpers import report_records, run_python, write_script

DEADLOCK = """
import threading, time, lockorder
a_lock = threading.Lock()
b_lock = threading.Lock()
both = threading.Barrier(2)
outcome = {}

def worker(first, second, name):
    try:
        with first:
            both.wait()
            with second:
                outcome[name] = "finished"
    except (lockorder.DeadlockError, lockorder.LockOrderViolation) as exc:
        outcome[name] = type(exc).__name__

threads = [threading.Thread(target=worker, args=(a_lock, b_lock, "t1"), name="t1", daemon=True),
           threading.Thread(target=worker, args=(b_lock, a_lock, "t2"), name="t2", daemon=True)]
for t in threads:
    t.start()
for t in threads:
    t.join(%(join)s)
print("outcome", sorted(outcome.items()))
"""


class WatchdogTests(unittest.TestCase):
    """Run deadlocking programs in a child process, so nothing here can hang."""

    def setUp(self):
        """A temporary working directory."""
        self._tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self._tmp.cleanup)
        self.dir = self._tmp.name
        self.reports = os.path.join(self.dir, "reports")

    def run_script(self, source, *options):
        """Run a script under ``python3 -m lockorder run`` with options."""
        write_script(self.dir, "prog.py", source)
        return run_python(["-m", "lockorder", "run", "--report-dir", self.reports]
                          + list(options) + ["prog.py"], cwd=self.dir, timeout=60)

    def test_raise_mode_stops_the_inverting_thread_before_it_deadlocks(self):
        proc = self.run_script(DEADLOCK % {"join": ""}, "--raise", "--watchdog", "0.3")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        outcome = proc.stdout.strip()
        self.assertIn("'LockOrderViolation'", outcome)
        self.assertIn("'finished'", outcome)

    def test_blocked_threads_of_a_cycle_get_deadlock_error(self):
        source = DEADLOCK.replace("import threading, time, lockorder", """import threading, time, lockorder
lockorder.install(watchdog=1.0, raise_on_finding=False, report_dir=%r)
def switch_to_raise():
    # once both threads wait (and before the watchdog looks), switch to --raise behaviour
    while len(lockorder.watchdog._waiting) < 2:
        time.sleep(0.01)
    lockorder.tracker.state.options.raise_on_finding = True
threading.Thread(target=switch_to_raise, daemon=True).start()""" % self.reports) % {"join": ""}
        write_script(self.dir, "prog.py", source)
        proc = run_python(["prog.py"], cwd=self.dir, timeout=60)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("outcome [('t1', 'DeadlockError'), ('t2', 'DeadlockError')]", proc.stdout)
        deadlocks = [r for r in report_records(self.reports) if r["rule"] == "LO110"]
        self.assertEqual(len(deadlocks), 1)
        threads = {t["name"]: t for t in deadlocks[0]["threads"]}
        self.assertEqual(set(threads), {"t1", "t2"})
        ids = {l["name"]: l["id"] for l in deadlocks[0]["locks"]}
        self.assertEqual(threads["t1"]["waits_for"], ids["b_lock"])
        self.assertEqual(threads["t1"]["holds"], [ids["a_lock"]])
        self.assertEqual(threads["t2"]["waits_for"], ids["a_lock"])
        self.assertEqual(threads["t2"]["holds"], [ids["b_lock"]])
        self.assertTrue(any(f["function"] == "worker" for f in threads["t1"]["stack"]))
        self.assertIn("Deadlock: thread", proc.stderr)
        self.assertIn("most recent call first", proc.stderr)     # all-thread dump

    def test_report_mode_reports_and_program_runs_on(self):
        proc = self.run_script(DEADLOCK % {"join": "2"}, "--watchdog", "0.3")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("outcome []", proc.stdout)
        rules = sorted(r["rule"] for r in report_records(self.reports))
        self.assertEqual(rules, ["LO101", "LO110"])
        self.assertIn("LO110 deadlock: 1", proc.stderr)

    def test_thread_waiting_on_itself(self):
        source = """
import threading, lockorder
lock = threading.Lock()
lock.acquire()
try:
    lock.acquire()
except lockorder.DeadlockError as exc:
    print("self-wait:", exc)
"""
        proc = self.run_script(source, "--raise", "--watchdog", "0.3")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("self-wait: Deadlock: thread MainThread waits for lock held by MainThread",
                      proc.stdout)
        rules = sorted(r["rule"] for r in report_records(self.reports))
        self.assertEqual(rules, ["LO102", "LO110"])

    def test_watchdog_zero_disables(self):
        source = """
import threading
lock = threading.Lock()
lock.acquire()
print("timed out:", not lock.acquire(timeout=0.5))
"""
        proc = self.run_script(source, "--raise", "--watchdog", "0")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("timed out: True", proc.stdout)
        self.assertEqual([r["rule"] for r in report_records(self.reports)], ["LO102"])


FORK = """
import os, threading, lockorder
from lockorder import held_locks
lockorder.install(report_dir=%(dir)r, summary=False)
mine = threading.Lock()
theirs = threading.Lock()
other_ready = threading.Event()
finish = threading.Event()

def other():
    with theirs:
        other_ready.set()
        finish.wait()

t = threading.Thread(target=other)
t.start()
other_ready.wait()
with mine:
    pid = os.fork()
    if pid == 0:
        held = [l.lock_id for l in held_locks.current()]
        ok = held == [mine.lock_id] and list(held_locks._registry) == [held_locks.current().ident]
        extra = threading.Lock()
        with extra:
            pass
        mine.release()            # so that it is not a common gate of the inversion below
        a = threading.Lock()
        b = threading.Lock()
        with a:
            with b: pass
        with b:
            with a: pass
        os._exit(0 if ok else 7)
    _, status = os.waitpid(pid, 0)
finish.set()
t.join()
print("child status", os.waitstatus_to_exitcode(status) if hasattr(os, "waitstatus_to_exitcode") else status)
"""


@unittest.skipUnless(hasattr(os, "fork"), "os.fork is not available on this platform")
class ForkTests(unittest.TestCase):
    """After fork the child holds only what the forking thread held."""

    def test_child_state(self):
        with tempfile.TemporaryDirectory() as reports:
            proc = run_python(["-c", FORK % {"dir": reports}], timeout=60)
            self.assertEqual(proc.returncode, 0, proc.stderr)
            self.assertIn("child status 0", proc.stdout)
            records = report_records(reports)
            self.assertEqual([r["rule"] for r in records], ["LO101"])
            self.assertNotEqual(records[0]["pid"], os.getpid())


if __name__ == "__main__":
    unittest.main()
