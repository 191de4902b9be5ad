"""The locks, and one order: first a_lock, then b_lock. With jobs.py: LO101."""
import threading

a_lock = threading.Lock()
b_lock = threading.Lock()
queue = []


def produce(item):
    with a_lock:
        with b_lock:
            queue.append(item)
