"""The declared lock hierarchy at run time: parsing, ranks in acquire(), LO106, discovery."""

import contextlib
import io
import os
import tempfile
import threading
import unittest
import weakref

from runtime_helpers import RecordingTestCase, child_env, report_records, run_python, write_script
import lockorder
from lockorder import order_file

MODULE = __name__


class Pool:
    """Declared first."""

    def __init__(self):
        self._lock = threading.Lock()


class Cache:
    """Declared after Pool."""

    def __init__(self):
        self._lock = threading.Lock()


class Account:
    """A family: every account's lock."""

    def __init__(self, number):
        self.number = number
        self.lock = threading.Lock()


class Scratch:
    """A local object whose lifetime is watched (see Ledger)."""


LEDGER_LOCALS_GONE = {}     # Ledger number -> whether its dropped local was freed at once


class Ledger:
    """Creates its lock, then drops a local object in the same frame."""

    def __init__(self, number):
        self.number = number
        scratch = Scratch()
        gone = weakref.ref(scratch)
        self.lock = threading.Lock()
        del scratch
        LEDGER_LOCALS_GONE[number] = gone() is None


class Worker:
    """In a group with Job."""

    def __init__(self):
        self._lock = threading.Lock()


class Job:
    """In a group with Worker."""

    def __init__(self):
        self._lock = threading.Lock()


def nest(outer, inner):
    """Take outer, then inner (blocking)."""
    with outer:
        with inner:
            pass


def parse_quietly(text):
    """Load ``text`` as an order file; returns (DeclaredOrder, stderr text)."""
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "lockorder.order")
        with open(path, "w") as handle:
            handle.write(text)
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            order = order_file.load(path)
    order_file.load(None)
    return order, path, err.getvalue()


class ParseTests(unittest.TestCase):
    """The file format: every kind of line, and bad lines skipped with a message."""

    def test_every_kind_of_line(self):
        order, _, err = parse_quietly(
            "# header\n"
            "app.db.Pool._lock\n"
            "app.cache.Cache._lock   # trailing comment\n"
            "\n"
            "app.audit.audit_lock < app.log.log_lock < app.metrics.Metrics._lock\n"
            "app.workers.Worker._lock = app.jobs.Job._lock\n"
            "app.accounts.Account.lock ascending by id\n"
            "app.plugins.*._lock\n")
        self.assertEqual(err, "")
        names = [e.pattern for e in order.entries]
        self.assertEqual(names[:2], ["app.db.Pool._lock", "app.cache.Cache._lock"])
        find = order.find
        self.assertTrue(order.before(find("app.db.Pool._lock"), find("app.cache.Cache._lock")))
        # one-lock lines: each after every lock on the one-lock lines above it
        self.assertTrue(order.before(find("app.db.Pool._lock"), find("app.plugins.auth._lock")))
        self.assertTrue(order.before(find("app.audit.audit_lock"),
                                     find("app.metrics.Metrics._lock")))   # transitive
        self.assertFalse(order.before(find("app.metrics.Metrics._lock"),
                                      find("app.audit.audit_lock")))
        self.assertEqual(order.entries[find("app.accounts.Account.lock")].ascending_by, "id")
        self.assertEqual(order.conflict(find("app.workers.Worker._lock"), "app.workers.Worker._lock",
                                        find("app.jobs.Job._lock"), "app.jobs.Job._lock"),
                         ("group", 6))

    def test_wildcard_is_one_dotted_part_and_exact_names_win(self):
        order, _, _ = parse_quietly("app.*._lock\napp.special._lock\n")
        self.assertEqual(order.find("app.special._lock"), 1)
        self.assertEqual(order.find("app.other._lock"), 0)
        self.assertIsNone(order.find("app.deep.er._lock"))
        self.assertIsNone(order.find("app._lock"))

    def test_bad_lines_are_skipped_with_file_and_line(self):
        order, path, err = parse_quietly(
            "app.a\n"
            "app.b < \n"
            "app.c < app.d = app.e\n"
            "two names here\n"
            "app.f ascending by\n"
            "app.g\n")
        lines = err.splitlines()
        self.assertEqual(len(lines), 4, err)
        for line, number in zip(lines, (2, 3, 4, 5)):
            self.assertTrue(line.startswith("lockorder: %s:%d: " % (path, number)), line)
            self.assertTrue(line.endswith("; line skipped"), line)
        self.assertIn("missing a lock name", lines[0])
        self.assertEqual([e.pattern for e in order.entries], ["app.a", "app.g"])
        self.assertTrue(order.before(0, 1))

    def test_contradiction_is_a_warning(self):
        _, path, err = parse_quietly("app.a < app.b\napp.b < app.c\napp.c < app.a\n")
        self.assertIn("%s:" % path, err)
        self.assertIn("contradiction: app.a and app.c are each declared before the other", err)

    def test_unreadable_file_is_a_message(self):
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            self.assertIsNone(order_file.load("/nonexistent/lockorder.order"))
        self.assertEqual(err.getvalue().count("\n"), 1)
        self.assertIn("cannot read order file /nonexistent/lockorder.order", err.getvalue())


class LongFileTests(unittest.TestCase):
    """A 20,000-line order file is read whole and answers like a short one."""

    def test_twenty_thousand_lines(self):
        chain = ["app.c%05d" % i for i in range(10000)]
        relations = ["app.r%05d < app.r%05d" % (i, i + 1) for i in range(9999)]
        order, _, err = parse_quietly("\n".join(chain + relations + ["app.r09999 < app.c00000"]))
        self.assertEqual(err, "")
        self.assertEqual(len(order.entries), 20000)
        find = order.find
        self.assertTrue(order.before(find("app.c00000"), find("app.c09999")))
        self.assertFalse(order.before(find("app.c09999"), find("app.c00000")))
        self.assertTrue(order.before(find("app.r00000"), find("app.c05000")))
        self.assertEqual(order.conflict(find("app.c00005"), "app.c00005",
                                        find("app.c00002"), "app.c00002"), ("order", 6))
        self.assertEqual(order.conflict(find("app.c00001"), "app.c00001",
                                        find("app.r09998"), "app.r09998"), ("order", 19999))
        ranks = [order.rank(find(name), 0) for name in ("app.r00000", "app.c00000", "app.c09999")]
        self.assertEqual(ranks, sorted(ranks))

    def test_contradiction_through_thousands_of_lines_is_one_warning(self):
        text = "\n".join(["app.c%05d" % i for i in range(5000)] + ["app.c04999 < app.c00000"])
        _, path, err = parse_quietly(text)
        self.assertEqual(err.count("contradiction"), 1, err[:500])
        self.assertIn("%s:2: contradiction: 5000 locks (app.c00000, app.c00001," % path, err)


class DeclaredTestCase(RecordingTestCase):
    """Recording with an order file written by the test."""

    def declare(self, text, **options):
        """Write ``text`` as the order file and reinstall with it; returns its path."""
        path = os.path.join(self.report_dir, "lockorder.order")
        with open(path, "w") as handle:
            handle.write(text)
        lockorder.install(report_dir=self.report_dir, summary=False, order_file=path, **options)
        self.addCleanup(order_file.load, None)
        return path


class AcquireRankTests(DeclaredTestCase):
    """lockorder.acquire() uses declared ranks."""

    def test_declared_order_beats_creation_order(self):
        cache, pool = Cache(), Pool()                 # created against the declared order
        self.declare("%s.Pool._lock\n%s.Cache._lock\n" % (MODULE, MODULE))
        from lockorder import held_locks
        with lockorder.acquire(cache._lock, pool._lock):
            self.assertEqual([l.lock_id for l in held_locks.current()],
                             [pool._lock.lock_id, cache._lock.lock_id])

    def test_nested_violation_is_lo106_with_the_declaring_line(self):
        path = self.declare("# comment\n%s.Pool._lock < %s.Cache._lock\n" % (MODULE, MODULE))
        pool, cache = Pool(), Cache()
        with lockorder.acquire(cache._lock):
            with self.assertRaises(lockorder.LockOrderViolation) as caught:
                with lockorder.acquire(pool._lock):
                    pass
        self.assertIn("Declared order violation", str(caught.exception))
        self.assertIn("lockorder.order:2 declares %s.Pool._lock before %s.Cache._lock"
                      % (MODULE, MODULE), str(caught.exception))
        record, = self.records("LO106")
        self.assertEqual(record["name"], "declared-order-violation")
        self.assertEqual(record["order_file"], {"path": path, "line": 2})
        self.assertEqual([l["name"] for l in record["locks"]], ["Cache._lock", "Pool._lock"])
        self.assertEqual(self.records("LO103"), [])

    def test_declared_locks_rank_below_undeclared_ones(self):
        later = threading.Lock()                       # undeclared, created first
        self.declare("%s.Pool._lock\n" % MODULE)
        pool = Pool()
        with lockorder.acquire(pool._lock):
            with lockorder.acquire(later):
                pass
        with lockorder.acquire(later):
            with self.assertRaises(lockorder.LockOrderViolation):
                with lockorder.acquire(pool._lock):
                    pass
        self.assertEqual(len(self.records("LO103")), 1)      # the file says nothing about later
        self.assertEqual(self.records("LO106"), [])


class RecorderTests(DeclaredTestCase):
    """Instrumented locks taken against the file: LO106 once per pair, both stacks, the line."""

    def test_taking_an_earlier_declared_lock_is_lo106_once(self):
        path = self.declare("%s.Pool._lock\n%s.Cache._lock\n" % (MODULE, MODULE))
        pool, cache = Pool(), Cache()
        nest(pool._lock, cache._lock)
        self.assertEqual(self.records(), [])
        for _ in range(3):
            nest(cache._lock, pool._lock)
        nest(Cache()._lock, Pool()._lock)                 # other instances: same pair of names
        record, = self.records("LO106")
        self.assertEqual(record["order_file"], {"path": path, "line": 2})   # Cache's line
        self.assertEqual(record["declared"], "order")
        self.assertEqual([e["role"] for e in record["edges"]], ["held", "acquire"])
        for edge in record["edges"]:
            self.assertEqual(edge["stack"][0]["function"], "nest")
        self.assertEqual(record["edges"][1]["stack"][0]["code"], "with inner:")
        self.assertIn("lockorder.order:2 declares %s.Pool._lock before %s.Cache._lock"
                      % (MODULE, MODULE), record["message"])

    def test_group_members_never_held_together(self):
        self.declare("%s.Worker._lock = %s.Job._lock\n" % (MODULE, MODULE))
        nest(Worker()._lock, Job()._lock)
        record, = self.records("LO106")
        self.assertEqual(record["declared"], "group")
        self.assertIn("never held together", record["message"])

    def test_family_without_ascending_must_not_nest(self):
        self.declare("%s.Account.lock\n" % MODULE)
        nest(Account(1).lock, Account(2).lock)
        record, = self.records("LO106")
        self.assertEqual(record["declared"], "family")
        self.assertEqual({l["name"] for l in record["locks"]}, {"Account.lock"})

    def test_family_ascending_by_attribute(self):
        self.declare("%s.Account.lock ascending by number\n" % MODULE)
        low, high = Account(1), Account(2)
        nest(low.lock, high.lock)
        self.assertEqual(self.records(), [])
        nest(high.lock, low.lock)
        record, = self.records("LO106")
        self.assertIn("ascending by number, but number=1 is taken while holding number=2",
                      record["message"])

    def test_ascending_by_keeps_nothing_alive_in_the_creating_frame(self):
        # Finding the owner must not snapshot the creating frame's locals (before Python 3.13
        # that keeps every local alive until the frame ends): a local dropped right after
        # the lock is made is gone at once.
        self.declare("%s.Ledger.lock ascending by number\n" % MODULE)
        LEDGER_LOCALS_GONE.clear()
        low, high = Ledger(1), Ledger(2)
        self.assertEqual(LEDGER_LOCALS_GONE, {1: True, 2: True})
        nest(high.lock, low.lock)
        record, = self.records("LO106")
        self.assertIn("ascending by number, but number=1 is taken while holding number=2",
                      record["message"])

    def test_ascending_by_without_a_known_owner_is_skipped_with_a_note(self):
        self.declare("%s.RecorderTests.test_ascending_by_without_a_known_owner_is_skipped_"
                     "with_a_note.loose ascending by number\n" % MODULE)
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            locks = []
            for _ in range(2):
                loose = threading.Lock()
                locks.append(loose)
            nest(locks[0], locks[1])
            nest(locks[1], locks[0])
        self.assertEqual(self.records("LO106"), [])
        self.assertEqual(err.getvalue().count("\n"), 1, err.getvalue())
        self.assertIn("not checking", err.getvalue())
        self.assertIn("the object owning the lock is unknown", err.getvalue())

    def test_undeclared_locks_are_unconstrained(self):
        self.declare("%s.Pool._lock\n" % MODULE)
        other = threading.Lock()
        pool = Pool()
        nest(other, pool._lock)
        nest(Pool()._lock, other)
        self.assertEqual(self.records("LO106"), [])


class RecorderRaiseTests(DeclaredTestCase):
    """--raise: the acquire against the file raises and does not happen."""

    raise_on_finding = True

    def test_raises_at_the_culprit(self):
        self.declare("%s.Pool._lock\n%s.Cache._lock\n" % (MODULE, MODULE), raise_on_finding=True)
        pool, cache = Pool(), Cache()
        with cache._lock:
            for _ in range(2):
                with self.assertRaises(lockorder.LockOrderViolation):
                    pool._lock.acquire()
                self.assertFalse(pool._lock.locked())
        self.assertEqual(len(self.records("LO106")), 1)


PACKAGE_DB = """
import threading

class Pool:
    def __init__(self):
        self._lock = threading.Lock()
"""

SCRIPT = """
import sys, threading
sys.path.insert(0, %(inner)r)
import db                     # imported from inside the package: still named app.db
cache_lock = threading.Lock()
pool = db.Pool()
with cache_lock:
    with pool._lock:
        pass
print("done")
"""

ORDER = "app.db.Pool._lock\nprog.cache_lock\n"


class DiscoveryTests(unittest.TestCase):
    """python3 -m lockorder run finds the file; module names follow the package path."""

    def setUp(self):
        """A program in its own folder (with a package app/), run from another folder."""
        self._tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self._tmp.cleanup)
        self.dir = self._tmp.name
        self.project = os.path.join(self.dir, "project")
        self.elsewhere = os.path.join(self.dir, "elsewhere")
        self.reports = os.path.join(self.dir, "reports")
        package = os.path.join(self.project, "app")
        os.makedirs(package)
        os.makedirs(self.elsewhere)
        write_script(package, "__init__.py", "")
        write_script(package, "db.py", PACKAGE_DB)
        self.script = write_script(self.project, "prog.py", SCRIPT % {"inner": package})

    def run_prog(self, *options, **env):
        """Run the program under lockorder from the other folder; returns (proc, LO106 records)."""
        proc = run_python(["-m", "lockorder", "run", "--report-dir", self.reports] + list(options)
                          + [self.script], cwd=self.elsewhere, env=child_env(**env), timeout=60)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("done", proc.stdout)
        return proc, [r for r in report_records(self.reports) if r["rule"] == "LO106"]

    def test_found_next_to_the_script(self):
        path = write_script(self.project, "lockorder.order", ORDER)
        _, found = self.run_prog()
        self.assertEqual(len(found), 1)
        self.assertEqual(found[0]["order_file"], {"path": path, "line": 2})
        self.assertEqual([l["qualname"] for l in found[0]["locks"]],
                         ["prog.cache_lock", "app.db.Pool._lock"])

    def test_found_in_the_current_directory(self):
        path = write_script(self.elsewhere, "lockorder.order", ORDER)
        _, found = self.run_prog()
        self.assertEqual(found[0]["order_file"]["path"], path)

    def test_environment_variable(self):
        path = write_script(self.dir, "team.order", ORDER)
        write_script(self.project, "lockorder.order", "prog.cache_lock\napp.db.Pool._lock\n")
        _, found = self.run_prog(LOCKORDER_ORDER_FILE=path)
        self.assertEqual(found[0]["order_file"]["path"], path)

    def test_order_file_option_wins(self):
        path = write_script(self.dir, "team.order", ORDER)
        write_script(self.project, "lockorder.order", "prog.cache_lock\napp.db.Pool._lock\n")
        _, found = self.run_prog("--order-file", path)
        self.assertEqual(found[0]["order_file"]["path"], path)

    def test_no_file_no_findings(self):
        _, found = self.run_prog()
        self.assertEqual(found, [])

    def test_missing_order_file_option_is_usage_error(self):
        proc = run_python(["-m", "lockorder", "run", "--order-file", "nope.order", self.script],
                          cwd=self.elsewhere, timeout=60)
        self.assertEqual(proc.returncode, 2)
        self.assertIn("lockorder: cannot read order file 'nope.order'", proc.stderr)
        self.assertNotIn("Traceback", proc.stderr)

    def test_find_file_order_of_places(self):
        script_dir = os.path.join(self.dir, "s")
        cwd = os.path.join(self.dir, "c")
        os.makedirs(script_dir)
        os.makedirs(cwd)
        script = os.path.join(script_dir, "x.py")
        self.assertIsNone(order_file.find_file(None, script, environ={}, cwd=cwd))
        in_cwd = write_script(cwd, "lockorder.order", "a.b\n")
        self.assertEqual(order_file.find_file(None, script, environ={}, cwd=cwd), in_cwd)
        beside = write_script(script_dir, "lockorder.order", "a.b\n")
        self.assertEqual(order_file.find_file(None, script, environ={}, cwd=cwd), beside)
        self.assertEqual(order_file.find_file(None, script, environ={"LOCKORDER_ORDER_FILE": "e"},
                                              cwd=cwd), "e")
        self.assertEqual(order_file.find_file("o", script, environ={"LOCKORDER_ORDER_FILE": "e"},
                                              cwd=cwd), "o")
        self.assertIsNone(order_file.find_file("", script, environ={}, cwd=cwd))


if __name__ == "__main__":
    unittest.main()
