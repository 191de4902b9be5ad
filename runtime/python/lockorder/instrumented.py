"""Instrumented drop-in replacements for ``threading.Lock`` and ``threading.RLock``.

The hot path (uncontended acquire, edge already seen) is: find this thread's
held stack, check the cache of seen successors of each of the innermost
``tracker.EDGE_WINDOW`` held locks, try the raw lock, push.  Everything else
(new edge, waiting, self-deadlock) goes to the tracker and watchdog.  Blocking
waits happen in slices so the watchdog can wake them.  A timed acquire
(``timeout`` > 0) waits, so it gives edges like a blocking one; ``timeout=0``
and ``blocking=False`` are tries: they wait for nothing and give no edge, but
the lock, once taken, is held like any other (as lockdep treats a trylock).

``acquire``/``__enter__`` and ``release``/``__exit__`` repeat the same few lines
on purpose, in both classes: shared helpers would add two Python calls to every
``with lock:`` of the user's program (about 6% more per block, measured with
timeit).  A change to one of these copies must be made to all of them.
"""

import sys
from _thread import allocate_lock as _allocate_lock, get_ident as _get_ident

from . import held_locks, order_file, tracker, watchdog
from .lock_identity import creation_site as _creation_site

_tls = held_locks._tls
_current = held_locks.current
_new_edges = tracker.new_edges
_wait = watchdog.wait
_next_id = tracker.next_lock_id
_WINDOW = tracker.EDGE_WINDOW   # only the innermost held locks give edges
_getframe = sys._getframe
TIMEOUT_MAX = __import__("threading").TIMEOUT_MAX


def _check_timeout(timeout):
    """Raise as the raw lock would for a bad timeout."""
    if timeout < 0:
        raise ValueError("timeout value must be a non-negative number")
    if timeout > TIMEOUT_MAX:
        raise OverflowError("timeout value is too large")


def _unlink(held, lock):
    """Remove ``lock`` from a held stack (usually the last entry)."""
    try:
        if held[-1] is lock:
            held.pop()
        else:
            held.remove(lock)
    except (IndexError, ValueError):
        pass


class InstrumentedLock:
    """A ``threading.Lock`` that records the order locks are taken in."""

    __slots__ = ("_inner", "_try", "_rel", "lock_id", "site", "_after",
                 "_held_by", "_frame", "__weakref__")
    kind = "Lock"
    reentrant = False

    def __new__(cls, *args, **kwargs):
        raise TypeError("cannot create '%s.%s' instances" % (cls.__module__, cls.__qualname__))

    def _setup(self, frame):
        """Initialise a new lock made by code running in ``frame``."""
        inner = _allocate_lock()
        self._inner = inner
        self._try = inner.acquire
        self._rel = inner.release
        self.lock_id = _next_id()
        self.site = _creation_site(frame)
        self._after = None       # ids of locks already seen taken after this one
        self._held_by = None     # held stack of the owning thread
        self._frame = None       # frame that acquired it (while held)
        if order_file.owners_wanted:
            order_file.note_owner(self, frame)

    def acquire(self, blocking=True, timeout=-1):
        """Acquire like ``threading.Lock.acquire``; returns True when taken."""
        try:
            held = _tls.held
        except AttributeError:
            held = _current()
        if blocking and timeout != 0:     # (timeout 0: a try, which waits for and orders nothing)
            if timeout != -1:
                _check_timeout(timeout)
            if held:
                my_id = self.lock_id
                for h in (held[-_WINDOW:] if len(held) > _WINDOW else held):
                    after = h._after
                    if after is None or my_id not in after:
                        _new_edges(held, self, _getframe(1))
                        break
            if not self._try(False) and not _wait(self, timeout, held, _getframe(1)):
                return False
        elif not blocking and timeout != -1:
            raise ValueError("can't specify a timeout for a non-blocking call")
        elif not self._try(False):
            return False
        self._held_by = held
        self._frame = _getframe(1)
        held.append(self)
        return True

    def __enter__(self):
        try:
            held = _tls.held
        except AttributeError:
            held = _current()
        if held:
            my_id = self.lock_id
            for h in (held[-_WINDOW:] if len(held) > _WINDOW else held):
                after = h._after
                if after is None or my_id not in after:
                    _new_edges(held, self, _getframe(1))
                    break
        if not self._try(False):
            _wait(self, -1, held, _getframe(1))
        self._held_by = held
        self._frame = _getframe(1)
        held.append(self)
        return True

    def release(self):
        """Release; any thread may release a Lock (binary-semaphore use)."""
        held = self._held_by
        if held is not None:
            self._held_by = None
            self._frame = None
            _unlink(held, self)
        self._rel()

    def __exit__(self, *exc):
        held = self._held_by
        if held is not None:
            self._held_by = None
            self._frame = None
            try:
                if held[-1] is self:
                    held.pop()
                else:
                    held.remove(self)
            except (IndexError, ValueError):
                pass
        self._rel()

    def locked(self):
        """True while some thread holds the lock."""
        return self._inner.locked()

    acquire_lock = acquire
    release_lock = release
    locked_lock = locked

    def _at_fork_reinit(self):
        """Reset to unlocked in a forked child (and off the held stack it was on there)."""
        self._inner._at_fork_reinit()
        held = self._held_by
        if held is not None:
            _unlink(held, self)
        self._held_by = None
        self._frame = None

    def __repr__(self):
        return "<%s %s.%s object at %s>" % (
            "locked" if self._inner.locked() else "unlocked",
            type(self).__module__, type(self).__qualname__, hex(id(self)))

    def __del__(self):
        try:
            if self.lock_id in tracker.state.locks:
                tracker.lock_collected(self.lock_id)
            elif order_file.owners_wanted:
                order_file.forget(self.lock_id)
        except Exception:
            pass


class InstrumentedRLock(InstrumentedLock):
    """A ``threading.RLock`` (re-entrant; only the owner may release)."""

    __slots__ = ("_owner", "_count")
    kind = "RLock"
    reentrant = True

    def _setup(self, frame):
        """Initialise a new re-entrant lock made by code running in ``frame``."""
        InstrumentedLock._setup(self, frame)
        self._owner = None
        self._count = 0

    def acquire(self, blocking=True, timeout=-1):
        """Acquire; re-acquiring by the owner only bumps the count."""
        try:
            held = _tls.held
        except AttributeError:
            held = _current()
        if self._held_by is held:         # the owner's own stack: re-entry
            self._count += 1
            return True
        if blocking and timeout != 0:     # (timeout 0: a try, which waits for and orders nothing)
            if timeout != -1:
                _check_timeout(timeout)
            if held:
                my_id = self.lock_id
                for h in (held[-_WINDOW:] if len(held) > _WINDOW else held):
                    after = h._after
                    if after is None or my_id not in after:
                        _new_edges(held, self, _getframe(1))
                        break
            if not self._try(False) and not _wait(self, timeout, held, _getframe(1)):
                return False
        elif not blocking and timeout != -1:
            raise ValueError("can't specify a timeout for a non-blocking call")
        elif not self._try(False):
            return False
        self._owner = held.ident
        self._count = 1
        self._held_by = held
        self._frame = _getframe(1)
        held.append(self)
        return True

    def __enter__(self):
        try:
            held = _tls.held
        except AttributeError:
            held = _current()
        if self._held_by is held:         # the owner's own stack: re-entry
            self._count += 1
            return True
        if held:
            my_id = self.lock_id
            for h in (held[-_WINDOW:] if len(held) > _WINDOW else held):
                after = h._after
                if after is None or my_id not in after:
                    _new_edges(held, self, _getframe(1))
                    break
        if not self._try(False):
            _wait(self, -1, held, _getframe(1))
        self._owner = held.ident
        self._count = 1
        self._held_by = held
        self._frame = _getframe(1)
        held.append(self)
        return True

    def release(self):
        """Release once; the last release frees the lock."""
        if self._owner != _get_ident() or not self._count:
            raise RuntimeError("cannot release un-acquired lock")
        self._count -= 1
        if not self._count:
            self._owner = None
            held = self._held_by
            if held is not None:
                self._held_by = None
                self._frame = None
                _unlink(held, self)
            self._rel()

    def __exit__(self, *exc):
        if self._owner != _get_ident() or not self._count:
            raise RuntimeError("cannot release un-acquired lock")
        count = self._count - 1
        self._count = count
        if not count:
            self._owner = None
            held = self._held_by
            if held is not None:
                self._held_by = None
                self._frame = None
                try:
                    if held[-1] is self:
                        held.pop()
                    else:
                        held.remove(self)
                except (IndexError, ValueError):
                    pass
            self._rel()

    def _is_owned(self):
        """True when the calling thread owns the lock (used by Condition)."""
        return self._owner == _get_ident()

    def _recursion_count(self):
        """How many times the calling thread holds the lock."""
        return self._count if self._owner == _get_ident() else 0

    def _release_save(self):
        """Fully release for Condition.wait; returns the state to restore."""
        if not self._count:
            raise RuntimeError("cannot release un-acquired lock")
        saved = (self._count, self._owner)
        self._count = 0
        self._owner = None
        held = self._held_by
        if held is not None:
            self._held_by = None
            self._frame = None
            _unlink(held, self)
        self._rel()
        return saved

    def _acquire_restore(self, saved):
        """Re-take the lock after Condition.wait with the saved count."""
        self.acquire()
        self._count, self._owner = saved

    def _at_fork_reinit(self):
        """Reset to unlocked in a forked child."""
        InstrumentedLock._at_fork_reinit(self)
        self._owner = None
        self._count = 0

    def locked(self):
        """True while some thread holds the lock."""
        return self._inner.locked()

    def __repr__(self):
        return "<%s %s.%s object owner=%r count=%d at %s>" % (
            "locked" if self._inner.locked() else "unlocked",
            type(self).__module__, type(self).__qualname__,
            self._owner or 0, self._count, hex(id(self)))



_new = object.__new__
_plain_rlock = __import__("threading").RLock


def _make_lock():
    """Replacement for ``threading.Lock()``: a new InstrumentedLock."""
    lock = _new(InstrumentedLock)
    lock._setup(_getframe(1))
    return lock


def RLock(*args, **kwargs):
    """Replacement for ``threading.RLock()``: a new InstrumentedRLock."""
    if args or kwargs:
        _plain_rlock(*args, **kwargs)   # the same warning (3.13+) or error as the original's
    lock = _new(InstrumentedRLock)
    lock._setup(_getframe(1))
    return lock


class _LockType:
    """``threading.Lock`` where the original is a type (3.13+): callable, and ``Lock | None``
    is a union as it is there."""

    def __call__(self):
        lock = _new(InstrumentedLock)
        lock._setup(_getframe(1))
        return lock

    def __or__(self, other):
        return InstrumentedLock | other

    def __ror__(self, other):
        return other | InstrumentedLock


if isinstance(__import__("threading").Lock, type):
    Lock = _LockType()
    Lock.__doc__ = _make_lock.__doc__
    Lock.__name__ = Lock.__qualname__ = "Lock"
else:
    Lock = _make_lock
    Lock.__name__ = Lock.__qualname__ = "Lock"

# They stand in for threading's own factories, so introspection (and
# CPython's test__all__) sees them where the originals were.
Lock.__module__ = RLock.__module__ = "threading"
