"""Editor tests: transfer() and refund() take the two account locks in opposite orders (LO101)."""
import threading

from_lock = threading.Lock()
to_lock = threading.Lock()
balances = {"from": 100, "to": 0}


def transfer(amount):
    with from_lock:
        with to_lock:
            balances["from"] -= amount
            balances["to"] += amount


def refund(amount):
    with to_lock:
        with from_lock:
            balances["to"] -= amount
            balances["from"] += amount
