"""Arguments of a running frame, read without snapshotting its locals.

Before Python 3.13, reading ``frame.f_locals`` copies every local of the frame
into a dict that the frame keeps until it ends, so a long-lived frame keeps
objects alive that the program has already let go of (CPython's
``test_no_stale_references`` fails).  From 3.13 on (PEP 667) ``f_locals`` is a
write-through proxy and copies nothing.  So the runtime reads arguments only
there, or in a frame that is ``transient``: a callee of a frame blocked in a
self-deadlock, which ends (by DeadlockError, or never returns) before that
frame goes on, so a snapshot of its locals ends with it.  Before 3.13, other
callers find what they need another way.
"""

import sys

LOCALS_ARE_PROXIES = sys.version_info >= (3, 13)


def positional_args(frame, count, transient=False):
    """The first ``count`` positional arguments of ``frame``'s function (a list, maybe shorter).

    Always [] before Python 3.13, where reading them would snapshot the frame's
    locals, unless the frame is ``transient`` (see the module's docstring).
    """
    if not (LOCALS_ARE_PROXIES or transient):
        return []
    code = frame.f_code
    names = code.co_varnames[:min(count, code.co_argcount)]
    try:
        proxy = frame.f_locals
        return [proxy.get(name) for name in names]
    except Exception:
        return []


def first_arg(frame, transient=False):
    """The first positional argument of ``frame``'s function, or None (see positional_args)."""
    found = positional_args(frame, 1, transient)
    return found[0] if found else None
