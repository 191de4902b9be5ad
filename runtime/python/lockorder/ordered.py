"""``lockorder.acquire(*locks, timeout=None)``: take several locks in one global order.

A lock's rank comes from a monotonic counter when the runtime first sees it
(instrumented locks: at creation), never from ``id()``.  A lock declared in
the order file (``lockorder.order``) ranks by its declared position instead,
below every undeclared lock.  Each thread keeps a list of what it took this
way; a nested acquire of a lock ranked at or below one already held raises
LockOrderViolation (reported as LO106 when the file declares the new lock
before the held one, else LO103), except re-entering an RLock the thread
already holds.
"""

import dis
import sys
import threading
import weakref
from time import monotonic

from . import order_file, tracker
from .errors import AcquireTimeout, LockOrderViolation
from .instrumented import InstrumentedLock, InstrumentedRLock

_plans = {}        # argument tuple -> plan (see make_plan)
_PLAN_LIMIT = 4096
_by_key = {}       # id(lock) -> (rank, weakref or the lock itself); see rank_of
_tls = threading.local()
_getframe = sys._getframe
_REENTRANT_TYPES = {InstrumentedRLock, type(threading._CRLock()) if threading._CRLock else None,
                    threading._PyRLock}


def rank_of(lock):
    """The lock's rank: stable for the lock's lifetime, first seen = lowest.

    Ranks come from the runtime's monotonic counter.  ``id()`` is only the key
    of a cache entry that a weakref callback deletes when the lock is
    collected, before its address can be reused, so it never decides a rank.
    """
    kind = type(lock)
    if kind is InstrumentedLock or kind is InstrumentedRLock:
        if order_file.current is not None:
            declared = order_file.declared_rank(lock)
            if declared is not None:
                return declared
        return lock.lock_id
    entry = _by_key.get(id(lock))
    if entry is not None:
        return entry[0]
    return _new_rank(lock)


def _new_rank(lock):
    """Give a lock seen for the first time the next rank."""
    inner = getattr(lock, "_lock", None) if isinstance(lock, threading.Condition) else None
    if inner is not None:
        rank = rank_of(inner)       # a Condition is ordered as the lock it wraps
    else:
        rank = tracker.next_lock_id()
    key = id(lock)
    try:
        keeper = weakref.ref(lock, lambda _ref, key=key: _by_key.pop(key, None))
    except TypeError:
        keeper = lock                # cannot be weakly referenced: keep it alive
    _by_key[key] = (rank, keeper)
    return rank


def is_reentrant(lock):
    """True for RLocks and Conditions built on one."""
    if type(lock) in _REENTRANT_TYPES:
        return True
    if isinstance(lock, threading.Condition):
        return type(getattr(lock, "_lock", None)) in _REENTRANT_TYPES
    return False


def held_entries():
    """This thread's list of (top rank, plan, frame, lasti): one entry per acquire() block."""
    try:
        return _tls.held
    except AttributeError:
        _tls.held = held = []
        return held


def acquire(*locks, timeout=None):
    """Context manager that takes ``locks`` in global rank order and releases them in reverse.

    With ``timeout`` (seconds) it raises AcquireTimeout, holding nothing, if
    the locks cannot all be taken in time.  Nested use that would take a lock
    ranked at or below one already held raises LockOrderViolation.
    """
    plan = _plans.get(locks)
    if plan is None:
        plan = make_plan(locks)
    if timeout is None:
        return plan
    return _TimedAcquire(plan, timeout)


class Plan:
    """The locks of one ``acquire(...)`` call in rank order; itself the context manager.

    It keeps no per-use state (that lives in the thread's held list), so one
    plan serves every thread and nesting level.
    """

    __slots__ = ("ranked", "locks", "backwards", "low", "high")

    def __init__(self, ranked):
        self.ranked = ranked                       # ((rank, lock), ...) ascending
        self.locks = tuple(lock for _, lock in ranked)
        self.backwards = self.locks[::-1]
        self.low = ranked[0][0]
        self.high = ranked[-1][0]

    def __enter__(self):
        try:
            held = _tls.held
        except AttributeError:
            held = held_entries()
        frame = _getframe(1)
        if held:
            top = held[-1][0]
            if self.low <= top:
                _check_order(held, self, frame, frame.f_lasti)
            if top < self.high:
                top = self.high
        else:
            top = self.high
        count = 0
        try:
            for lock in self.locks:
                lock.__enter__()           # = acquire(), with less argument handling
                count += 1
        except BaseException:
            _release_all(self.locks[:count][::-1])
            raise
        held.append((top, self, frame, frame.f_lasti))
        return self

    def __exit__(self, *exc):
        _tls.held.pop()
        done = 0
        backwards = self.backwards
        try:
            for lock in backwards:
                lock.release()
                done += 1
        except BaseException:
            _release_all(backwards[done + 1:])
            raise
        return False


class _TimedAcquire:
    """``acquire(..., timeout=T)``: like Plan, but gives up (holding nothing) after T seconds."""

    __slots__ = ("_plan", "_timeout")

    def __init__(self, plan, timeout):
        if timeout < 0:
            raise ValueError("timeout must be None or >= 0, got %r" % (timeout,))
        self._plan = plan
        self._timeout = timeout

    def __enter__(self):
        plan = self._plan
        held = held_entries()
        frame = _getframe(1)
        top = held[-1][0] if held else 0
        if held and plan.low <= top:
            _check_order(held, plan, frame, frame.f_lasti)
        deadline = monotonic() + self._timeout
        taken = []
        for lock in plan.locks:
            if not lock.acquire(True, max(0.0, deadline - monotonic())):
                _release_all(taken[::-1])
                raise AcquireTimeout("lockorder.acquire: timed out after %ss waiting for %s"
                                     % (self._timeout, _lock_name(lock)))
            taken.append(lock)
        held.append((max(top, plan.high), plan, frame, frame.f_lasti))
        return self

    def __exit__(self, *exc):
        return self._plan.__exit__(*exc)


def forget_plans():
    """Drop cached plans (ranks change when another order file is loaded)."""
    _plans.clear()


def make_plan(locks):
    """The Plan for an argument tuple, cached.

    The cache is emptied when it reaches _PLAN_LIMIT entries, so memory stays
    bounded; a cached plan holds its locks, so their ranks stay valid.
    """
    if not locks:
        raise TypeError("lockorder.acquire() needs at least one lock")
    plan = Plan(tuple(sorted({rank_of(l): l for l in locks}.items())))
    if len(_plans) >= _PLAN_LIMIT:
        _plans.clear()
    _plans[locks] = plan
    return plan


def _release_all(locks):
    """Release each lock in the given order; every release is attempted."""
    error = None
    for lock in locks:
        try:
            lock.release()
        except BaseException as exc:
            error = exc
    if error is not None:
        raise error


def line_of(frame, lasti):
    """Source line of the instruction at byte offset ``lasti`` in ``frame``'s code."""
    line = frame.f_code.co_firstlineno
    for offset, start in dis.findlinestarts(frame.f_code):
        if offset > lasti:
            break
        if start is not None:
            line = start
    return line


def _check_order(held, plan, frame, lasti):
    """Raise (and report LO103) unless every lock of ``plan`` ranks above all held ones.

    A re-entrant lock this thread already holds may be taken again.
    """
    top = held[-1][0]
    for rank, lock in plan.ranked:
        if rank > top:
            return
        if is_reentrant(lock) and any(lock in entry[1].locks for entry in held):
            continue
        holder = _holder_of(held, top)
        _violation((rank, lock), holder,
                   (frame.f_code.co_filename, line_of(frame, lasti), frame.f_code.co_name))


def _holder_of(held, top):
    """(rank, lock, frame, lasti) of the held lock with rank ``top``."""
    for entry in reversed(held):
        for rank, lock in entry[1].ranked:
            if rank == top:
                return rank, lock, entry[2], entry[3]
    entry = held[-1]
    return entry[1].ranked[-1] + (entry[2], entry[3])


def _violation(new, holder, site):
    """Report LO103 (LO106 against the order file) and raise LockOrderViolation."""
    rank, lock = new
    top_rank, top_lock, top_frame, top_lasti = holder
    top_site = (top_frame.f_code.co_filename, line_of(top_frame, top_lasti),
                top_frame.f_code.co_name)
    declared = _declared_conflict(top_lock, lock)
    if declared is None:
        message = ("Lock order violation: acquiring %s (%s) at %s:%d in %s while holding "
                   "%s (%s) acquired at %s:%d in %s" % (
                       _lock_name(lock), _rank_text(rank), site[0], site[1], site[2],
                       _lock_name(top_lock), _rank_text(top_rank), top_site[0], top_site[1],
                       top_site[2]))
    else:
        message = ("Declared order violation: acquiring %s at %s:%d in %s while holding "
                   "%s acquired at %s:%d in %s; %s" % (
                       _lock_name(lock), site[0], site[1], site[2],
                       _lock_name(top_lock), top_site[0], top_site[1], top_site[2],
                       order_file.describe(declared[0], declared[1],
                                           order_file.qualname_of(_inner(top_lock)),
                                           order_file.qualname_of(_inner(lock)), declared[2])))
    if tracker.state.enabled:
        _report(lock, rank, top_lock, top_rank, top_site, site, message, declared)
    raise LockOrderViolation(message)


def _rank_text(rank):
    """"rank 7", or "declared" for a rank from the order file."""
    return "rank %d" % rank if rank > 0 else "declared rank"


def _declared_conflict(held, lock):
    """(kind, line, detail) when the order file declares ``lock`` before ``held``, else None."""
    held, lock = _inner(held), _inner(lock)
    if order_file.current is None or getattr(held, "site", None) is None \
            or getattr(lock, "site", None) is None:
        return None
    found = order_file.conflict(held, lock)
    return found if found is not None and found[0] == "order" else None


def _inner(lock):
    """A Condition is ordered as the lock it wraps."""
    return getattr(lock, "_lock", lock) if isinstance(lock, threading.Condition) else lock


def _report(lock, rank, top_lock, top_rank, top_site, site, message, declared=None):
    """Write the LO103 record (once per pair of locks and call site), or LO106 (once per pair)."""
    from . import stacks
    locks = [_describe(top_lock, top_rank), _describe(lock, rank)]
    edges = [{"from": top_rank, "to": top_rank, "thread": tracker.thread_name(),
              "stack": [stacks.frame_record(*top_site)], "role": "held"},
             {"from": top_rank, "to": rank, "thread": tracker.thread_name(),
              "stack": stacks.capture(_getframe(0), tracker.state.options.stack_depth),
              "role": "acquire"}]
    if declared is not None:
        names = [order_file.qualname_of(_inner(top_lock)), order_file.qualname_of(_inner(lock))]
        extra = {"order_file": {"path": order_file.current.path, "line": declared[1]},
                 "declared": declared[0]}
        tracker.report("LO106", message, locks, ("LO106", names[0], names[1]), edges=edges,
                       extra=extra)
        return
    key = ("LO103", top_rank, rank, site[0], site[1])
    tracker.report("LO103", message, locks, key, edges=edges)


def _describe(lock, rank):
    """JSON description of any lock object under its rank."""
    site = getattr(lock, "site", None)
    if site is not None:
        tracker.lock_seen(lock.lock_id, lock.kind, site)
        return tracker.describe_lock(lock.lock_id)
    kind = {"lock": "Lock"}.get(type(lock).__name__, type(lock).__name__)
    return {"id": rank, "name": "%s#%d" % (kind, rank), "kind": kind}


def _lock_name(lock):
    """Human name of a lock for messages."""
    return _describe(lock, rank_of(lock))["name"]
