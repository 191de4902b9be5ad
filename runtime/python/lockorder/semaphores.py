"""Every ``threading.Semaphore`` / ``BoundedSemaphore`` recorded as one lock: its permits.

While recording is on, ``threading.Semaphore`` / ``BoundedSemaphore`` are these
subclasses.  Each semaphore is one recorded lock (kind "Semaphore" or
"BoundedSemaphore", named where the semaphore is created); the Condition and
lock inside it are an implementation detail, built on a raw lock that is never
recorded, so they are no lock of their own in the graph or a report.

- A blocking acquire (no timeout, or a positive one: it waits, as a timed
  ``Lock.acquire`` does, which also gives edges) records an edge from each held
  lock to the semaphore.
- A try-acquire (``blocking=False``, ``timeout=0`` or less) waits for nothing,
  so it orders nothing and records no edge (as lockdep treats a trylock).
- A semaphore made with the value 1 is a mutex: it acquires and releases an
  instrumented lock, which goes on the held stack like a Lock, so the locks
  taken while it is held are ordered after it and a cycle through it is an
  LO101.  A plain Semaphore(1) released more often than acquired is no mutex
  any more: it then counts as the standard one would (below).
- Any other semaphore (value 0, or more than 1) counts permits.  A permit it
  hands out is not put on the held stack: a permit has no owner (another
  thread often releases it: ``ThreadPoolExecutor._idle_semaphore`` is taken
  in ``submit`` and given back by a worker), so ordering every later acquire
  of the taking thread after it would invent edges.  A thread blocked on one
  is a wait the watchdog knows of ("Semaphore.acquire", ended by any thread).
"""

import sys
import threading
from _thread import allocate_lock as _allocate_lock

from . import held_locks, tracker
from .instrumented import InstrumentedLock

_getframe = sys._getframe
_new = object.__new__
_tls = held_locks._tls
_new_edges = tracker.new_edges
_WINDOW = tracker.EDGE_WINDOW
_Condition = threading.Condition
original = {"Semaphore": threading.Semaphore, "BoundedSemaphore": threading.BoundedSemaphore}


class SemaphoreLock(InstrumentedLock):
    """The recorded lock of a Semaphore (taken and released only while it is a mutex)."""

    __slots__ = ()
    kind = "Semaphore"


class BoundedSemaphoreLock(InstrumentedLock):
    """The recorded lock of a BoundedSemaphore (taken and released only while it is a mutex)."""

    __slots__ = ()
    kind = "BoundedSemaphore"


def _order_after_held(permits, frame):
    """A blocking acquire of a counting semaphore: edges from the held locks to it."""
    held = getattr(_tls, "held", None)
    if held:
        my_id = permits.lock_id
        for h in (held[-_WINDOW:] if len(held) > _WINDOW else held):
            after = h._after
            if after is None or my_id not in after:
                _new_edges(held, permits, frame)
                break


class _RecordedMixin:
    """acquire/release recording the semaphore as one lock (through ``self._mutex`` while a mutex)."""

    _mutex = None       # the instrumented lock of a semaphore of one, while it is a mutex
    _permits = None     # the recorded lock standing for the semaphore (the mutex, if any)

    def _make_locks(self, value, kind, frame):
        """Give the semaphore its recorded lock, and an unrecorded inner Condition."""
        self._cond = _Condition(_allocate_lock())
        permits = _new(kind)
        permits._setup(frame)
        self._permits = permits
        if value == 1:
            self._mutex = permits

    def acquire(self, blocking=True, timeout=None):
        """Acquire like the standard semaphore; returns True when taken."""
        tries = not blocking or (timeout is not None and timeout <= 0)
        mutex = self._mutex
        if mutex is None:
            if not tries and self._permits is not None:
                _order_after_held(self._permits, _getframe(1))
            return super().acquire(blocking, timeout)
        if not blocking and timeout is not None:
            raise ValueError("can't specify timeout for non-blocking acquire")
        if tries:
            taken = mutex.acquire(False)
        else:
            taken = mutex.acquire(True, -1 if timeout is None else timeout)
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


class Semaphore(_RecordedMixin, original["Semaphore"]):
    """``threading.Semaphore`` recorded as one lock (a mutex when made with the value 1)."""

    def __init__(self, value=1):
        original["Semaphore"].__init__(self, value)
        if not isinstance(self, original["BoundedSemaphore"]):   # (its __init__ calls this one)
            self._make_locks(value, SemaphoreLock, _getframe(1))


class BoundedSemaphore(Semaphore, original["BoundedSemaphore"]):
    """``threading.BoundedSemaphore`` recorded as one lock (a mutex when made with the value 1)."""

    def __init__(self, value=1):
        original["BoundedSemaphore"].__init__(self, value)
        self._make_locks(value, BoundedSemaphoreLock, _getframe(1))


Semaphore.__module__ = BoundedSemaphore.__module__ = "threading"
