"""Per-thread stacks of held instrumented locks.

Each thread owns one ``HeldStack`` (a list, innermost lock last) reached through
a thread-local.  A registry maps thread ident -> stack so the watchdog can see
what other threads hold.  Runtime-internal code swaps in a muted stack so locks
it happens to touch never reach the graph.
"""

import sys
import threading
from _thread import get_ident

_tls = threading.local()
_registry = {}          # thread ident -> HeldStack
_prune_at = [64]


class HeldStack(list):
    """The locks one thread holds, in acquisition order (innermost last)."""

    __slots__ = ("ident",)


class _MutedStack(HeldStack):
    """A stack that forgets what is pushed: used while the runtime runs."""

    __slots__ = ()

    def append(self, item):
        """Ignore the push."""


def current():
    """The calling thread's held stack, created on first use."""
    try:
        return _tls.held
    except AttributeError:
        pass
    held = HeldStack()
    held.ident = get_ident()
    _tls.held = held
    _registry[held.ident] = held
    if len(_registry) >= _prune_at[0]:
        _prune()
    return held


def _prune():
    """Drop stacks of threads that have ended (keeps the registry bounded)."""
    alive = sys._current_frames()
    for ident in list(_registry):
        if ident not in alive:
            _registry.pop(ident, None)
    _prune_at[0] = max(64, 2 * len(_registry))


def held_by(ident):
    """A copy of the locks thread ``ident`` holds (empty if unknown)."""
    held = _registry.get(ident)
    return list(held) if held else []


def mute():
    """Swap in this thread's muted stack (pushes are dropped); returns what ``unmute`` needs.

    The function form of ``muted`` for the runtime's hottest slow path.
    """
    saved = current()
    try:
        stack = _tls.muted      # one per thread, always empty
    except AttributeError:
        stack = _tls.muted = _MutedStack()
    stack.ident = saved.ident
    _tls.held = stack
    return saved


def unmute(saved):
    """Undo ``mute``: put back the stack it returned."""
    _tls.held = saved


class muted:
    """Context manager: while inside, the calling thread's pushes are dropped."""

    __slots__ = ("_saved",)

    def __enter__(self):
        saved = self._saved = current()
        try:
            stack = _tls.muted      # one per thread, always empty: pushes are dropped
        except AttributeError:
            stack = _tls.muted = _MutedStack()
        stack.ident = saved.ident
        _tls.held = stack
        return self

    def __exit__(self, *exc):
        _tls.held = self._saved
        return False


def after_fork_in_child():
    """In a forked child only the forking thread survives: keep only its stack."""
    held = current()
    _registry.clear()
    _registry[held.ident] = held
    _prune_at[0] = 64
