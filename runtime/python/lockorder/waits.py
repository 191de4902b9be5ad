"""Waits the watchdog must see besides lock acquires: ``Thread.join`` and ``Condition.wait``.

``Event.wait``, ``Queue.get`` and ``Future.result`` all block in a
``Condition.wait``, so patching that one method covers them; the wait is
labelled by the method that called it ("Event.wait", "Queue.get", ...).
``install`` patches the two methods while recording is on; ``uninstall``
puts the originals back.  Each patched call only registers the wait
(``watchdog.begin_wait``) and unregisters it when the wait returns.
"""

import sys
import threading

from . import watchdog

_getframe = sys._getframe
original = {"join": threading.Thread.join, "wait": threading.Condition.wait}
_LABELS = {"Event.wait": "Event.wait", "Queue.get": "Queue.get", "Queue.put": "Queue.put",
           "Queue.join": "Queue.join", "Future.result": "Future.result",
           "Future.exception": "Future.exception", "Barrier._wait": "Barrier.wait",
           "Condition.wait_for": "Condition.wait_for", "Semaphore.acquire": "Semaphore.acquire"}


def _label(frame):
    """What a Condition.wait serves, from its caller's code (never f_locals)."""
    code = frame.f_code if frame is not None else None
    if code is None:
        return "Condition.wait"
    qual = getattr(code, "co_qualname", None) or code.co_name
    return _LABELS.get(qual, "Condition.wait")


def join(self, timeout=None):
    """``Thread.join`` whose wait the watchdog knows of."""
    token = watchdog.begin_wait("Thread.join", self.ident)
    try:
        return original["join"](self, timeout)
    finally:
        watchdog.end_wait(token)


def wait(self, timeout=None):
    """``Condition.wait`` whose wait the watchdog knows of."""
    token = watchdog.begin_wait(_label(_getframe(1)))
    try:
        return original["wait"](self, timeout)
    finally:
        watchdog.end_wait(token)


join.__doc__ = original["join"].__doc__
wait.__doc__ = original["wait"].__doc__


def install():
    """Patch Thread.join and Condition.wait."""
    threading.Thread.join = join
    threading.Condition.wait = wait


def uninstall():
    """Put the original methods back."""
    threading.Thread.join = original["join"]
    threading.Condition.wait = original["wait"]
