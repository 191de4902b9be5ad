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


def import_shop(directory):
    """Write shop.py into ``directory`` and import it under the name 'shop'."""
    path = os.path.join(directory, "shop.py")
    with open(path, "w") as handle:
        handle.write(SHOP)
    spec = importlib.util.spec_from_file_location("shop", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


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
