"""``threading.Semaphore(1)`` and ``BoundedSemaphore(1)`` recorded as the mutexes they are.

A semaphore made with the value 1 is a lock in all but name: its holds give
lock-order edges, and a cycle through one is an LO101 like any other.  While
recording is on, ``threading.Semaphore`` / ``BoundedSemaphore`` are these
subclasses: with value 1 they acquire and release an instrumented lock (kind
"Semaphore" or "BoundedSemaphore", named where the semaphore is created);
with any other value they are the standard ones.  A plain Semaphore(1)
released more often than acquired is no mutex any more: it then counts as
the standard one would, and is no longer recorded.
"""

import sys
import threading

from .instrumented import InstrumentedLock

_getframe = sys._getframe
_new = object.__new__
original = {"Semaphore": threading.Semaphore, "BoundedSemaphore": threading.BoundedSemaphore}


class SemaphoreLock(InstrumentedLock):
    """The instrumented lock inside a Semaphore(1)."""

    __slots__ = ()
    kind = "Semaphore"


class BoundedSemaphoreLock(InstrumentedLock):
    """The instrumented lock inside a BoundedSemaphore(1)."""

    __slots__ = ()
    kind = "BoundedSemaphore"


class _MutexMixin:
    """acquire/release through ``self._mutex`` while the semaphore is a mutex."""

    _mutex = None

    def _make_mutex(self, value, kind, frame):
        """Give a semaphore of value 1 its instrumented lock."""
        if value == 1:
            mutex = _new(kind)
            mutex._setup(frame)
            self._mutex = mutex

    def acquire(self, blocking=True, timeout=None):
        """Acquire like the standard semaphore; returns True when taken."""
        mutex = self._mutex
        if mutex is None:
            return super().acquire(blocking, timeout)
        if not blocking and timeout is not None:
            raise ValueError("can't specify timeout for non-blocking acquire")
        if not blocking:
            taken = mutex.acquire(False)
        else:
            taken = mutex.acquire(True, -1 if timeout is None else max(0.0, timeout))
        if taken:
            self._value = 0
        return taken

    __enter__ = acquire

    def release(self, n=1):
        """Release like the standard semaphore."""
        mutex = self._mutex
        if mutex is None:   # (Python 3.8's release takes no count: pass one only when given)
            return super().release() if n == 1 else super().release(n)
        if n < 1:
            raise ValueError("n must be one or more")
        if n == 1 and mutex.locked():
            self._value = 1
            mutex.release()
            return None
        return self._over_release(mutex, n)

    def __exit__(self, t, v, tb):
        self.release()

    def _over_release(self, mutex, n):
        """More releases than acquires: an error if bounded, else a counting semaphore from now on."""
        if isinstance(self, original["BoundedSemaphore"]):
            raise ValueError("Semaphore released too many times")
        with self._cond:
            count = (0 if mutex.locked() else 1) + n
            if mutex.locked():
                mutex.release()
            self._mutex = None
            self._value = count
            self._cond.notify(n)
        return None


class Semaphore(_MutexMixin, original["Semaphore"]):
    """``threading.Semaphore`` whose value-1 instances are recorded as locks."""

    def __init__(self, value=1):
        original["Semaphore"].__init__(self, value)
        self._make_mutex(value, SemaphoreLock, _getframe(1))


class BoundedSemaphore(Semaphore, original["BoundedSemaphore"]):
    """``threading.BoundedSemaphore`` whose value-1 instances are recorded as locks."""

    def __init__(self, value=1):
        original["BoundedSemaphore"].__init__(self, value)
        self._make_mutex(value, BoundedSemaphoreLock, _getframe(1))


Semaphore.__module__ = BoundedSemaphore.__module__ = "threading"
