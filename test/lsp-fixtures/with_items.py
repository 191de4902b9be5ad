"""One `with a, b:` takes the locks in the reverse of the order used elsewhere: LO101."""
import threading

a_lock = threading.Lock()
b_lock = threading.Lock()
log = []


def first():
    with a_lock:
        with b_lock:
            log.append("first")


def second():
    with b_lock, a_lock:
        log.append("second")
