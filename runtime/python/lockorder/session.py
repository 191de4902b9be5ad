"""Switching recording on and off: install(), uninstall(), the environment, forks, exit.

``install`` replaces ``threading.Lock`` / ``threading.RLock`` with the
instrumented classes (``_thread.allocate_lock`` is left alone) and points the
tracker at a report writer.  The summary paragraph is printed at exit.
"""

import atexit
import os
import sys
import threading

from . import graph_record, held_locks, order_file, ordered, tracker, watchdog
from . import instrumented, semaphores, waits
from .options import Options
from .report_writer import ReportWriter

_original = {"Lock": threading.Lock, "RLock": threading.RLock}
_flags = {"atexit": False, "fork": False, "quiet_summary": False}


def install(options=None, **overrides):
    """Start recording.  ``options`` is an Options; keywords override its fields.

    Keywords: report_dir, raise_on_finding, watchdog, stack_depth, summary, order_file.
    Calling install again just updates the options (and reloads the order file).
    Returns the Options used.
    """
    opts = options or Options()
    if overrides:
        fields = dict(vars(opts))
        fields.update(overrides)
        opts = Options(**fields)
    state = tracker.state
    if state.writer.report_dir != os.path.abspath(opts.report_dir):
        state.writer.close()
        state.writer = ReportWriter(opts.report_dir)
    state.options = opts
    order_file.load(order_file.find_file(opts.order_file, order_file.main_script()))
    ordered.forget_plans()
    threading.Lock = instrumented.Lock
    threading.RLock = instrumented.RLock
    threading.Semaphore = semaphores.Semaphore
    threading.BoundedSemaphore = semaphores.BoundedSemaphore
    waits.install()
    state.enabled = True
    if not _flags["fork"] and hasattr(os, "register_at_fork"):
        os.register_at_fork(before=tracker.before_fork,
                            after_in_parent=tracker.after_fork_in_parent,
                            after_in_child=_after_fork_in_child)
        _flags["fork"] = True
    if opts.summary and not _flags["atexit"]:
        atexit.register(_print_summary)
        _flags["atexit"] = True
    if graph_record.wanted():
        graph_record.start()      # registered after the summary, so it runs before it
    return opts


def uninstall():
    """Stop recording and restore ``threading.Lock`` / ``RLock``.

    Locks created meanwhile keep working as ordinary locks.  Returns the summary text.
    """
    state = tracker.state
    threading.Lock = _original["Lock"]
    threading.RLock = _original["RLock"]
    threading.Semaphore = semaphores.original["Semaphore"]
    threading.BoundedSemaphore = semaphores.original["BoundedSemaphore"]
    waits.uninstall()
    state.enabled = False
    state.writer.close()
    return tracker.summary()


def is_installed():
    """True while recording is on."""
    return tracker.state.enabled


def reset():
    """Forget every edge and finding (for tests and long-running programs)."""
    tracker.clear_caches()
    with tracker.state.lock:
        tracker.state.reset()


def install_from_env(environ=None, child=False):
    """Install when LOCKORDER=1 (used at import and in child processes)."""
    env = os.environ if environ is None else environ
    if env.get("LOCKORDER") != "1" or is_installed():
        return None
    if child or env.get("LOCKORDER_CHILD") == "1":
        _flags["quiet_summary"] = True
    return install(Options.from_env(env))


def summary_text():
    """The summary paragraph for the current process."""
    return tracker.summary()


def _print_summary():
    """atexit: the one-paragraph summary to stderr (children only if they found something)."""
    state = tracker.state
    if not state.options.summary or (_flags["quiet_summary"] and not state.finding_total):
        return
    try:
        sys.stderr.write(tracker.summary() + "\n")
        sys.stderr.flush()
    except Exception:
        pass


def _after_fork_in_child():
    """Keep the child's state sane: only the forking thread and its held locks remain."""
    held_locks.after_fork_in_child()
    if tracker.state.pid != os.getpid():      # not done yet by an earlier hook's acquire
        tracker.after_fork_in_child()
    graph_record.after_fork_in_child()
    watchdog.after_fork_in_child()
    _flags["quiet_summary"] = True
