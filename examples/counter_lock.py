"""A counter that deadlocks with itself: `decr()` calls `incr()` while holding the lock.

`Counter._lock` is a class-level `threading.Lock`, which is not re-entrant. `decr()`
holds it and calls `self.incr()`, which asks for the same lock again, so the thread waits
for itself forever. `lockorder check` reports LO102 (self-deadlock) at the `self.incr(-n)`
call. counter_rlock.py is the same code with an RLock, which is fine.

Running the file calls `decr()` in a daemon thread and gives up after half a second.
"""
import threading


class Counter:
    _lock = threading.Lock()

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
    worker = threading.Thread(target=counter.decr, daemon=True)
    worker.start()
    worker.join(timeout=0.5)
    if worker.is_alive():
        print("deadlock: decr() waits for the lock it already holds")
    else:
        print(f"value = {counter.value}")


if __name__ == "__main__":
    main()
