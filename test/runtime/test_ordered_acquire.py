"""lockorder.acquire(*locks, timeout=None): global order, violations (LO103), re-entry, timeouts."""

import gc
import threading
import time
import unittest

from runtime_helpers import RecordingTestCase
import lockorder
from lockorder import ordered


def line_of(marker):
    """Line number of the source line in this file that contains ``marker``."""
    with open(__file__) as handle:
        for number, text in enumerate(handle, 1):
            if marker in text and "line_of(" not in text:
                return number
    raise AssertionError(marker)


class OrderedAcquireTests(RecordingTestCase):
    """Behaviour a user of acquire() sees."""

    def test_locks_taken_in_rank_order_whatever_the_argument_order(self):
        a, b, c = threading.Lock(), threading.Lock(), threading.Lock()
        with lockorder.acquire(c, a, b):
            self.assertTrue(a.locked() and b.locked() and c.locked())
            # the held stack shows the acquisition order
            from lockorder import held_locks
            self.assertEqual([l.lock_id for l in held_locks.current()],
                             sorted([a.lock_id, b.lock_id, c.lock_id]))
        self.assertFalse(a.locked() or b.locked() or c.locked())

    def test_nested_lower_rank_raises_naming_both_locks_and_sites(self):
        first = threading.Lock()
        second = threading.Lock()
        with lockorder.acquire(second):  # marker-outer
            with self.assertRaises(lockorder.LockOrderViolation) as caught:
                with lockorder.acquire(first):  # marker-inner
                    pass
        message = str(caught.exception)
        self.assertIn("first", message)
        self.assertIn("second", message)
        self.assertIn(":%d" % line_of("# marker-outer"), message)
        self.assertIn(":%d" % line_of("# marker-inner"), message)
        self.assertFalse(first.locked() or second.locked())
        found = self.records("LO103")
        self.assertEqual(len(found), 1)
        self.assertEqual([l["name"] for l in found[0]["locks"]], ["second", "first"])

    def test_same_plain_lock_nested_is_a_violation(self):
        a = threading.Lock()
        with lockorder.acquire(a):
            with self.assertRaises(lockorder.LockOrderViolation):
                with lockorder.acquire(a):
                    pass

    def test_rlock_reentry_allowed(self):
        r, later = threading.RLock(), threading.Lock()
        with lockorder.acquire(r):
            with lockorder.acquire(r, later):
                with lockorder.acquire(r):
                    self.assertEqual(r._recursion_count(), 3)
        self.assertFalse(r._is_owned())

    def test_higher_rank_nested_is_fine(self):
        a, b = threading.Lock(), threading.Lock()
        with lockorder.acquire(a):
            with lockorder.acquire(b):
                pass
        self.assertEqual(self.records(), [])

    def test_released_when_body_raises(self):
        a, b = threading.Lock(), threading.Lock()
        with self.assertRaises(KeyError):
            with lockorder.acquire(a, b):
                raise KeyError("boom")
        self.assertFalse(a.locked() or b.locked())
        with lockorder.acquire(a):          # the thread's held list was unwound too
            pass

    def test_timeout_part_way_releases_everything(self):
        a, b = threading.Lock(), threading.Lock()
        lockorder.acquire(a, b)               # fixes the ranks: a before b
        b.acquire()
        try:
            start = time.monotonic()
            with self.assertRaises(lockorder.AcquireTimeout):
                with lockorder.acquire(a, b, timeout=0.05):
                    self.fail("body must not run")
            self.assertLess(time.monotonic() - start, 5)
            self.assertFalse(a.locked())
        finally:
            b.release()
        with lockorder.acquire(a, b, timeout=1):
            self.assertTrue(a.locked() and b.locked())

    def test_works_with_all_primitive_kinds(self):
        kinds = [threading.Lock(), threading.RLock(), threading.Semaphore(2),
                 threading.BoundedSemaphore(1), threading.Condition()]
        with lockorder.acquire(*kinds):
            self.assertTrue(kinds[0].locked())
        with lockorder.acquire(*reversed(kinds)):
            pass
        self.assertFalse(kinds[0].locked())

    def test_works_with_raw_locks_ranked_when_first_seen(self):
        lockorder.uninstall()
        a, b = threading.Lock(), threading.Lock()
        self.assertNotIsInstance(a, lockorder.InstrumentedLock)
        with lockorder.acquire(b):      # b is seen first, so b ranks below a
            pass
        with lockorder.acquire(a, b):
            pass
        with lockorder.acquire(a):
            with self.assertRaises(lockorder.LockOrderViolation):
                with lockorder.acquire(b):
                    pass

    def test_rank_is_first_seen_order_not_id(self):
        lockorder.uninstall()
        ranks = []
        for _ in range(3):
            lock = threading.Lock()
            ranks.append(ordered.rank_of(lock))
            del lock
            gc.collect()
        self.assertEqual(ranks, sorted(set(ranks)))      # always a fresh, higher rank

    def test_per_thread_lists(self):
        a, b = threading.Lock(), threading.Lock()
        lockorder.acquire(a, b)
        errors = []

        def worker():
            """Take a in another thread while the main thread holds b."""
            try:
                with lockorder.acquire(a):
                    pass
            except lockorder.LockOrderViolation as exc:
                errors.append(exc)

        with lockorder.acquire(b):
            thread = threading.Thread(target=worker)
            thread.start()
            time.sleep(0.01)
        thread.join()
        self.assertEqual(errors, [])


if __name__ == "__main__":
    unittest.main()
