"""LO107: a self-deadlock through asynchronous re-entry (finalizer, weakref, gc, signal, logging).

Each mechanism is provoked for real inside a critical section.  In-process the
re-entered acquire has a short timeout, so it fails instead of hanging; the
last test runs real ``with lock:`` re-entries under ``--raise --watchdog``.
"""

import gc
import logging
import os
import signal
import tempfile
import threading
import unittest
import weakref

from runtime_helpers import RecordingTestCase, report_records, run_python, write_script


def try_briefly(lock):
    """Acquire with a short timeout (the real thing would wait forever)."""
    if lock.acquire(timeout=0.05):
        lock.release()


class no_automatic_gc:
    """Context manager: only an explicit gc.collect() collects cycles while inside."""

    def __enter__(self):
        self._was = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc):
        if self._was:
            gc.enable()


class ReentryTests(RecordingTestCase):
    """One test per mechanism; each asserts the record a user reads."""

    def only_record(self, rule):
        """The single record of ``rule``."""
        found = self.records(rule)
        self.assertEqual(len(found), 1, [r["message"] for r in self.records()])
        return found[0]

    def test_finalizer_during_gc_collect(self):
        conn_lock = threading.Lock()

        class Connection:
            """Closes itself under the lock when collected."""

            def __del__(self):
                try_briefly(conn_lock)

        with no_automatic_gc():
            with conn_lock:
                conn = Connection()
                conn.myself = conn           # a cycle: only the collector frees it
                del conn
                gc.collect()
        record = self.only_record("LO107")
        self.assertEqual(record["name"], "callback-reentry")
        self.assertIn("re-entered through garbage collection: `Connection.__del__`",
                      record["message"])
        self.assertIn("conn_lock", record["message"])
        self.assertEqual(record["reentry"]["mechanism"], "finalizer")
        self.assertEqual(record["reentry"]["frame"]["function"], "__del__")
        self.assertEqual([e["role"] for e in record["edges"]], ["held", "acquire"])
        self.assertEqual(record["edges"][0]["stack"][0]["function"],
                         "test_finalizer_during_gc_collect")
        self.assertEqual(self.records("LO102"), [])

    def test_weakref_finalize_callback(self):
        cache_lock = threading.Lock()

        class Resource:
            """Something with a finalizer registered through weakref.finalize."""

        def release_resource():
            """The finalize callback: takes the cache lock."""
            try_briefly(cache_lock)

        resource = Resource()
        weakref.finalize(resource, release_resource)
        with cache_lock:
            del resource
        record = self.only_record("LO107")
        self.assertIn("re-entered through garbage collection: weakref.finalize callback "
                      "`release_resource`", record["message"])

    def test_weakref_callback(self):
        index_lock = threading.Lock()

        class Entry:
            """Indexed weakly; the index drops it under the lock."""

        def drop_entry(ref):
            """The weakref callback."""
            try_briefly(index_lock)

        entry = Entry()
        keeper = weakref.ref(entry, drop_entry)
        with index_lock:
            del entry
        self.assertIsNone(keeper())
        record = self.only_record("LO107")
        self.assertIn("re-entered through garbage collection: weakref callback `drop_entry`",
                      record["message"])

    def test_gc_callbacks_entry(self):
        stats_lock = threading.Lock()

        def on_gc(phase, info):
            """Counts collections under the stats lock."""
            try_briefly(stats_lock)

        gc.callbacks.append(on_gc)
        try:
            with stats_lock:
                gc.collect()
        finally:
            gc.callbacks.remove(on_gc)
        record = self.only_record("LO107")
        self.assertIn("re-entered through garbage collection: gc.callbacks entry `on_gc`",
                      record["message"])

    def test_signal_handler(self):
        sig_lock = threading.Lock()

        def on_sigusr1(signum, frame):
            """The handler takes the lock the interrupted code holds."""
            try_briefly(sig_lock)

        previous = signal.signal(signal.SIGUSR1, on_sigusr1)
        try:
            with sig_lock:
                signal.raise_signal(signal.SIGUSR1)
        finally:
            signal.signal(signal.SIGUSR1, previous)
        record = self.only_record("LO107")
        self.assertIn("re-entered from signal handler `on_sigusr1`", record["message"])
        self.assertEqual(record["reentry"]["mechanism"], "signal-handler")

    def test_logging_handler(self):
        audit_lock = threading.Lock()

        class AuditHandler(logging.Handler):
            """Writes audit lines under the audit lock."""

            def emit(self, record):
                try_briefly(audit_lock)

        logger = logging.getLogger("lockorder.test.audit")
        logger.propagate = False
        handler = AuditHandler()
        logger.addHandler(handler)
        try:
            with audit_lock:
                logger.warning("changing the ledger")
        finally:
            logger.removeHandler(handler)
        record = self.only_record("LO107")
        self.assertIn("re-entered from logging handler `AuditHandler.emit`", record["message"])

    def test_plain_nested_call_stays_lo102(self):
        lock = threading.Lock()

        def helper():
            """Re-takes the lock: an ordinary self-deadlock."""
            try_briefly(lock)

        with lock:
            helper()
        self.assertEqual(len(self.records("LO102")), 1)
        self.assertEqual(self.records("LO107"), [])

    def test_finalizer_that_itself_holds_the_lock_is_lo102(self):
        lock = threading.Lock()

        class Holder:
            """Its finalizer takes the lock, then calls code that takes it again."""

            def __del__(self):
                with lock:
                    try_briefly(lock)

        holder = Holder()
        del holder
        self.assertEqual(len(self.records("LO102")), 1)
        self.assertEqual(self.records("LO107"), [])


REAL_DEADLOCKS = """
import gc, logging, signal, threading
import lockorder

conn_lock = threading.Lock()
class Connection:
    def __del__(self):
        with conn_lock:
            pass

gc.disable()
with conn_lock:
    c = Connection(); c.myself = c; del c
    gc.collect()                      # DeadlockError inside __del__ is printed and ignored
print("gc survived")

sig_lock = threading.Lock()
def on_sigusr1(signum, frame):
    with sig_lock:
        pass
signal.signal(signal.SIGUSR1, on_sigusr1)
try:
    with sig_lock:
        signal.raise_signal(signal.SIGUSR1)
except lockorder.DeadlockError:
    print("signal raised DeadlockError")

audit_lock = threading.Lock()
class AuditFilter(logging.Filter):     # a filter: no handler lock, so no LO101 first
    def filter(self, record):
        with audit_lock:
            return True
log = logging.getLogger("audit")
log.propagate = False
log.addFilter(AuditFilter())
try:
    with audit_lock:
        log.warning("x")
except lockorder.DeadlockError:
    print("logging raised DeadlockError")
"""


class RealDeadlockTests(unittest.TestCase):
    """The re-entries deadlock for real; --raise --watchdog turns them into errors."""

    def test_each_mechanism_reported_as_lo107(self):
        with tempfile.TemporaryDirectory() as work:
            reports = os.path.join(work, "reports")
            write_script(work, "prog.py", REAL_DEADLOCKS)
            proc = run_python(["-m", "lockorder", "run", "--raise", "--watchdog", "0.2",
                               "--report-dir", reports, "prog.py"], cwd=work, timeout=60)
            self.assertEqual(proc.returncode, 0, proc.stderr)
            self.assertEqual(proc.stdout.splitlines(), [
                "gc survived", "signal raised DeadlockError", "logging raised DeadlockError"])
            records = report_records(reports)
            texts = sorted(r["message"].split("; ")[-1] for r in records if r["rule"] == "LO107")
            self.assertEqual(texts, [
                "re-entered from logging handler `AuditFilter.filter`",
                "re-entered from signal handler `on_sigusr1`",
                "re-entered through garbage collection: `Connection.__del__`"])
            self.assertEqual([r for r in records if r["rule"] == "LO102"], [])


if __name__ == "__main__":
    unittest.main()
