"""Editor tests: run by "Run Tests with Lock-Order Checking" (pytest with the lockorder plugin).
The test takes two locks in opposite orders in two threads, one after the other (each is joined
before the next starts, so it never hangs). The locks are reached through a dict, so the static
analysis does not see the inversion: only the test run finds it."""
import threading


def take(locks, first, second):
    with locks[first]:
        with locks[second]:
            pass


def test_opposite_orders():
    locks = {}
    locks["debit"] = threading.Lock()
    locks["credit"] = threading.Lock()
    for first, second in (("debit", "credit"), ("credit", "debit")):
        worker = threading.Thread(target=take, args=(locks, first, second), name=f"{first}-first")
        worker.start()
        worker.join()
