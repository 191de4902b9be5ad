"""refund() does work under y_lock before taking x_lock: LO101, and merging the two `with`s
into one `with acquire(...)` would hold x_lock longer, so that fix is unsafe."""
import threading

x_lock = threading.Lock()
y_lock = threading.Lock()
audit = []


def transfer():
    with x_lock:
        with y_lock:
            audit.append("transfer")


def refund():
    with y_lock:
        audit.append("refund started")
        with x_lock:
            audit.append("refund")
