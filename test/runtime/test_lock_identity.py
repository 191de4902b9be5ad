"""Lock names and creation sites match what the static analyzer calls them."""

import importlib.util
import os
import threading
import unittest

from runtime_helpers import RecordingTestCase
from lockorder import lock_identity

module_lock = threading.Lock()          # created before install: not instrumented


def describe(lock):
    """The JSON description of an instrumented lock."""
    return lock_identity.describe(lock.lock_id, lock.kind, lock.site)


class Inventory:
    """A class with instance and class-level locks (created inside the tests)."""

    def __init__(self):
        self._lock = threading.Lock()
        self.changed = threading.Condition()


SHOP = """\
import threading

stock_lock = threading.Lock()


class Shelf:
    shelf_lock: "threading.RLock" = threading.RLock()
"""


BANK = """\
import threading


class Guard:
    def __init__(self):
        self._lock = threading.Lock()

    def __enter__(self):
        self._lock.acquire()

    def __exit__(self, *exc):
        self._lock.release()


class Session:
    def __init__(self):
        self._lock = threading.Lock()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        pass


class Bank:
    def __init__(self):
        self.accounts_guard = Guard()
        self.audit_guard = Guard()
        self.session = Session()


AUDIT = Guard()


def local_guard():
    guard = Guard()
    return guard
"""


MILL = """\
import threading


class Worker(threading.Thread):
    def __init__(self, name):
        super().__init__(name=name, daemon=True)


class NightWorker(Worker):
    def __init__(self):
        super().__init__("night")


class Gate(threading.Semaphore):
    def __init__(self):
        threading.Semaphore.__init__(self, 3)


class Mill:
    def __init__(self):
        self.worker = Worker("day")
        self.night = NightWorker()
        self.plain = threading.Thread(target=print)
        self.gate = Gate()


def handed_on():
    return Worker("loose")
"""


def started_lock(thread):
    """The lock inside a Thread's ``_started`` Event."""
    return thread._started._cond._lock


def import_source(directory, name, source):
    """Write NAME.py into ``directory`` and import it under that name."""
    path = os.path.join(directory, name + ".py")
    with open(path, "w") as handle:
        handle.write(source)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def import_shop(directory):
    """Write shop.py into ``directory`` and import it under the name 'shop'."""
    return import_source(directory, "shop", SHOP)


class IdentityTests(RecordingTestCase):
    """name, qualname, kind and created."""

    def test_instance_attribute(self):
        record = describe(Inventory()._lock)
        self.assertEqual(record["name"], "Inventory._lock")
        self.assertEqual(record["qualname"], "test_lock_identity.Inventory._lock")
        self.assertEqual(record["kind"], "Lock")
        self.assertEqual(record["created"]["file"], os.path.abspath(__file__))
        self.assertEqual(record["created"]["function"], "__init__")
        with open(__file__) as handle:
            lines = handle.read().splitlines()
        self.assertEqual(lines[record["created"]["line"] - 1].strip(),
                         "self._lock = threading.Lock()")

    def test_condition_is_named_by_its_creation_line(self):
        record = describe(Inventory().changed._lock)
        self.assertEqual(record["name"], "Inventory.changed")
        self.assertEqual(record["kind"], "RLock")
        self.assertEqual(record["via"], "Condition")

    def test_local_variable(self):
        x_lock = threading.Lock()
        self.assertEqual(describe(x_lock)["name"], "x_lock")

    def test_class_attribute(self):
        record = describe(import_shop(self.report_dir).Shelf.shelf_lock)
        self.assertEqual(record["name"], "Shelf.shelf_lock")
        self.assertEqual(record["qualname"], "shop.Shelf.shelf_lock")
        self.assertEqual(record["created"]["line"], 7)

    def test_module_global(self):
        record = describe(import_shop(self.report_dir).stock_lock)
        self.assertEqual(record["name"], "stock_lock")
        self.assertEqual(record["qualname"], "shop.stock_lock")
        self.assertEqual(record["created"]["line"], 3)
        self.assertEqual(record["created"]["function"], "<module>")

    def test_lock_wrapper_is_named_where_it_is_stored(self):
        bank = import_source(self.report_dir, "bank", BANK)
        teller = bank.Bank()
        accounts = describe(teller.accounts_guard._lock)
        audit = describe(teller.audit_guard._lock)
        self.assertEqual((accounts["name"], accounts["qualname"]), ("Bank.accounts_guard", "bank.Bank.accounts_guard"))
        self.assertEqual((audit["name"], audit["qualname"]), ("Bank.audit_guard", "bank.Bank.audit_guard"))
        self.assertEqual((accounts["created"]["line"], audit["created"]["line"]), (28, 29))

    def test_module_global_lock_wrapper_is_named_by_the_global(self):
        record = describe(import_source(self.report_dir, "bank", BANK).AUDIT._lock)
        self.assertEqual((record["name"], record["qualname"]), ("AUDIT", "bank.AUDIT"))
        self.assertEqual(record["created"]["line"], 33)

    def test_lock_wrapper_in_a_local_keeps_the_wrappers_name(self):
        guard = import_source(self.report_dir, "bank", BANK).local_guard()
        self.assertEqual(describe(guard._lock)["name"], "Guard._lock")

    def test_context_manager_not_using_its_lock_keeps_its_own_name(self):
        record = describe(import_source(self.report_dir, "bank", BANK).Bank().session._lock)
        self.assertEqual(record["name"], "Session._lock")
        self.assertEqual(record["created"]["line"], 17)

    def test_thread_subclass_is_named_where_it_is_stored(self):
        mill = import_source(self.report_dir, "mill", MILL)
        made = mill.Mill()
        for thread, attr in ((made.worker, "worker"), (made.night, "night"), (made.plain, "plain")):
            record = describe(started_lock(thread))
            self.assertEqual((record["name"], record["qualname"]), ("Mill." + attr, "mill.Mill." + attr))
        self.assertEqual(describe(started_lock(made.worker))["created"]["line"], 21)
        self.assertEqual(describe(made.gate._permits)["name"], "Mill.gate")

    def test_thread_subclass_stored_nowhere_keeps_its_site(self):
        mill = import_source(self.report_dir, "mill", MILL)
        mill.Mill()
        self.assertEqual(describe(started_lock(mill.handed_on()))["name"], "Lock@mill.py:6")

    def test_unnamed_lock_falls_back_to_site(self):
        locks = [threading.Lock()]
        self.assertEqual(describe(locks[0])["name"],
                         "Lock@test_lock_identity.py:%d" % locks[0].site[1])

    def test_ids_are_unique_per_instance(self):
        ids = {threading.Lock().lock_id for _ in range(50)}
        self.assertEqual(len(ids), 50)

    def test_module_lock_from_before_install_is_untouched(self):
        self.assertFalse(hasattr(module_lock, "lock_id"))


if __name__ == "__main__":
    unittest.main()
