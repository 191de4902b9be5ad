"""Hover shapes: a lock never nested with another, an RLock re-entered, a family nested in itself."""
import threading

lonely_lock = threading.Lock()
re_lock = threading.RLock()
forks = [threading.Lock() for _ in range(5)]


def touch():
    with lonely_lock:
        pass


def outer():
    with re_lock:
        inner()


def inner():
    with re_lock:
        pass


def eat(i):
    with forks[i]:
        with forks[(i + 1) % 5]:
            pass
