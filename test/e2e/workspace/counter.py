"""Editor tests: decr() calls incr() while holding the non-reentrant lock incr() takes (LO102)."""
import threading


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
