"""A shop whose declared order puts db_lock before cache_lock; refill() breaks it."""
import threading

db_lock = threading.Lock()
cache_lock = threading.Lock()
audit_lock = threading.Lock()


def save():
    with db_lock:
        with cache_lock:
            pass


def refill():
    with cache_lock:
        with db_lock:
            pass
