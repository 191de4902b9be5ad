"""Takes the locks of locks.py in the other order: b_lock, then a_lock. With locks.py: LO101."""
from locks import a_lock, b_lock, queue


def consume():
    with b_lock:
        with a_lock:
            return queue.pop()
