"""Blocking waits in slices, and the watchdog that looks for deadlocks (LO110).

A blocked instrumented acquire waits in short slices.  Once it has waited
longer than the watchdog limit, the waiting thread itself builds the
waits-for graph from lock owners.  On a cycle (a thread waiting on itself
included) it reports LO110 with every involved thread's stack, dumps all
stacks to stderr and, in raise mode, makes each thread of the cycle raise
DeadlockError at its next slice.
"""

import sys
from _thread import get_ident
from time import monotonic

from . import held_locks, stacks, tracker
from .errors import DeadlockError

_waiting = {}    # thread ident -> (lock, since)
_doomed = {}     # thread ident -> DeadlockError message


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
    """The waits-for cycle through thread ``me`` as [(thread, lock)], or None."""
    chain = []
    seen = set()
    thread = me
    while True:
        entry = _waiting.get(thread)
        if entry is None:
            return None
        lock = entry[0]
        owner = owner_of(lock)
        if owner is None:
            return None
        chain.append((thread, lock))
        seen.add(thread)
        if owner == me:
            return chain
        if owner in seen:
            return None
        thread = owner


def check(me):
    """Look for a deadlock through ``me``; report it once; returns its message."""
    with held_locks.muted():
        chain = find_cycle(me)
        if chain is None:
            return None
        key = ("LO110", frozenset((t, l.lock_id) for t, l in chain))
        threads, lock_ids = [], []
        for thread, lock in chain:
            holds = held_locks.held_by(thread)
            for l in [lock] + holds:
                tracker.lock_seen(l.lock_id, l.kind, l.site)
                if l.lock_id not in lock_ids:
                    lock_ids.append(l.lock_id)
            threads.append({"name": tracker.thread_name(thread), "ident": thread,
                            "waits_for": lock.lock_id, "holds": [l.lock_id for l in holds],
                            "stack": stacks.thread_stack(thread)})
        locks = [tracker.describe_lock(i) for i in lock_ids]
        message = "Deadlock: " + "; ".join(
            "thread %s waits for %s held by %s" % (
                t["name"], tracker.describe_lock(t["waits_for"])["name"],
                tracker.thread_name(owner_of(lock)))
            for t, (_, lock) in zip(threads, chain))
        if tracker.report("LO110", message, locks, key, threads=threads):
            _dump_stacks(message)
        if tracker.state.options.raise_on_finding:
            for thread, _ in chain:
                if thread != me:
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
