"""``lockorder.acquire(*locks, timeout=None)``: take several locks in one global order.

A lock's rank comes from a monotonic counter when the runtime first sees it
(instrumented locks: at creation), never from ``id()``.  Each thread keeps a
list of what it took this way; a nested acquire of a lock ranked at or below
one already held raises LockOrderViolation (and is reported as LO103), except
re-entering an RLock the thread already holds.
"""

import sys
import threading
import weakref
from time import monotonic

from . import tracker
from .errors import AcquireTimeout, LockOrderViolation
from .instrumented import InstrumentedLock, InstrumentedRLock

_ranks = weakref.WeakKeyDictionary()
_rank_data = _ranks.data
_ref = weakref.ref
_pinned = {}       # objects that cannot be weakly referenced: kept alive, ranked once
_tls = threading.local()
_getframe = sys._getframe
_REENTRANT_TYPES = {InstrumentedRLock, type(threading._CRLock()) if threading._CRLock else None,
                    threading._PyRLock}


def rank_of(lock):
    """The lock's rank: stable for the lock's lifetime, first seen = lowest."""
    kind = type(lock)
    if kind is InstrumentedLock or kind is InstrumentedRLock:
        return lock.lock_id
    try:
        rank = _rank_data.get(_ref(lock))
    except TypeError:
        rank = _pinned.get(lock)
    if rank is None:
        rank = _new_rank(lock)
    return rank


def _new_rank(lock):
    """Give a lock seen for the first time the next rank."""
    inner = getattr(lock, "_lock", None) if isinstance(lock, threading.Condition) else None
    if inner is not None:
        rank = rank_of(inner)       # a Condition is ordered as the lock it wraps
    else:
        rank = tracker.next_lock_id()
    try:
        _ranks[lock] = rank
    except TypeError:
        _pinned[lock] = rank
    return rank


def is_reentrant(lock):
    """True for RLocks and Conditions built on one."""
    if type(lock) in _REENTRANT_TYPES:
        return True
    if isinstance(lock, threading.Condition):
        return type(getattr(lock, "_lock", None)) in _REENTRANT_TYPES
    return False


def held_entries():
    """This thread's list of (rank, lock, site) taken through acquire()."""
    try:
        return _tls.held
    except AttributeError:
        _tls.held = held = []
        return held


class acquire:
    """Context manager taking ``locks`` in global rank order; see module doc."""

    __slots__ = ("_locks", "_timeout", "_taken")

    def __init__(self, *locks, timeout=None):
        if not locks:
            raise TypeError("lockorder.acquire() needs at least one lock")
        if timeout is not None and timeout < 0:
            raise ValueError("timeout must be None or >= 0, got %r" % (timeout,))
        self._locks = locks
        self._timeout = timeout
        self._taken = None

    def __enter__(self):
        held = held_entries()
        frame = _getframe(1)
        site = (frame.f_code.co_filename, frame.f_lineno, frame.f_code.co_name)
        if len(self._locks) == 1:
            lock = self._locks[0]
            todo = [(rank_of(lock), lock)]
        else:
            todo = sorted({rank_of(l): l for l in self._locks}.items())
        if held:
            _check_order(held, todo, site)
        deadline = None if self._timeout is None else monotonic() + self._timeout
        taken = []
        try:
            for rank, lock in todo:
                if deadline is None:
                    lock.acquire()
                elif not lock.acquire(True, max(0.0, deadline - monotonic())):
                    raise AcquireTimeout("lockorder.acquire: timed out after %ss waiting for %s"
                                         % (self._timeout, _lock_name(lock)))
                taken.append((rank, lock, site))
        except BaseException:
            _release_all(taken)
            raise
        held.extend(taken)
        self._taken = taken
        return self

    def __exit__(self, *exc):
        taken = self._taken
        self._taken = None
        held = held_entries()
        del held[len(held) - len(taken):]
        _release_all(taken)
        return False


def _release_all(taken):
    """Release in reverse order; every release is attempted."""
    error = None
    for _rank, lock, _site in reversed(taken):
        try:
            lock.release()
        except BaseException as exc:
            error = exc
    if error is not None:
        raise error


def _check_order(held, todo, site):
    """Raise (and report LO103) if ``todo`` starts at or below the highest held rank."""
    top_rank, top_lock, top_site = max(held, key=lambda e: e[0])
    for rank, lock in todo:
        if rank > top_rank:
            return
        if is_reentrant(lock) and any(e[1] is lock for e in held):
            continue
        _violation(held, (rank, lock), (top_rank, top_lock, top_site), site)


def _violation(held, new, top, site):
    """Report LO103 and raise LockOrderViolation."""
    rank, lock = new
    top_rank, top_lock, top_site = top
    message = ("Lock order violation: acquiring %s (rank %d) at %s:%d in %s while holding "
               "%s (rank %d) acquired at %s:%d in %s" % (
                   _lock_name(lock), rank, site[0], site[1], site[2],
                   _lock_name(top_lock), top_rank, top_site[0], top_site[1], top_site[2]))
    if tracker.state.enabled:
        _report(lock, rank, top_lock, top_rank, top_site, site, message)
    raise LockOrderViolation(message)


def _report(lock, rank, top_lock, top_rank, top_site, site, message):
    """Write the LO103 record (once per pair of locks and call site)."""
    from . import stacks
    locks = [_describe(top_lock, top_rank), _describe(lock, rank)]
    edges = [{"from": top_rank, "to": top_rank, "thread": tracker.thread_name(),
              "stack": [stacks.frame_record(*top_site)], "role": "held"},
             {"from": top_rank, "to": rank, "thread": tracker.thread_name(),
              "stack": stacks.capture(_getframe(3), tracker.state.options.stack_depth),
              "role": "acquire"}]
    key = ("LO103", top_rank, rank, site[0], site[1])
    tracker.report("LO103", message, locks, key, edges=edges)


def _describe(lock, rank):
    """JSON description of any lock object under its rank."""
    site = getattr(lock, "site", None)
    if site is not None:
        tracker.lock_seen(lock.lock_id, lock.kind, site)
        return tracker.describe_lock(lock.lock_id)
    return {"id": rank, "name": "%s#%d" % (type(lock).__name__, rank),
            "kind": type(lock).__name__}


def _lock_name(lock):
    """Human name of a lock for messages."""
    return _describe(lock, rank_of(lock))["name"]
