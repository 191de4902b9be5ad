"""Capturing and formatting stacks: user frames only, innermost first, bounded depth."""

import linecache
import os
import sys
import sysconfig

from .lock_identity import abs_path, is_runtime_file

_STDLIB = tuple(os.path.abspath(p) + os.sep for p in {
    sysconfig.get_paths().get("stdlib", ""), sysconfig.get_paths().get("platstdlib", "")} if p)
_MAX_WALK = 200


def is_user_file(filename):
    """False for the standard library (site-packages counts as user code)."""
    if filename.startswith("<frozen"):
        return False
    path = os.path.abspath(filename)
    return not path.startswith(_STDLIB) or "site-packages" in path


def frame_record(filename, line, function):
    """One stack frame as JSON: {file, line, function, code}."""
    record = {"file": abs_path(filename), "line": line, "function": function}
    code = linecache.getline(filename, line).strip()
    if code:
        record["code"] = code
    return record


def capture(frame, depth, user_only=True):
    """The stack starting at ``frame`` as frame records, innermost first.

    Runtime frames are dropped; with ``user_only`` standard-library frames too,
    unless that would leave nothing.
    """
    raw = []
    f = frame
    while f is not None and len(raw) < _MAX_WALK:
        code = f.f_code
        if not is_runtime_file(code.co_filename):
            raw.append((code.co_filename, f.f_lineno, code.co_name))
        f = f.f_back
    if user_only:
        users = [r for r in raw if is_user_file(r[0])]
        if users:
            raw = users
    return [frame_record(*r) for r in raw[:depth]]


def caller(depth, user_only=True):
    """The stack of whoever called into the runtime."""
    return capture(sys._getframe(1), depth, user_only)


def thread_stack(ident, depth=100):
    """Full stack (innermost first) of a live thread, or [] if it is gone."""
    frame = sys._current_frames().get(ident)
    return capture(frame, depth, user_only=False) if frame is not None else []


def format_all_threads():
    """Text dump of every thread's stack, like faulthandler, for stderr."""
    import threading
    names = {t.ident: t.name for t in threading.enumerate()}
    lines = []
    for ident, frame in sys._current_frames().items():
        lines.append("Thread %s (%s), most recent call first:" % (ident, names.get(ident, "?")))
        for rec in capture(frame, _MAX_WALK, user_only=False):
            lines.append('  File "%s", line %d, in %s' % (rec["file"], rec["line"], rec["function"]))
            if rec.get("code"):
                lines.append("    " + rec["code"])
    return "\n".join(lines) + "\n"

