"""A small shop: orders and stock locks nested both ways (a cycle), and an audit lock after both."""
import threading

orders_lock = threading.Lock()
stock_lock = threading.Lock()
audit_lock = threading.Lock()


def place_order():
    with orders_lock:
        with stock_lock:
            with audit_lock:
                pass


def restock():
    with stock_lock:
        with orders_lock:
            pass
