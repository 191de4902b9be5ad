"""One LO102 with a safe fix (Lock -> RLock) and one LO101 whose only fix is unsafe: fix-all
must change the first and leave the second."""
import threading

x_lock = threading.Lock()
y_lock = threading.Lock()
audit = []


class Counter:
    _lock = threading.Lock()

    def __init__(self):
        self.value = 0

    def incr(self):
        with self._lock:
            self.value += 1

    def decr(self):
        with self._lock:
            self.value -= 1
            self.incr()


def transfer():
    with x_lock:
        with y_lock:
            audit.append("transfer")


def refund():
    with y_lock:
        audit.append("refund started")
        with x_lock:
            audit.append("refund")
