"""A half-typed file: the inversion above the broken function must still be reported (LO101)."""
import threading

x_lock = threading.Lock()
y_lock = threading.Lock()


def transfer():
    with x_lock:
        with y_lock:
            pass


def refund():
    with y_lock:
        with x_lock:
            pass


def broken(amount:
    with x_lock
        if amount >
