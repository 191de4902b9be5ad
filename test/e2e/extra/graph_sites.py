"""Two functions take journal_lock while holding index_lock: one edge with two sites."""
import threading

index_lock = threading.Lock()
journal_lock = threading.Lock()


def append():
    with index_lock:
        with journal_lock:
            pass


def compact():
    with index_lock:
        with journal_lock:
            pass
