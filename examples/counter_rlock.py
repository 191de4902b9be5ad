"""The counter from counter_lock.py with a class-level `threading.RLock`: no deadlock.

An RLock may be taken again by the thread that holds it, so `decr()` can call `incr()`
while holding it. `lockorder check` reports nothing here.
"""
import threading


class Counter:
    _lock = threading.RLock()

    def __init__(self):
        self.value = 0

    def incr(self, n=1):
        with self._lock:
            self.value += n

    def decr(self, n=1):
        with self._lock:
            self.incr(-n)


def main():
    counter = Counter()
    counter.incr()
    counter.incr()
    counter.decr()
    print(f"value = {counter.value}")


if __name__ == "__main__":
    main()
