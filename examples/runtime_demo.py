"""Runtime demo: two threads take two module-level locks in opposite orders.

The threads run one after the other, so the program never hangs, but the
order inversion is a real deadlock risk.  Run it under the recorder:

    PYTHONPATH=runtime/python python3 -m lockorder run --report-dir /tmp/x examples/runtime_demo.py
"""

import threading

accounts_lock = threading.Lock()
audit_lock = threading.Lock()


def transfer():
    """Takes accounts_lock, then audit_lock."""
    with accounts_lock:
        with audit_lock:
            print("transfer: recorded")


def report():
    """Takes audit_lock, then accounts_lock: the opposite order."""
    with audit_lock:
        with accounts_lock:
            print("report: balances read")


def main():
    """Run the two threads one after the other."""
    for target in (transfer, report):
        worker = threading.Thread(target=target, name=target.__name__)
        worker.start()
        worker.join()


if __name__ == "__main__":
    main()
