"""Naming a lock never keeps the creating function's local variables alive.

Before Python 3.11 the runtime derives a lock's qualified name without
``co_qualname``.  Reading ``frame.f_locals`` for that (as it once did) copies
every local of the user's function into the frame, so an object the function
deletes stays alive as long as the frame runs: CPython's own
``test_no_stale_references`` failed under the runtime on 3.10.  These tests
call that naming path directly, so they run on every Python version.
"""

import gc
import sys
import tempfile
import threading
import unittest
import weakref

import runtime_helpers  # noqa: F401  (puts the runtime on sys.path)
from lockorder import lock_identity


class Payload:
    """Something a test function holds and then lets go of."""


class Owner:
    """A module-level class whose method names a lock."""

    def make(self):
        """Name a lock as the runtime does, with a local that is deleted right after."""
        payload = Payload()
        alive = weakref.ref(payload)
        qual = lock_identity._qualname_before_311(sys._getframe(), "function")
        del payload
        gc.collect()
        return qual, alive() is None

    class Inner:
        qual = lock_identity._qualname_before_311(sys._getframe(), "class")


def plain_function():
    """A function (no class) with a local that is deleted after naming."""
    payload = Payload()
    alive = weakref.ref(payload)
    qual = lock_identity._qualname_before_311(sys._getframe(), "function")
    del payload
    gc.collect()
    return qual, alive() is None


class NoStaleReferenceTests(unittest.TestCase):
    """The pre-3.11 naming path: right names, and deleted locals are really gone."""

    def test_method_name_without_keeping_locals_alive(self):
        self.assertEqual(Owner().make(), ("Owner.make", True))

    def test_function_name_without_keeping_locals_alive(self):
        self.assertEqual(plain_function(), ("plain_function", True))

    def test_nested_class_body_name(self):
        self.assertEqual(Owner.Inner.qual, "Owner.Inner")

    def test_event_made_in_a_function_does_not_keep_its_locals(self):
        # What CPython's test_no_stale_references does, on the path every version takes.
        import lockorder
        reports = tempfile.TemporaryDirectory()
        self.addCleanup(reports.cleanup)
        lockorder.install(report_dir=reports.name, summary=False)
        try:
            payload = Payload()
            alive = weakref.ref(payload)
            site = lock_identity.creation_site(sys._getframe())
            threading.Event()
            del payload
            gc.collect()
        finally:
            lockorder.uninstall()
        self.assertIsNone(alive())
        self.assertEqual(site[3].rsplit(".", 1)[-1], self._testMethodName)


if __name__ == "__main__":
    unittest.main()
