"""Self-deadlocks through asynchronous re-entry (LO107): which callback re-entered?

When a thread re-acquires a non-reentrant lock it holds, the frames between
the re-acquire and the frame that holds the lock are examined.  A finalizer
(``__del__``), a ``weakref.finalize`` / weakref callback, a ``gc.callbacks``
entry, a signal handler or a logging handler/filter among them means the
code did not call back into itself on purpose: the interpreter or a library
ran it in the middle of the critical section.
"""

import signal
import sys
import weakref

from . import frame_args, lock_identity
from .lock_identity import is_runtime_file
from .stacks import frame_record, is_user_file

_WEAKREF_FILE = weakref.__file__
_MAX_WALK = 200
_FAMILY = {"finalizer": "gc", "weakref-finalize": "gc", "weakref-callback": "gc",
           "gc-callback": "gc", "signal-handler": "signal", "logging-handler": "logging"}


def find(frame, holder):
    """The re-entry between ``frame`` (the re-acquire) and ``holder`` (the first acquire), or None.

    Returns a dict: mechanism, function, text (for the message) and frame
    (a frame record).  When several callbacks are nested, the outermost kind
    wins (it is the one that interrupted the critical section); within it the
    innermost frame of user code is named.
    """
    stop = set()
    f = holder
    while f is not None and len(stop) < _MAX_WALK:
        stop.add(id(f))
        f = f.f_back
    found = []
    context = _Context()
    f, walked = frame, 0
    while f is not None and id(f) not in stop and walked < _MAX_WALK:
        if not is_runtime_file(f.f_code.co_filename):
            hit = _classify(f, context)
            if hit is not None:
                found.append((hit, f))
        f, walked = f.f_back, walked + 1
    if not found:
        return None
    family = _FAMILY[found[-1][0][0]]
    mine = [item for item in found if _FAMILY[item[0][0]] == family]
    users = [item for item in mine if is_user_file(item[1].f_code.co_filename)]
    (mechanism, function), f = (users or mine)[0]
    return {"mechanism": mechanism, "function": function, "text": _text(mechanism, function),
            "frame": frame_record(f.f_code.co_filename, f.f_lineno, f.f_code.co_name)}


def _text(mechanism, function):
    """How the message says it, e.g. "re-entered through garbage collection: `C.__del__`"."""
    if mechanism == "finalizer":
        return "re-entered through garbage collection: `%s`" % function
    if mechanism == "weakref-finalize":
        return "re-entered through garbage collection: weakref.finalize callback `%s`" % function
    if mechanism == "weakref-callback":
        return "re-entered through garbage collection: weakref callback `%s`" % function
    if mechanism == "gc-callback":
        return "re-entered through garbage collection: gc.callbacks entry `%s`" % function
    if mechanism == "signal-handler":
        return "re-entered from signal handler `%s`" % function
    return "re-entered from logging handler `%s`" % function


class _Context:
    """Registered callbacks, looked up once per question and only if needed."""

    def __init__(self):
        self._signal_codes = None
        self._gc_codes = None

    def signal_codes(self):
        """Code objects of the Python signal handlers installed now."""
        if self._signal_codes is None:
            handlers = []
            try:
                for signum in signal.valid_signals():
                    try:
                        handlers.append(signal.getsignal(signum))
                    except (ValueError, OSError):
                        continue
            except Exception:
                pass
            self._signal_codes = {_code_of(h) for h in handlers} - {None}
        return self._signal_codes

    def gc_codes(self):
        """Code objects of the functions in ``gc.callbacks``."""
        if self._gc_codes is None:
            import gc
            self._gc_codes = {_code_of(c) for c in list(gc.callbacks)} - {None}
        return self._gc_codes


def _code_of(handler):
    """The code object a callable runs, or None."""
    for candidate in (handler, getattr(handler, "__func__", None),
                      getattr(type(handler), "__call__", None)):
        code = getattr(candidate, "__code__", None)
        if code is not None:
            return code
    return None


def _classify(f, context):
    """(mechanism, function name) when frame ``f`` is a callback's, else None."""
    code = f.f_code
    if code.co_filename == _WEAKREF_FILE:
        return None                      # weakref.finalize's own machinery
    back = f.f_back
    if back is not None and back.f_code.co_filename == _WEAKREF_FILE \
            and back.f_code.co_name == "__call__":
        return "weakref-finalize", _name(f)
    if code.co_name == "__del__":
        return "finalizer", _name(f)
    if code in context.gc_codes():
        return "gc-callback", _name(f)
    if code in context.signal_codes():
        return "signal-handler", _name(f)
    if code.co_name in ("emit", "handle", "filter") and _is_logging_call(f):
        return "logging-handler", _name(f)
    if _has_dead_weakref_arg(f):
        return "weakref-callback", _name(f)
    return None


def _is_logging_call(f):
    """True when ``f`` was called by logging's own Handler.handle or Filterer.filter.

    Handlers' ``emit``/``handle`` and filters' ``filter`` are run by logging's
    machinery, so the caller's code tells, without reading any argument.
    """
    logging = sys.modules.get("logging")
    back = f.f_back
    return (logging is not None and back is not None
            and back.f_code.co_filename == logging.__file__
            and back.f_code.co_name in ("handle", "filter", "callHandlers"))


def _has_dead_weakref_arg(f):
    """True when one of the first two arguments of ``f`` is a weak reference whose object is gone.

    ``f`` lies between a re-acquire and the frame holding the lock, so it is
    transient (``frame_args``): reading its arguments keeps nothing alive
    after the self-deadlock.  (A dead reference's callback is cleared before
    CPython calls it, so the argument is the only way to tell.)
    """
    return any(isinstance(value, weakref.ref) and value() is None
               for value in frame_args.positional_args(f, 2, transient=True))


def _name(f):
    """Qualified function name without ``<locals>`` prefixes; methods by the instance's class."""
    code = f.f_code
    owner = (frame_args.first_arg(f, transient=True)     # f is inside the re-entry (see find)
             if code.co_argcount and code.co_varnames[0] in ("self", "cls") else None)
    if owner is None and getattr(code, "co_qualname", None) is None:
        qual = lock_identity.function_qualname(code, f.f_globals)   # < 3.11: by the module's classes
        return qual.rsplit("<locals>.", 1)[-1]
    if owner is not None:
        cls = owner if isinstance(owner, type) else type(owner)
        qual = "%s.%s" % (cls.__qualname__, code.co_name)
    else:
        qual = getattr(code, "co_qualname", None) or code.co_name
    return qual.rsplit("<locals>.", 1)[-1]
