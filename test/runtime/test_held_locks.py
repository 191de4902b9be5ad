"""The per-thread held-lock stack as seen through instrumented locks."""

import threading
import unittest

from runtime_helpers import RecordingTestCase
from lockorder import held_locks


def held_ids():
    """Lock ids the calling thread holds, innermost last."""
    return [lock.lock_id for lock in held_locks.current()]


class HeldStackTests(RecordingTestCase):
    """Pushes on acquire, pops on release, per thread."""

    def test_nested_acquire_and_release(self):
        a, b = threading.Lock(), threading.Lock()
        with a:
            with b:
                self.assertEqual(held_ids(), [a.lock_id, b.lock_id])
            self.assertEqual(held_ids(), [a.lock_id])
        self.assertEqual(held_ids(), [])

    def test_out_of_order_release(self):
        a, b = threading.Lock(), threading.Lock()
        a.acquire()
        b.acquire()
        a.release()
        self.assertEqual(held_ids(), [b.lock_id])
        b.release()
        self.assertEqual(held_ids(), [])

    def test_stacks_are_per_thread(self):
        a = threading.Lock()
        seen = []
        with a:
            worker = threading.Thread(target=lambda: seen.append(held_ids()))
            worker.start()
            worker.join()
        self.assertEqual(seen, [[]])

    def test_release_by_other_thread_clears_owner_stack(self):
        a = threading.Lock()
        a.acquire()
        worker = threading.Thread(target=a.release)
        worker.start()
        worker.join()
        self.assertEqual(held_ids(), [])
        self.assertFalse(a.locked())

    def test_rlock_held_once_while_reentered(self):
        r = threading.RLock()
        with r:
            with r:
                self.assertEqual(held_ids(), [r.lock_id])
            self.assertEqual(held_ids(), [r.lock_id])
        self.assertEqual(held_ids(), [])

    def test_condition_wait_releases_its_lock(self):
        cond = threading.Condition()
        with cond:
            self.assertEqual(held_ids(), [cond._lock.lock_id])
            cond.wait(0.01)
            self.assertEqual(held_ids(), [cond._lock.lock_id])
        self.assertEqual(held_ids(), [])

    def test_muted_stack_ignores_pushes(self):
        a = threading.Lock()
        with held_locks.muted():
            with a:
                self.assertEqual(held_ids(), [])
        self.assertEqual(held_ids(), [])
        self.assertFalse(a.locked())


if __name__ == "__main__":
    unittest.main()
