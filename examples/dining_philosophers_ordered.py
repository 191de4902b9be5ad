"""Dining philosophers, fixed: each philosopher takes both chopsticks with
`lockorder.acquire(left, right)`.

`acquire()` takes a group of locks in one global order, whatever order they are passed
in, so two philosophers never hold each other's next chopstick: the ring cannot close.
`lockorder check` reports nothing here, and every run finishes.

The `lockorder` package lives in runtime/python of this repository; the path is added
below so the example runs from a checkout.
"""
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "runtime" / "python"))

from lockorder import acquire  # noqa: E402

SEATS = 5
chopsticks = [threading.Lock() for _ in range(SEATS)]
fed = []


def philosopher(seat):
    left = chopsticks[seat]
    right = chopsticks[(seat + 1) % SEATS]
    with acquire(left, right):
        time.sleep(0.01)
        fed.append(seat)


def main():
    threads = [threading.Thread(target=philosopher, args=(seat,)) for seat in range(SEATS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(f"all {len(fed)} philosophers ate")


if __name__ == "__main__":
    main()
