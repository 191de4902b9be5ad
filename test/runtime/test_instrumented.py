"""Instrumented locks: edges, inversions (LO101), self-deadlock (LO102), API behaviour."""

import queue
import threading
import time
import unittest

from runtime_helpers import RecordingTestCase
import lockorder
from lockorder import tracker


def in_thread(target, *args):
    """Run target in a thread and wait for it."""
    worker = threading.Thread(target=target, args=args)
    worker.start()
    worker.join()


def take(first, second):
    """Take first, then second."""
    with first:
        with second:
            pass


class Account:
    """Two instances of one class: the classic swapped-arguments transfer."""

    def __init__(self):
        self.lock = threading.Lock()


def transfer(source, target):
    """Lock source then target."""
    with source.lock:
        with target.lock:
            pass


class InversionTests(RecordingTestCase):
    """LO101 lock-order inversion."""

    def test_two_thread_inversion_reported_once(self):
        a, b = threading.Lock(), threading.Lock()
        in_thread(take, a, b)
        in_thread(take, b, a)
        in_thread(take, b, a)
        found = self.records("LO101")
        self.assertEqual(len(found), 1)
        record = found[0]
        self.assertEqual(record["version"], 1)
        self.assertEqual({l["id"] for l in record["locks"]}, {a.lock_id, b.lock_id})
        self.assertEqual(len(record["edges"]), 2)
        for edge in record["edges"]:
            self.assertTrue(edge["thread"].startswith("Thread-"))
            self.assertEqual(edge["stack"][0]["function"], "take")
            self.assertEqual(edge["stack"][0]["code"], "with second:")

    def test_edge_recorded_even_without_waiting(self):
        a, b = threading.Lock(), threading.Lock()
        take(a, b)
        self.assertTrue(tracker.state.graph.has_edge(a.lock_id, b.lock_id))

    def test_three_lock_cycle(self):
        a, b, c = threading.Lock(), threading.Lock(), threading.Lock()
        take(a, b)
        take(b, c)
        self.assertEqual(self.records("LO101"), [])
        take(c, a)
        found = self.records("LO101")
        self.assertEqual(len(found), 1)
        self.assertEqual(len(found[0]["edges"]), 3)

    def test_swapped_arguments_on_instances_of_one_class(self):
        x, y = Account(), Account()
        transfer(x, y)
        transfer(y, x)
        found = self.records("LO101")
        self.assertEqual(len(found), 1)
        self.assertEqual({l["name"] for l in found[0]["locks"]}, {"Account.lock"})

    def test_common_gate_lock_suppresses(self):
        gate, a, b = threading.Lock(), threading.Lock(), threading.Lock()
        with gate:
            take(a, b)
        with gate:
            take(b, a)
        self.assertEqual(self.records("LO101"), [])
        self.assertEqual(tracker.state.suppressed, 1)

    def test_gate_on_one_side_only_still_reports(self):
        gate, a, b = threading.Lock(), threading.Lock(), threading.Lock()
        with gate:
            take(a, b)
        take(b, a)
        self.assertEqual(len(self.records("LO101")), 1)

    def test_try_lock_records_no_edge(self):
        a, b = threading.Lock(), threading.Lock()
        with a:
            self.assertTrue(b.acquire(False))
            b.release()
        with b:
            self.assertTrue(a.acquire(blocking=False))
            a.release()
        self.assertEqual(len(tracker.state.graph), 0)

    def test_timed_acquire_records_edge_even_when_it_times_out(self):
        a, b = threading.Lock(), threading.Lock()
        b.acquire()
        ready = threading.Event()

        def attempt():
            """Hold a, try b with a timeout."""
            with a:
                ready.set()
                self.assertFalse(b.acquire(timeout=0.05))

        in_thread(attempt)
        b.release()
        self.assertTrue(ready.is_set())
        self.assertTrue(tracker.state.graph.has_edge(a.lock_id, b.lock_id))

    def test_zero_timeout_is_a_try_and_records_no_edge(self):
        a, b, r = threading.Lock(), threading.Lock(), threading.RLock()
        with a:
            self.assertTrue(b.acquire(timeout=0))
            b.release()
            self.assertTrue(r.acquire(True, 0))
            r.release()
        self.assertEqual(len(tracker.state.graph), 0)
        with self.assertRaises(TypeError):
            b.acquire(timeout=None)          # as the raw lock says

    def test_rlock_reentry_is_not_an_edge(self):
        r, a = threading.RLock(), threading.Lock()
        with r:
            with a:
                with r:
                    pass
        self.assertEqual(list(tracker.state.graph.edges), [(r.lock_id, a.lock_id)])
        self.assertEqual(self.records(), [])

    def test_reset_forgets_edges_of_long_lived_locks(self):
        a, b = threading.Lock(), threading.Lock()
        take(a, b)
        lockorder.reset()
        take(b, a)
        self.assertEqual(self.records("LO101"), [])
        take(a, b)
        self.assertEqual(len(self.records("LO101")), 1)

    def test_locks_from_before_install_are_plain(self):
        lockorder.uninstall()
        plain = threading.Lock()
        lockorder.install(report_dir=self.report_dir, summary=False)
        self.assertNotIsInstance(plain, lockorder.InstrumentedLock)
        self.assertIsInstance(threading.Lock(), lockorder.InstrumentedLock)


class RaiseModeTests(RecordingTestCase):
    """--raise: the inverting acquire raises LockOrderViolation and does not take the lock."""

    raise_on_finding = True

    def test_inversion_raises_at_offending_acquire(self):
        a, b = threading.Lock(), threading.Lock()
        take(a, b)
        with a:
            pass
        with b:
            with self.assertRaises(lockorder.LockOrderViolation) as caught:
                a.acquire()
            self.assertFalse(a.locked())
            with self.assertRaises(lockorder.LockOrderViolation):
                a.acquire()
        self.assertIn("Lock-order inversion", str(caught.exception))
        self.assertIsInstance(caught.exception, RuntimeError)
        self.assertEqual(len(self.records("LO101")), 1)


class SelfDeadlockTests(RecordingTestCase):
    """LO102: re-acquiring a held Lock is reported, then waits like a Lock does."""

    def test_binary_semaphore_pattern_reports_and_proceeds(self):
        lock = threading.Lock()
        lock.acquire()
        done = []

        def release_later():
            """Release the main thread's lock after a moment."""
            time.sleep(0.05)
            lock.release()

        helper = threading.Thread(target=release_later)
        helper.start()
        lock.acquire()          # blocks until the helper releases
        done.append(True)
        lock.release()
        helper.join()
        self.assertEqual(done, [True])
        found = self.records("LO102")
        self.assertEqual(len(found), 1)
        roles = [e["role"] for e in found[0]["edges"]]
        self.assertEqual(roles, ["held", "acquire"])
        self.assertEqual(found[0]["edges"][1]["stack"][0]["function"],
                         "test_binary_semaphore_pattern_reports_and_proceeds")

    def test_timed_reacquire_times_out(self):
        lock = threading.Lock()
        with lock:
            start = time.monotonic()
            self.assertFalse(lock.acquire(timeout=0.05))
            self.assertGreaterEqual(time.monotonic() - start, 0.04)
        self.assertEqual(len(self.records("LO102")), 1)


class LockApiTests(RecordingTestCase):
    """The instrumented locks keep the original API."""

    def test_lock_api(self):
        lock = threading.Lock()
        self.assertFalse(lock.locked())
        self.assertTrue(lock.acquire())
        self.assertTrue(lock.locked())
        self.assertIn("<locked", repr(lock))
        lock.release()
        self.assertIn("<unlocked", repr(lock))
        with self.assertRaises(RuntimeError):
            lock.release()
        with self.assertRaises(ValueError):
            lock.acquire(False, 1)
        with self.assertRaises(ValueError):
            lock.acquire(timeout=-5)
        with self.assertRaises(TypeError):
            type(lock)()

    def test_rlock_api(self):
        r = threading.RLock()
        self.assertFalse(r._is_owned())
        with r:
            with r:
                self.assertEqual(r._recursion_count(), 2)
        with self.assertRaises(RuntimeError):
            r.release()

    def test_stdlib_primitives_are_instrumented(self):
        self.assertIsInstance(threading.Condition()._lock, lockorder.InstrumentedRLock)
        self.assertIsInstance(threading.Semaphore(3)._permits, lockorder.InstrumentedLock)
        self.assertIsInstance(queue.Queue().mutex, lockorder.InstrumentedLock)
        q = queue.Queue()
        in_thread(q.put, 1)
        self.assertEqual(q.get(timeout=1), 1)

    def test_timeout_returns_false_without_hanging(self):
        lock = threading.Lock()
        results = []
        with lock:
            in_thread(lambda: results.append(lock.acquire(timeout=0.05)))
        self.assertEqual(results, [False])


if __name__ == "__main__":
    unittest.main()
