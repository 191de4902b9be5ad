"""Editor tests: pay() and refund() take the two wallet locks in opposite orders (LO101). Its
merge fix adds `from lockorder import acquire`, so the install offer comes with it."""
import threading

cash_lock = threading.Lock()
card_lock = threading.Lock()
totals = {"cash": 0, "card": 0}


def pay(amount):
    with cash_lock:
        with card_lock:
            totals["cash"] -= amount
            totals["card"] += amount


def refund(amount):
    with card_lock:
        with cash_lock:
            totals["card"] -= amount
            totals["cash"] += amount
