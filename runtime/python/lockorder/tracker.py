"""Process-wide recording state: the lock graph, findings and their reports.

The instrumented locks call in here only on a slow path (a new edge, a
re-acquire of a held lock).  The internal lock is a raw ``_thread`` lock that
is held only around pure dictionary work, never while user code runs.
"""

import itertools
import os
import sys
import threading
from _thread import allocate_lock, get_ident

from . import graph_record, held_locks, lock_identity, order_file, reentry, stacks
from .errors import LockOrderViolation
from .lock_graph import LockGraph
from .options import Options
from .report_writer import ReportWriter, make_record

RULE_NAMES = {"LO101": "lock-order-inversion", "LO102": "self-deadlock",
              "LO103": "ordered-acquire-violation", "LO106": "declared-order-violation",
              "LO107": "callback-reentry", "LO110": "deadlock"}

INTERNAL_TIMEOUT = 2.0    # the internal lock is never waited on for longer
EDGE_WINDOW = 2           # edges come from the innermost held locks only (see new_edges)
GATE_OUTER = 8            # gates and declared-order checks also see the outermost held locks
MAX_HELD = 48             # acquires made while holding more locks are not checked (as lockdep)
_ids = itertools.count(1)
next_lock_id = _ids.__next__


def locks_seen():
    """How many lock ids (ranks) have been handed out so far."""
    text = repr(_ids)            # "count(N)": peek without consuming an id
    try:
        return int(text[text.index("(") + 1:text.rindex(")")]) - 1
    except ValueError:
        return 0


class State:
    """Everything recorded in this process (one instance: ``state``)."""

    def __init__(self):
        self.lock = allocate_lock()
        self.pid = os.getpid()      # the process the internal locks belong to (see take_internal)
        self.fork_owner = None      # ident of the thread forking while it holds them
        self.fork_held = (False, False)
        self.enabled = False
        self.options = Options()
        self.writer = ReportWriter(self.options.report_dir)
        self.reset()

    def reset(self):
        """Forget all edges and findings (locks keep their ids)."""
        self.graph = LockGraph()
        self.locks = {}             # lock id -> (kind, creation site)
        self.reported = set()       # keys of findings already reported
        self.findings = {}          # rule -> count
        self.finding_log = []       # (rule, message), most recent last, bounded
        self.finding_total = 0
        self.suppressed = 0
        self.internal_errors = 0
        self.edges_seen = 0
        self.dead = []              # ids of collected locks, purged lazily
        self.too_deep = 0           # acquires not checked: more than MAX_HELD locks were held
        self.caches = {}            # lock id -> its _after set (seen successors), while alive


state = State()


def lock_seen(lock_id, kind, site):
    """Remember a lock's identity (kind, creation site) while it is in the graph."""
    if lock_id not in state.locks:
        state.locks[lock_id] = (kind, site)


def describe_lock(lock_id):
    """JSON description of a lock by id."""
    kind, site = state.locks.get(lock_id, ("Lock", ("?", 0, "?", "?", "?", "module", None)))
    return lock_identity.describe(lock_id, kind, site)


def thread_name(ident=None):
    """Name of a thread without creating a dummy Thread object."""
    ident = get_ident() if ident is None else ident
    thread = threading._active.get(ident)
    return thread.name if thread is not None else "thread-%d" % ident


def new_edges(held, lock, frame):
    """Slow path of a blocking acquire: record edges held -> lock not yet cached.

    Only the EDGE_WINDOW innermost held locks give edges (deeper ones reach
    the new lock through them); the GATE_OUTER outermost ones are looked at too,
    for gates and the declared order.  So a thread holding thousands of locks
    at once (``concurrent.futures.wait`` holds every future's) costs O(1) per
    acquire and O(1) memory per edge.  Beyond MAX_HELD held locks nothing is
    recorded (lockdep stops at 48 too): ``wait`` and ``as_completed`` take their
    futures' locks sorted, and the summary says how many acquires went unchecked.
    May raise LockOrderViolation in raise mode when an edge closes a cycle.
    """
    if not state.enabled:
        return
    if len(held) > MAX_HELD:
        state.too_deep += 1     # (a lost update under a race only makes the count low)
        return
    saved = held_locks.mute()
    try:
        window = held[-EDGE_WINDOW:]
        outer = held[:max(0, min(GATE_OUTER, len(held) - EDGE_WINDOW))]
        violation = _record_edges(window, outer, lock, frame)
    except Exception as exc:       # a runtime bug must never break the program
        internal_error(exc)
        return
    finally:
        held_locks.unmute(saved)
    if violation is not None:
        raise violation


def internal_error(exc):
    """Note a failure inside the runtime once on stderr; the program goes on."""
    if state.internal_errors == 0:
        try:
            sys.stderr.write("lockorder: internal error, recording may be incomplete: %r\n" % (exc,))
        except Exception:
            pass
    state.internal_errors += 1


def _record_edges(window, outer, lock, frame):
    """Add each new edge window -> lock to the graph; returns an exception to raise, or None.

    All edges of one acquire share one info: its thread, stack and gates (the
    ids of the held locks looked at; a cycle's own locks are never its gates).
    """
    info = None
    sources = []
    new_id = lock.lock_id
    implied = _implied_source(window, outer)
    for h in window:
        if h is lock or h is implied:
            continue
        after = h._after
        if after is not None and new_id in after:
            continue
        if info is None:
            stack = stacks.capture(frame, state.options.stack_depth)
            if order_file.current is not None:
                for o in outer:
                    problem = _declared_order(o, lock, stack) if o is not lock else None
                    if problem is not None:
                        return problem
            gates = tuple([g.lock_id for g in outer] + [g.lock_id for g in window])
            info = {"thread": thread_name(), "stack": stack, "gates": gates}
            if graph_record.enabled():
                info["site"] = graph_record.site_of(frame)
        if order_file.current is not None:
            problem = _declared_order(h, lock, info["stack"])
            if problem is not None:
                return problem
        sources.append(h)
    if implied is not None and sources:
        sources.append(_Implied(implied))
    return _add_edges(sources, lock, info) if sources else None


class _Implied:
    """A held lock whose edge to the new lock goes through the next held one (not stored)."""

    __slots__ = ("lock",)

    def __init__(self, lock):
        self.lock = lock


def _implied_source(window, outer):
    """The outer lock of the window when its edge to a new lock need not be stored, else None.

    A thread holding more than ``GATE_OUTER + EDGE_WINDOW`` locks at once
    (``concurrent.futures.wait`` and ``as_completed`` hold every future's) takes
    them in a chain: when the edge window[0] -> window[1] is known, the new lock
    is reached from window[0] through window[1], so only one edge per acquire
    is stored.  Shallower holds keep both edges, so a report names the two
    locks of an inversion directly.
    """
    if len(window) < 2 or len(outer) < GATE_OUTER:
        return None
    first, second = window[0], window[1]
    after = first._after
    if after is not None and second.lock_id in after and first is not second:
        return first
    return None


def _declared_order(held_lock, lock, stack):
    """LO106 when the order file forbids taking ``lock`` while holding ``held_lock``.

    Returns the exception to raise in raise mode (the acquire will not happen), else None.
    """
    found = order_file.conflict(held_lock, lock)
    if found is None:
        return None
    kind, line, detail = found
    lock_seen(held_lock.lock_id, held_lock.kind, held_lock.site)
    lock_seen(lock.lock_id, lock.kind, lock.site)
    locks = [describe_lock(held_lock.lock_id), describe_lock(lock.lock_id)]
    held_frame = held_lock._frame
    before = stacks.capture(held_frame, state.options.stack_depth) if held_frame is not None else []
    names = [l.get("qualname") or l["name"] for l in locks]
    taker = held_frame.f_code.co_name if held_frame is not None else "an earlier call"
    message = ("Declared order violation: thread %s takes %s at %s while holding %s "
               "(taken in %s); %s") % (
        thread_name(), locks[1]["name"], _where(stack), locks[0]["name"], taker,
        order_file.describe(kind, line, names[0], names[1], detail))
    edges = [{"from": held_lock.lock_id, "to": held_lock.lock_id, "thread": thread_name(),
              "stack": before, "role": "held"},
             {"from": held_lock.lock_id, "to": lock.lock_id, "thread": thread_name(),
              "stack": stack, "role": "acquire"}]
    extra = {"order_file": {"path": order_file.current.path, "line": line}, "declared": kind}
    report("LO106", message, locks, ("LO106", names[0], names[1]), edges=edges, extra=extra)
    if state.options.raise_on_finding:
        return LockOrderViolation(message)
    return None


def _add_edges(sources, lock, info):
    """Add the edges sources -> lock in one hold of the internal lock; handle cycles they close.

    Returns the exception to raise (raise mode: the first cycle, whose edge is not
    kept and whose later edges are not added), else None.
    """
    b = lock.lock_id
    if not take_internal():
        return None       # e.g. a signal handler interrupted the runtime in this thread
    found = []
    try:
        if state.dead:
            _purge_dead()
        lock_seen(b, lock.kind, lock.site)
        for held_lock in sources:
            if type(held_lock) is _Implied:
                held_lock.lock._after.add(b)    # seen (through the next held lock)
                continue
            cycle = _add_one(held_lock, b, info)
            if cycle is not None:
                found.append((cycle, [state.graph.edges.get(e) or info for e in cycle]))
                if state.options.raise_on_finding:
                    state.graph.remove_edge(held_lock.lock_id, b)   # the acquire will not happen
                    break
    finally:
        state.lock.release()
    for cycle, infos in found:
        problem = _cycle_found(cycle, infos)
        if problem is not None:
            return problem
    return None


def _add_one(held_lock, b, info):
    """One edge held_lock -> b (internal lock held); returns the cycle it closes, or None."""
    a = held_lock.lock_id
    if a not in state.locks:
        state.locks[a] = (held_lock.kind, held_lock.site)
    graph = state.graph
    if (a, b) in graph.edges:
        cycle = None
    else:
        cycle = graph.add_edge(a, b, info)
        if cycle is not None and state.options.raise_on_finding:
            return cycle           # the caller takes it out again: the acquire will not happen
        state.edges_seen += 1
    after = held_lock._after
    if after is None:
        after = held_lock._after = set()
    if a not in state.caches:       # (again, after a reset)
        state.caches[a] = after
    after.add(b)
    return cycle


def _cycle_found(cycle, infos):
    """Report an inversion once (unless a common gate lock guards it)."""
    nodes = {a for a, _ in cycle}
    common = frozenset(infos[0]["gates"]).intersection(*[i["gates"] for i in infos[1:]]) - nodes
    if common:
        state.suppressed += 1
        return None
    key = ("LO101", frozenset(cycle))
    edges = [{"from": a, "to": b, "thread": i["thread"], "stack": i["stack"]}
             for (a, b), i in zip(cycle, infos)]
    locks = [describe_lock(a) for a, _ in cycle]
    names = [l["name"] for l in locks]
    message = "Lock-order inversion: %s; %s" % (
        " -> ".join(names + [names[0]]),
        "; ".join("%s taken while holding %s in thread %s at %s" % (
            describe_lock(e["to"])["name"], describe_lock(e["from"])["name"], e["thread"],
            _where(e["stack"])) for e in edges))
    report("LO101", message, locks, key, edges=edges)
    if state.options.raise_on_finding:
        return LockOrderViolation(message)
    return None


def _where(stack):
    """file:line of a stack's innermost frame."""
    if not stack:
        return "<unknown>"
    return "%s:%d" % (stack[0]["file"], stack[0]["line"])


def self_deadlock(lock, frame):
    """LO102: a blocking acquire of a non-reentrant lock this thread holds."""
    if not state.enabled:
        return
    try:
        _report_self_deadlock(lock, frame)
    except Exception as exc:
        internal_error(exc)


def _report_self_deadlock(lock, frame):
    """Build and write the LO102 record (once per lock)."""
    with held_locks.muted():
        key = ("LO102", lock.lock_id)
        if key in state.reported:
            return
        lock_seen(lock.lock_id, lock.kind, lock.site)
        now = stacks.capture(frame, state.options.stack_depth)
        first = lock._frame
        before = stacks.capture(first, state.options.stack_depth) if first is not None else []
        name = describe_lock(lock.lock_id)["name"]
        taker = first.f_code.co_name if first is not None else "an earlier call"
        how = reentry.find(frame, first)
        if how is None:
            rule, extra = "LO102", None
            message = ("Self-deadlock: thread %s acquires %s at %s while already holding it "
                       "(it was acquired in %s); only another thread's release can wake it" % (
                           thread_name(), name, _where(now), taker))
        else:
            rule, extra = "LO107", {"reentry": how}
            message = ("Self-deadlock through asynchronous re-entry: thread %s acquires %s at %s "
                       "while already holding it (acquired in %s); %s" % (
                           thread_name(), name, _where(now), taker, how["text"]))
        edges = [{"from": lock.lock_id, "to": lock.lock_id, "thread": thread_name(),
                  "stack": before, "role": "held"},
                 {"from": lock.lock_id, "to": lock.lock_id, "thread": thread_name(),
                  "stack": now, "role": "acquire"}]
        report(rule, message, [describe_lock(lock.lock_id)], key, edges=edges, extra=extra)


def report(rule, message, locks, key, edges=None, threads=None, extra=None):
    """Write one finding unless ``key`` was reported already; True if written.

    ``extra`` adds rule-specific fields to the record.
    """
    if not take_internal():
        return False
    try:
        if key in state.reported:
            return False
        state.reported.add(key)
        state.findings[rule] = state.findings.get(rule, 0) + 1
        state.finding_total += 1
        state.finding_log.append((rule, message))
        del state.finding_log[:-1000]
    finally:
        state.lock.release()
    fields = {"name": RULE_NAMES.get(rule, rule), "thread": thread_name(), "argv": list(sys.argv)}
    fields.update(extra or {})
    record = make_record(rule, message, locks, edges=edges, threads=threads, extra=fields)
    state.writer.write(record)
    return True


def lock_collected(lock_id):
    """Called from a lock's __del__: queue its id for removal (no locking here)."""
    state.dead.append(lock_id)
    order_file.forget(lock_id)


def _purge_dead():
    """Remove collected locks from the graph (internal lock held)."""
    dead = state.dead
    while dead:
        lock_id = dead.pop()
        graph_record.forget_node(state.graph, lock_id, describe_lock)
        state.graph.remove_node(lock_id)
        state.locks.pop(lock_id, None)
        state.caches.pop(lock_id, None)


def clear_caches():
    """Empty every lock's seen-edge cache (after reset); the sets stay registered."""
    for after in state.caches.values():
        after.clear()


def summary():
    """The one-paragraph end-of-run summary."""
    total_locks = locks_seen()
    parts = ", ".join("%s %s: %d" % (rule, RULE_NAMES.get(rule, ""), n)
                      for rule, n in sorted(state.findings.items())) or "none"
    text = ("lockorder: %d locks seen, %d lock-order edges, findings: %s" % (
        total_locks, state.edges_seen, parts))
    if state.suppressed:
        text += " (%d cycle(s) suppressed by a common gate lock)" % state.suppressed
    if state.too_deep:
        text += (" (%d acquire(s) made while holding more than %d locks at once were not "
                 "checked for order)" % (state.too_deep, MAX_HELD))
    return text + ". " + state.writer.where() + "."


def take_internal():
    """Acquire the internal lock (at most INTERNAL_TIMEOUT s); True when taken.

    In a forked child whose own at-fork hook has not run yet (threading's and
    other hooks registered before the runtime run first and may take
    instrumented locks), the locks inherited from the parent are replaced
    first: a thread that held one at fork time does not exist here.  While
    the forking thread holds them for the fork, it records nothing.
    """
    if state.pid != os.getpid():
        after_fork_in_child()
    elif state.fork_owner == get_ident():
        return False
    return state.lock.acquire(True, INTERNAL_TIMEOUT)


def before_fork():
    """os.fork is about to run: hold the internal lock and the writer's, so the
    child gets them in a consistent state (never waits more than INTERNAL_TIMEOUT each)."""
    if state.pid != os.getpid():
        after_fork_in_child()
    took_state = state.lock.acquire(True, INTERNAL_TIMEOUT)
    took_writer = state.writer._lock.acquire(True, INTERNAL_TIMEOUT)
    state.fork_held = (took_state, took_writer)
    state.fork_owner = get_ident()


def after_fork_in_parent():
    """Release what before_fork took."""
    took_state, took_writer = state.fork_held
    state.fork_held = (False, False)
    state.fork_owner = None
    if took_writer:
        state.writer._lock.release()
    if took_state:
        state.lock.release()


def after_fork_in_child():
    """Fresh internal locks in a forked child; findings so far stay counted."""
    state.lock = allocate_lock()
    state.pid = os.getpid()
    state.fork_owner = None
    state.fork_held = (False, False)
    state.writer.after_fork_in_child()
