"""The watchdog sees waits (join, Event.wait, Condition.wait, Queue.get, Future.result, a
counting semaphore's acquire) under locks.

Each program deadlocks for real: one thread holds a lock and waits for
another thread (to end, or to set / notify / put / resolve something), and
that thread needs the lock.  It runs in a subprocess with a 1 s watchdog and
``--raise``, so the thread blocked on the lock gets DeadlockError and the
program ends (the waiting thread, a daemon, is left behind); a hang would be
a subprocess timeout, not a stuck suite.
"""

import os
import tempfile
import unittest

from runtime_helpers import report_records, run_python, write_script

JOIN = """
import threading, lockorder
lock = threading.Lock()

def worker():
    try:
        with lock:
            print("worker finished")
    except lockorder.DeadlockError:
        print("worker DeadlockError")

t = threading.Thread(target=worker, name="worker")
with lock:
    t.start()
    t.join()
print("main done")
"""

UNDER_LOCK = """
import threading, queue, concurrent.futures, lockorder
lock = threading.Lock()
event = threading.Event()
cond = threading.Condition()
q = queue.Queue()
future = concurrent.futures.Future()
slots = threading.BoundedSemaphore(2)
slots.acquire(), slots.acquire()        # every permit taken: the next acquire waits for a release
holding = threading.Event()
WAITS = {
    "event": (lambda: event.wait(), lambda: event.set()),
    "condition": (lambda: cond.wait(), lambda: cond.notify()),
    "queue": (lambda: q.get(), lambda: q.put(1)),
    "future": (lambda: future.result(), lambda: future.set_result(1)),
    "semaphore": (lambda: slots.acquire(), lambda: slots.release()),
}
wait, wake = WAITS["%(kind)s"]

def waiter():
    with lock:
        holding.set()
        if "%(kind)s" == "condition":
            with cond:
                wait()
        else:
            wait()

def waker():
    try:
        with lock:
            if "%(kind)s" == "condition":
                with cond:
                    wake()
            else:
                wake()
        print("waker finished")
    except lockorder.DeadlockError:
        print("waker DeadlockError")

threading.Thread(target=waiter, name="waiter", daemon=True).start()
holding.wait()
w = threading.Thread(target=waker, name="waker")
w.start()
w.join()
print("main done")
"""

SOMEONE_ELSE_SETS = """
import threading, time
lock = threading.Lock()
event = threading.Event()
holding = threading.Event()

def waiter():
    with lock:
        holding.set()
        event.wait()

def setter():
    time.sleep(2.5)       # running, not blocked: it may still set the event (and does)
    event.set()

threading.Thread(target=waiter, name="waiter").start()
holding.wait()
threading.Thread(target=setter, name="setter").start()
with lock:
    print("main got the lock")
"""


class WatchdogWaitTests(unittest.TestCase):
    """Deadlocks through waits are reported as LO110 with every thread's stack."""

    def run_program(self, source, *options):
        """The process and every report record of one run."""
        with tempfile.TemporaryDirectory() as work:
            reports = os.path.join(work, "reports")
            write_script(work, "prog.py", source)
            proc = run_python(["-m", "lockorder", "run", "--report-dir", reports] + list(options)
                              + ["prog.py"], cwd=work, timeout=60)
            return proc, report_records(reports)

    def deadlock(self, source, label):
        """Run a deadlocking program; return its one LO110 record after common checks."""
        proc, records = self.run_program(source, "--raise", "--watchdog", "1")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("DeadlockError", proc.stdout)
        self.assertIn("main done", proc.stdout)
        found = [r for r in records if r["rule"] == "LO110"]
        self.assertEqual(len(found), 1, records)
        record = found[0]
        self.assertIn(label, record["message"])
        self.assertEqual(record["locks"][0]["name"].split(".")[-1], "lock")
        waits = {t["name"]: t for t in record["threads"]}
        self.assertTrue(all(t["stack"] for t in record["threads"]), record["threads"])
        self.assertIn("lockorder: Deadlock", proc.stderr)       # all stacks dumped to stderr
        return waits

    def test_join_under_the_lock_the_joined_thread_needs(self):
        threads = self.deadlock(JOIN, "Thread.join")
        self.assertEqual(threads["MainThread"]["waits_in"], "Thread.join")
        self.assertIn("waits_for", threads["worker"])

    def test_event_wait_under_the_lock_the_setter_needs(self):
        threads = self.deadlock(UNDER_LOCK % {"kind": "event"}, "Event.wait")
        self.assertEqual(threads["waiter"]["waits_in"], "Event.wait")
        self.assertIn("waits_for", threads["waker"])

    def test_condition_wait_under_the_lock_the_notifier_needs(self):
        threads = self.deadlock(UNDER_LOCK % {"kind": "condition"}, "Condition.wait")
        self.assertEqual(threads["waiter"]["waits_in"], "Condition.wait")

    def test_queue_get_under_the_lock_the_producer_needs(self):
        threads = self.deadlock(UNDER_LOCK % {"kind": "queue"}, "Queue.get")
        self.assertEqual(threads["waiter"]["waits_in"], "Queue.get")

    def test_future_result_under_the_lock_the_resolver_needs(self):
        threads = self.deadlock(UNDER_LOCK % {"kind": "future"}, "Future.result")
        self.assertEqual(threads["waiter"]["waits_in"], "Future.result")

    def test_counting_semaphore_acquire_under_the_lock_the_releaser_needs(self):
        threads = self.deadlock(UNDER_LOCK % {"kind": "semaphore"}, "Semaphore.acquire")
        self.assertEqual(threads["waiter"]["waits_in"], "Semaphore.acquire")
        self.assertIn("waits_for", threads["waker"])

    def test_an_event_another_running_thread_sets_is_no_deadlock(self):
        proc, records = self.run_program(SOMEONE_ELSE_SETS, "--watchdog", "1")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("main got the lock", proc.stdout)
        self.assertEqual([r for r in records if r["rule"] == "LO110"], [])


if __name__ == "__main__":
    unittest.main()
