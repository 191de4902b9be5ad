"""The one report writer: JSON Lines, one whole record per write, never buffered.

Records go to ``DIR/lockorder-<pid>.jsonl``; each is one ``os.write`` on an
O_APPEND descriptor, so a crash later in the run loses no earlier record.
Before each write the open file is compared (device and inode) with the one
the path names now: when the report was deleted meanwhile (the editor's
"Clear Run-Time Reports") or replaced, the record goes to a new file at the
path instead of into the unlinked one.  Records are rare, so this costs two
``stat`` calls per record and nothing per lock operation.
"""

import json
import os
import sys
import time
from _thread import allocate_lock

from .stacks import INNER_MAX, OUTER_KEPT, cut

SCHEMA_VERSION = 1

#: Context added to every record while it is set, e.g. {"test": "tests/test_x.py::test_y"}.
context = {}


def iso_time(now=None):
    """UTC time as ISO 8601 with milliseconds, e.g. 2026-11-22T07:33:07.123Z."""
    now = time.time() if now is None else now
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now)) + ".%03dZ" % (int(now * 1000) % 1000)


def make_record(rule, message, locks, edges=None, threads=None, extra=None):
    """Build a schema-version-1 record."""
    record = {"version": SCHEMA_VERSION, "rule": rule, "message": message,
              "time": iso_time(), "pid": os.getpid(), "language": "python", "locks": locks}
    if edges is not None:
        record["edges"] = [_bounded(e) for e in edges]
    if threads is not None:
        record["threads"] = [_bounded(t) for t in threads]
    if extra:
        record.update(extra)
    for key, value in context.items():
        record.setdefault(key, value)
    return record


def _bounded(item):
    """An edge or thread whose stack is cut to the frame limit, with ``frames_dropped``."""
    stack = item.get("stack")
    if not stack:
        return item
    dropped = getattr(stack, "dropped", 0)
    if len(stack) > INNER_MAX + OUTER_KEPT:
        stack, more = cut(stack, INNER_MAX)
        item = dict(item, stack=stack)
        dropped += more
    if dropped:
        item = dict(item, frames_dropped=dropped)
    return item


class ReportWriter:
    """Appends records to this process's report file, opened on first write."""

    def __init__(self, report_dir):
        self.report_dir = os.path.abspath(report_dir)
        self.records = 0        # records written by this process
        self.in_file = 0        # of those, records written to the file open now
        self.gone = 0           # records written to files deleted or replaced since
        self.failed = None
        self._fd = None
        self._pid = None
        self._identity = None   # (device, inode) of the file last opened
        self._lock = allocate_lock()

    @property
    def path(self):
        """The report file of the current process."""
        return os.path.join(self.report_dir, "lockorder-%d.jsonl" % os.getpid())

    def write(self, record):
        """Append one record as one JSON line; returns False if it could not."""
        data = (json.dumps(record, default=str, ensure_ascii=False) + "\n").encode("utf-8")
        with self._lock:
            try:
                fd = self._open()
                while data:
                    data = data[os.write(fd, data):]
            except OSError as exc:
                if self.failed is None:
                    self.failed = str(exc)
                    sys.stderr.write("lockorder: cannot write report %s: %s\n" % (self.path, exc))
                return False
            self.records += 1
            self.in_file += 1
            return True

    def _open(self):
        """The descriptor for this pid's file (reopened after a fork, a delete or a replace)."""
        if self._identity is not None and self._pid == os.getpid() and not self._still_there():
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None
            self._identity = None
            self.gone += self.in_file
            self.in_file = 0
        if self._fd is None or self._pid != os.getpid():
            os.makedirs(self.report_dir, exist_ok=True)
            self._fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
            self._pid = os.getpid()
            mine = os.fstat(self._fd)
            self._identity = (mine.st_dev, mine.st_ino)
        return self._fd

    def _still_there(self):
        """True when the path still names the file this process last wrote to."""
        try:
            now = os.stat(self.path)
        except OSError:
            return False
        return self._identity == (now.st_dev, now.st_ino)

    def where(self):
        """For the exit summary: which file holds this process's records, and what was lost."""
        if not self.records:
            return "No report written (report dir %s)" % self.report_dir
        locked = self._lock.acquire(True, 1.0)    # a daemon thread may be stuck mid-write
        try:
            there = self._identity is not None and self._still_there()
        finally:
            if locked:
                self._lock.release()
        held = self.in_file if there else 0
        gone = self.gone + (0 if there else self.in_file)
        if held:
            text = "Report: %s (%d record%s)" % (self.path, held, "" if held == 1 else "s")
            if gone:
                text += "; %d earlier record%s went to a report file deleted during the run" % (
                    gone, "" if gone == 1 else "s")
            return text
        return ("No report file holds this run's records: %s was deleted during the run "
                "(%d record%s)" % (self.path, gone, "" if gone == 1 else "s"))

    def close(self):
        """Close the file (a later write reopens it)."""
        with self._lock:
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None

    def after_fork_in_child(self):
        """Fresh lock and file in a forked child (its records get the child's pid)."""
        self._lock = allocate_lock()
        if self._fd is not None:
            try:
                os.close(self._fd)
            except OSError:
                pass
        self._fd = None
        self._identity = None
        self.records = self.in_file = self.gone = 0


def read_records(path):
    """Read a report file; a torn last line (crash mid-write) is skipped."""
    records = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            try:
                records.append(json.loads(line))
            except ValueError:
                continue
    return records
