"""Blocking waits in slices, and the watchdog that looks for deadlocks (LO110).

A blocked instrumented acquire waits in short slices.  Once it has waited
longer than the watchdog limit, the waiting thread itself builds the
waits-for graph from lock owners and from the other waits it knows of
(``waits.py`` registers ``Thread.join`` and every ``Condition.wait``, so
``Event.wait``, ``Queue.get`` and ``Future.result`` too).  A join waits for
one thread; a condition wait for any thread, so it closes a cycle only when
every other thread is blocked too.  On a cycle (a thread waiting on itself
included) it reports LO110 with every involved thread's stack, dumps all
stacks to stderr and, in raise mode, makes each lock-waiting thread of the
cycle raise DeadlockError at its next slice.
"""

import sys
from _thread import get_ident
from time import monotonic

from . import held_locks, stacks, tracker
from .errors import DeadlockError

_waiting = {}    # thread ident -> (lock or Wait, since)
_doomed = {}     # thread ident -> DeadlockError message


class Wait:
    """A blocking wait other than a lock acquire: ``label`` ("Thread.join", "Event.wait", ...)
    and the thread it waits for (``thread``: an ident), or None when any thread may end it."""

    __slots__ = ("label", "thread")

    def __init__(self, label, thread=None):
        self.label = label
        self.thread = thread


def begin_wait(label, thread=None):
    """Register the calling thread's wait; returns a token for end_wait (None when off)."""
    state = tracker.state
    if not state.enabled or state.options.watchdog <= 0:
        return None
    me = get_ident()
    _waiting[me] = (Wait(label, thread), monotonic())
    return me


def end_wait(token):
    """The wait registered by begin_wait is over."""
    if token is not None:
        _waiting.pop(token, None)


def wait(lock, timeout, held, frame):
    """Wait for ``lock`` (already tried once); returns True when taken."""
    state = tracker.state
    if held and lock._held_by is held:
        tracker.self_deadlock(lock, frame)
    limit = state.options.watchdog if state.enabled else 0.0
    if limit <= 0:
        return lock._try(True, timeout)
    me = get_ident()
    start = monotonic()
    deadline = None if timeout < 0 else start + timeout
    next_check = start + limit
    piece = state.options.wait_slice()
    _waiting[me] = (lock, start)
    try:
        while True:
            if deadline is not None:
                piece = min(piece, deadline - monotonic())
                if piece <= 0:
                    return lock._try(False)
            if lock._try(True, piece):
                if _doomed and me in _doomed:      # woken by the cycle's break-up: still fail
                    lock._rel()
                    raise DeadlockError(_doomed.pop(me))
                return True
            message = _doomed.pop(me, None)
            if message is not None:
                raise DeadlockError(message)
            now = monotonic()
            if now >= next_check:
                next_check = now + limit
                message = _safe_check(me)
                if message is not None and state.options.raise_on_finding:
                    _doomed.pop(me, None)
                    raise DeadlockError(message)
    finally:
        _waiting.pop(me, None)


def _safe_check(me):
    """check(), but a runtime failure only produces a note on stderr."""
    try:
        return check(me)
    except Exception as exc:
        tracker.internal_error(exc)
        return None


def owner_of(lock):
    """Ident of the thread holding an instrumented lock, or None."""
    owner = getattr(lock, "_owner", None)
    if owner is not None:
        return owner
    held = lock._held_by
    return held.ident if held is not None else None


def find_cycle(me):
    """The waits-for cycle through thread ``me`` as [(thread, lock or Wait)], or None."""
    chain = []
    seen = set()
    thread = me
    while True:
        entry = _waiting.get(thread)
        if entry is None:
            return None
        target = entry[0]
        chain.append((thread, target))
        seen.add(thread)
        if isinstance(target, Wait):
            if target.thread is None:         # any thread may end it: are all others blocked?
                return chain if _all_others_blocked(thread) else None
            owner = target.thread
        else:
            owner = owner_of(target)
        if owner is None:
            return None
        if owner == me:
            return chain
        if owner in seen:
            return None
        thread = owner


def _all_others_blocked(thread):
    """True when every live thread but ``thread`` is in a wait the watchdog knows of."""
    return all(ident == thread or ident in _waiting for ident in sys._current_frames())


def _waited_for(thread, target):
    """Who ends the wait of ``thread`` on ``target``, in words."""
    if isinstance(target, Wait):
        if target.thread is None:
            return "in %s, while every other thread is blocked" % target.label
        return "in %s for thread %s to end" % (target.label, tracker.thread_name(target.thread))
    return "for %s held by %s" % (tracker.describe_lock(target.lock_id)["name"],
                                  tracker.thread_name(owner_of(target)))


def _describe_thread(thread, target, lock_ids):
    """The record's entry for one thread of the cycle (adds the locks it involves to lock_ids)."""
    holds = held_locks.held_by(thread)
    involved = holds if isinstance(target, Wait) else [target] + holds
    for l in involved:
        tracker.lock_seen(l.lock_id, l.kind, l.site)
        if l.lock_id not in lock_ids:
            lock_ids.append(l.lock_id)
    entry = {"name": tracker.thread_name(thread), "ident": thread,
             "holds": [l.lock_id for l in holds], "stack": stacks.thread_stack(thread)}
    if isinstance(target, Wait):
        entry["waits_in"] = target.label
    else:
        entry["waits_for"] = target.lock_id
    return entry


def _target_key(target):
    """A hashable name of what a thread waits for (for the report-once key)."""
    if isinstance(target, Wait):
        return (target.label, target.thread)
    return target.lock_id


def check(me):
    """Look for a deadlock through ``me``; report it once; returns its message."""
    with held_locks.muted():
        chain = find_cycle(me)
        if chain is None:
            return None
        key = ("LO110", frozenset((t, _target_key(w)) for t, w in chain))
        lock_ids = []
        threads = [_describe_thread(thread, target, lock_ids) for thread, target in chain]
        locks = [tracker.describe_lock(i) for i in lock_ids]
        message = "Deadlock: " + "; ".join(
            "thread %s waits %s" % (t["name"], _waited_for(thread, target))
            for t, (thread, target) in zip(threads, chain))
        if tracker.report("LO110", message, locks, key, threads=threads):
            _dump_stacks(message)
        if tracker.state.options.raise_on_finding:
            for thread, target in chain:
                if thread != me and not isinstance(target, Wait):   # others wait in slices
                    _doomed[thread] = message
        return message


def _dump_stacks(message):
    """Write the finding and every thread's stack to stderr."""
    try:
        sys.stderr.write("lockorder: %s\n%s" % (message, stacks.format_all_threads()))
        sys.stderr.flush()
    except Exception:
        pass


def after_fork_in_child():
    """Only the forking thread survives a fork."""
    _waiting.clear()
    _doomed.clear()
