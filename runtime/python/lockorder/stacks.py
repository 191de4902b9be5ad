"""Capturing and formatting stacks: user frames only, innermost first, bounded size.

A recorded stack keeps at most ``INNER_MAX`` innermost frames (fewer when the
``stack_depth`` option says so) and the ``OUTER_KEPT`` outermost ones; how many
were left out in between is the stack's ``dropped`` count, written to the
record as ``frames_dropped``.  Equal stacks are shared (many edges are
recorded at one call site), so a program that records thousands of edges at
one place keeps one copy of its stack and builds it once.
"""

import linecache
import os
import sys
import sysconfig

from .lock_identity import abs_path, is_runtime_file

_STDLIB = tuple(os.path.abspath(p) + os.sep for p in {
    sysconfig.get_paths().get("stdlib", ""), sysconfig.get_paths().get("platstdlib", "")} if p)
INNER_MAX = 64       # innermost frames kept per stack, whatever stack_depth says
OUTER_KEPT = 8       # outermost frames kept when frames are dropped
_CACHE_LIMIT = 4096  # shared stacks and file kinds remembered before starting afresh
_RUNTIME, _STDLIB_FILE, _USER = 0, 1, 2
_kinds = {}          # filename -> _RUNTIME, _STDLIB_FILE or _USER
_shared = {}         # (code ids, lines, depth, user_only) -> (codes, Stack)


class Stack(list):
    """Frame records, innermost first; ``dropped`` frames were left out before the outermost."""

    __slots__ = ("dropped",)


def is_user_file(filename):
    """False for the standard library (site-packages counts as user code)."""
    if filename.startswith("<frozen"):
        return False
    path = os.path.abspath(filename)
    return not path.startswith(_STDLIB) or "site-packages" in path


def _kind(filename):
    """Whether a file is lockorder's own, the standard library's or the user's (cached)."""
    found = _kinds.get(filename)
    if found is None:
        if len(_kinds) >= _CACHE_LIMIT:
            _kinds.clear()
        found = (_RUNTIME if is_runtime_file(filename)
                 else _USER if is_user_file(filename) else _STDLIB_FILE)
        _kinds[filename] = found
    return found


def frame_record(filename, line, function):
    """One stack frame as JSON: {file, line, function, code}."""
    record = {"file": abs_path(filename), "line": line, "function": function}
    code = linecache.getline(filename, line).strip()
    if code:
        record["code"] = code
    return record


def cut(items, depth):
    """(kept, dropped): the innermost min(depth, INNER_MAX) items and the OUTER_KEPT outermost."""
    inner = max(1, min(depth, INNER_MAX))
    if len(items) <= inner + OUTER_KEPT:
        return list(items), 0
    return list(items[:inner]) + list(items[-OUTER_KEPT:]), len(items) - inner - OUTER_KEPT


def capture(frame, depth, user_only=True):
    """The stack starting at ``frame`` as a Stack of frame records, innermost first.

    Runtime frames are dropped; with ``user_only`` standard-library frames too,
    unless that would leave nothing.  Deep stacks are cut (see ``cut``).  A
    stack seen before (same code objects at the same lines) is returned shared.
    """
    codes, lines = [], []
    f = frame
    while f is not None:
        codes.append(f.f_code)
        lines.append(f.f_lineno)
        f = f.f_back
    key = (tuple(map(id, codes)), tuple(lines), depth, user_only)
    found = _shared.get(key)
    if found is not None:
        return found[1]
    stack = _build(codes, lines, depth, user_only)
    if len(_shared) >= _CACHE_LIMIT:
        _shared.clear()
    _shared[key] = (codes, stack)      # the codes keep their ids from being reused
    return stack


def _build(codes, lines, depth, user_only):
    """A new Stack from the code objects and lines of a walk, innermost first."""
    raw, users = [], []
    for code, line in zip(codes, lines):
        kind = _kind(code.co_filename)
        if kind:
            item = (code.co_filename, line, code.co_name)
            raw.append(item)
            if kind == _USER:
                users.append(item)
    if user_only and users:
        raw = users
    kept, dropped = cut(raw, depth)
    stack = Stack(frame_record(*r) for r in kept)
    stack.dropped = dropped
    return stack


def caller(depth, user_only=True):
    """The stack of whoever called into the runtime."""
    return capture(sys._getframe(1), depth, user_only)


def thread_stack(ident, depth=INNER_MAX):
    """Stack (innermost first, cut like any other) of a live thread, or [] if it is gone."""
    frame = sys._current_frames().get(ident)
    return capture(frame, depth, user_only=False) if frame is not None else []


def format_all_threads():
    """Text dump of every thread's stack, like faulthandler, for stderr."""
    import threading
    names = {t.ident: t.name for t in threading.enumerate()}
    lines = []
    for ident, frame in sys._current_frames().items():
        lines.append("Thread %s (%s), most recent call first:" % (ident, names.get(ident, "?")))
        stack = capture(frame, INNER_MAX, user_only=False)
        for index, rec in enumerate(stack):
            if index == len(stack) - OUTER_KEPT and stack.dropped:
                lines.append("  ... %d frames left out ..." % stack.dropped)
            lines.append('  File "%s", line %d, in %s' % (rec["file"], rec["line"], rec["function"]))
            if rec.get("code"):
                lines.append("    " + rec["code"])
    return "\n".join(lines) + "\n"

