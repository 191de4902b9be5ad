"""The end-of-run graph record: every lock-order edge the run observed, with names and sites.

Opt-in with ``LOCKORDER_GRAPH=1`` (inherited by child processes): at exit the
process that observed any edge appends one record ``{"version": 1, "kind": "graph", "edges": [...]}``
to its report.  Each edge names both locks as the static analyzer does
(``module.Class.attr``) with their creation sites, and the site where the
second lock was taken (the innermost frame outside lockorder and
``threading``).  Edges of locks collected during the run are kept by name
when the lock leaves the graph, so short-lived objects still count.
"""

import atexit
import os
import threading

from .lock_identity import abs_path, is_runtime_file
from .report_writer import SCHEMA_VERSION, context, iso_time

MAX_EDGES = 20000       # distinct named edges kept (memory stays bounded)
_THREADING = threading.__file__
_kept = {}              # (from end, to end, site) -> record edge, of collected locks
_flags = {"atexit": False}


def wanted(environ=None):
    """True when ``LOCKORDER_GRAPH=1``."""
    return (os.environ if environ is None else environ).get("LOCKORDER_GRAPH") == "1"


def start():
    """Arrange for the graph record to be written at exit (once per process)."""
    if not _flags["atexit"]:
        atexit.register(write)
        _flags["atexit"] = True


def enabled():
    """True when the graph record is being kept (edges then remember their call site)."""
    return _flags["atexit"]


def site_of(frame):
    """(file, line) of the innermost frame outside lockorder and ``threading``."""
    f = frame
    while f is not None and (is_runtime_file(f.f_code.co_filename)
                             or f.f_code.co_filename == _THREADING):
        f = f.f_back
    f = f or frame
    return (f.f_code.co_filename, f.f_lineno) if f is not None else ("?", 0)


def forget_node(graph, lock_id, describe):
    """Before a collected lock leaves ``graph``: keep its edges by name (internal lock held)."""
    if not _flags["atexit"]:
        return
    pairs = [(lock_id, b) for b in graph._succ.get(lock_id, ())]
    pairs += [(a, lock_id) for a in graph._pred.get(lock_id, ())]
    for a, b in pairs:
        _keep(_edge(describe(a), describe(b), graph.edges.get((a, b))))


def _keep(edge):
    """Remember one named edge (bounded)."""
    key = (_key(edge["from"]), _key(edge["to"]), edge["site"]["file"], edge["site"]["line"])
    if key not in _kept and len(_kept) < MAX_EDGES:
        _kept[key] = edge


def _key(end):
    """Identity of an edge end by name and creation site (``via`` follows from the site)."""
    return end["name"], end["file"], end["line"]


def _end(lock):
    """An edge end from a lock's JSON description."""
    created = lock.get("created", {})
    end = {"name": lock.get("qualname") or lock["name"], "file": created.get("file", "?"),
           "line": created.get("line", 0)}
    if lock.get("via"):
        end["via"] = lock["via"]
    return end


def _edge(from_lock, to_lock, info):
    """One record edge."""
    file, line = (info or {}).get("site", ("?", 0))
    return {"from": _end(from_lock), "to": _end(to_lock),
            "site": {"file": abs_path(file), "line": line}}


def record():
    """The graph record of this process so far."""
    from . import tracker
    state = tracker.state
    if not state.lock.acquire(True, tracker.INTERNAL_TIMEOUT):
        return None
    try:
        live = list(state.graph.edges.items())
        for (a, b), info in live:
            _keep(_edge(tracker.describe_lock(a), tracker.describe_lock(b), info))
        edges = list(_kept.values())
    finally:
        state.lock.release()
    result = {"version": SCHEMA_VERSION, "kind": "graph", "time": iso_time(), "pid": os.getpid(),
              "edges": edges}
    for key, value in context.items():
        result.setdefault(key, value)
    return result


def write():
    """atexit: append the graph record to this process's report."""
    from . import tracker
    try:
        found = record()
        if found is not None and found["edges"]:
            tracker.state.writer.write(found)
    except Exception as exc:      # a runtime bug must never break the program's exit
        tracker.internal_error(exc)


def after_fork_in_child():
    """A forked child reports only the edges it sees itself."""
    _kept.clear()
