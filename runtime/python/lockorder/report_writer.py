"""The one report writer: JSON Lines, one whole record per write, never buffered.

Records go to ``DIR/lockorder-<pid>.jsonl``; each is one ``os.write`` on an
O_APPEND descriptor, so a crash later in the run loses no earlier record.
"""

import json
import os
import sys
import time
from _thread import allocate_lock

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
              "time": iso_time(), "pid": os.getpid(), "locks": locks}
    if edges is not None:
        record["edges"] = edges
    if threads is not None:
        record["threads"] = threads
    if extra:
        record.update(extra)
    for key, value in context.items():
        record.setdefault(key, value)
    return record


class ReportWriter:
    """Appends records to this process's report file, opened on first write."""

    def __init__(self, report_dir):
        self.report_dir = os.path.abspath(report_dir)
        self.records = 0
        self.failed = None
        self._fd = None
        self._pid = None
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
            return True

    def _open(self):
        """The descriptor for this pid's file (reopened after a fork)."""
        if self._fd is None or self._pid != os.getpid():
            os.makedirs(self.report_dir, exist_ok=True)
            self._fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
            self._pid = os.getpid()
        return self._fd

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
        self.records = 0


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
