"""Two functions take x_lock and y_lock in opposite orders: one LO101 (a cycle of two sites)."""
import threading

x_lock = threading.Lock()
y_lock = threading.Lock()
balance = {"a": 0, "b": 0}


def transfer(amount):
    with x_lock:
        with y_lock:
            balance["a"] -= amount
            balance["b"] += amount


def refund(amount):
    with y_lock:
        with x_lock:
            balance["b"] -= amount
            balance["a"] += amount
