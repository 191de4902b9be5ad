"""A counting semaphore is one recorded lock, its permits: blocking acquires order it, tries do not."""

import os
import tempfile
import threading
import unittest

from runtime_helpers import RecordingTestCase, child_env, report_records, run_python, write_script
import lockorder
from lockorder import tracker


class Pool:
    """A lock and a semaphore of three permits (made inside the tests, while recording)."""

    def __init__(self, permits=3):
        self.guard = threading.Lock()
        self.slots = threading.BoundedSemaphore(permits)


class CountingSemaphoreTests(RecordingTestCase):
    """Edges into a semaphore, in this process."""

    def lock_names(self):
        """Names of the locks that take part in an edge."""
        return sorted(tracker.describe_lock(i)["name"] for i in tracker.state.graph.nodes())

    def test_try_acquire_under_a_lock_records_no_edge(self):
        for permits in (0, 3):
            pool = Pool(permits)
            with pool.guard:
                got = [pool.slots.acquire(blocking=False), pool.slots.acquire(timeout=0),
                       pool.slots.acquire(True, 0)]
            self.assertEqual(got, [permits > 0] * 3)
        self.assertEqual(len(tracker.state.graph), 0)

    def test_blocking_acquire_under_a_lock_records_one_edge(self):
        pool = Pool()
        with pool.guard:
            pool.slots.acquire()
            self.assertTrue(pool.slots.acquire(timeout=1))
        self.assertTrue(tracker.state.graph.has_edge(pool.guard.lock_id, pool.slots._permits.lock_id))
        self.assertEqual(self.lock_names(), ["Pool.guard", "Pool.slots"])
        self.assertEqual(len(tracker.state.graph), 1)

    def test_timed_acquire_that_times_out_records_the_edge(self):
        signal = threading.Semaphore(0)
        guard = threading.Lock()
        with guard:
            self.assertFalse(signal.acquire(timeout=0.05))
        self.assertEqual(self.lock_names(), ["guard", "signal"])

    def test_a_permit_is_not_held(self):
        pool = Pool()
        pool.slots.acquire()
        with pool.guard:      # taken while a permit is out: no edge slots -> guard
            pass
        pool.slots.release()
        self.assertEqual(len(tracker.state.graph), 0)

    def test_a_permit_released_by_another_thread_leaves_nothing_held(self):
        pool = Pool()
        pool.slots.acquire()
        worker = threading.Thread(target=pool.slots.release)
        worker.start()
        worker.join()
        with pool.guard:
            pool.slots.acquire()
        self.assertEqual(self.lock_names(), ["Pool.guard", "Pool.slots"])

    def test_the_inner_lock_is_no_lock_of_its_own(self):
        pool = Pool()
        self.assertNotIsInstance(pool.slots._cond._lock, lockorder.InstrumentedLock)
        with pool.guard:
            pool.slots.acquire()
            pool.slots.release()
        self.assertEqual(self.lock_names(), ["Pool.guard", "Pool.slots"])
        self.assertEqual(tracker.describe_lock(pool.slots._permits.lock_id)["kind"], "BoundedSemaphore")


BOTH_WAYS = """
import threading
guard = threading.Lock()
slots = threading.Semaphore(%d)

def forward():
    with guard:
        slots.acquire()         # waits for a permit while holding guard
    slots.release()

def backward():
    slots.acquire()
    with guard:
        pass
    slots.release()
    with guard:
        slots.acquire(timeout=0)

for step in (forward, backward):
    t = threading.Thread(target=step)
    t.start()
    t.join()
print("done")
"""


class SemaphoreGraphRecordTests(unittest.TestCase):
    """What the end-of-run graph record and the findings say of a counting semaphore."""

    def run_program(self, value):
        """The graph record's edges (from name, to name) and the findings of one run."""
        with tempfile.TemporaryDirectory() as work:
            reports = os.path.join(work, "reports")
            write_script(work, "prog.py", BOTH_WAYS % value)
            proc = run_python(["-m", "lockorder", "run", "--report-dir", reports, "prog.py"],
                              cwd=work, env=child_env(LOCKORDER_GRAPH="1"), timeout=60)
            self.assertEqual(proc.returncode, 0, proc.stderr)
            self.assertIn("done", proc.stdout)
            records = report_records(reports)
        graphs = [r for r in records if r.get("kind") == "graph"]
        edges = sorted((e["from"]["name"], e["to"]["name"]) for g in graphs for e in g["edges"])
        return edges, [r for r in records if "rule" in r]

    def test_only_the_blocking_acquire_gives_an_edge_and_no_inner_lock_shows(self):
        edges, findings = self.run_program(3)
        self.assertEqual(edges, [("prog.guard", "prog.slots")])
        self.assertEqual(findings, [])

    def test_a_semaphore_of_one_still_orders_what_is_taken_under_it(self):
        edges, findings = self.run_program(1)
        self.assertEqual(edges, [("prog.guard", "prog.slots"), ("prog.slots", "prog.guard")])
        self.assertEqual([f["rule"] for f in findings], ["LO101"])


if __name__ == "__main__":
    unittest.main()
