"""Exceptions raised by the lockorder runtime."""


class LockOrderViolation(RuntimeError):
    """A lock was taken against the established or required order."""


class DeadlockError(RuntimeError):
    """The watchdog found this thread in a waits-for cycle (``--raise`` mode)."""


class AcquireTimeout(TimeoutError):
    """``lockorder.acquire(..., timeout=...)`` could not take every lock in time."""
