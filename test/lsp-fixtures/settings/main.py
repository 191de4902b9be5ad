"""One inversion (LO101) in a file the settings never exclude."""
import threading

p_lock = threading.Lock()
q_lock = threading.Lock()


def one():
    with p_lock:
        with q_lock:
            pass


def two():
    with q_lock:
        with p_lock:
            pass
