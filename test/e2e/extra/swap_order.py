"""Two functions taking two locks in opposite orders (LO101), for the swap-order fix.

"Take `ledger_lock` before `audit_lock`, as `record` does" swaps the two headers in review().
Copied into the workspace by the scenario that uses it, so its finding does not crowd the
Problems panel of the others.
"""
import threading

ledger_lock = threading.Lock()
audit_lock = threading.Lock()
entries = []


def record(entry):
    with ledger_lock:
        with audit_lock:
            entries.append(entry)


def review():
    with audit_lock:  # the audit trail first
        with ledger_lock:
            return list(entries)
