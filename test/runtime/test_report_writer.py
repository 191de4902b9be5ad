"""The report writer: JSON Lines, whole records, readable after a crash."""

import contextlib
import io
import json
import os
import tempfile
import unittest

from runtime_helpers import run_python, report_records
from lockorder import report_writer
from lockorder.report_writer import ReportWriter, make_record, read_records


class ReportWriterTests(unittest.TestCase):
    """Writing and reading report files."""

    def setUp(self):
        """A temporary directory for report files."""
        self._tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self._tmp.cleanup)
        self.dir = os.path.join(self._tmp.name, "reports")

    def test_one_json_object_per_line_in_pid_file(self):
        writer = ReportWriter(self.dir)
        writer.write(make_record("LO101", "first", [], edges=[]))
        writer.write(make_record("LO102", "second\nline", [], edges=[]))
        writer.close()
        self.assertEqual(writer.path, os.path.join(self.dir, "lockorder-%d.jsonl" % os.getpid()))
        with open(writer.path) as handle:
            lines = handle.read().splitlines()
        self.assertEqual(len(lines), 2)
        first = json.loads(lines[0])
        self.assertEqual(first["version"], 1)
        self.assertEqual(first["rule"], "LO101")
        self.assertEqual(first["pid"], os.getpid())
        self.assertRegex(first["time"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
        self.assertEqual(json.loads(lines[1])["message"], "second\nline")

    def test_torn_last_line_is_skipped(self):
        writer = ReportWriter(self.dir)
        writer.write(make_record("LO101", "kept", []))
        writer.close()
        with open(writer.path, "a") as handle:
            handle.write('{"version": 1, "rule": "LO1')
        self.assertEqual([r["message"] for r in read_records(writer.path)], ["kept"])

    def test_unwritable_directory_gives_one_message_not_an_exception(self):
        blocker = os.path.join(self._tmp.name, "file")
        open(blocker, "w").close()
        writer = ReportWriter(os.path.join(blocker, "sub"))
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            self.assertFalse(writer.write(make_record("LO101", "x", [])))
            self.assertFalse(writer.write(make_record("LO101", "y", [])))
        self.assertEqual(err.getvalue().count("cannot write report"), 1)

    def test_crash_mid_run_keeps_earlier_records(self):
        script = (
            "import os, threading, lockorder\n"
            "lockorder.install(report_dir=%r)\n"
            "a = threading.Lock()\n"
            "b = threading.Lock()\n"
            "with a:\n    with b: pass\n"
            "with b:\n    with a: pass\n"
            "c = threading.Lock()\n"
            "with c:\n    c.acquire(timeout=0.01)\n"
            "os.kill(os.getpid(), 9)\n" % self.dir)
        proc = run_python(["-c", script])
        self.assertNotEqual(proc.returncode, 0)
        rules = [r["rule"] for r in report_records(self.dir)]
        self.assertEqual(rules, ["LO101", "LO102"])

    def test_iso_time(self):
        self.assertEqual(report_writer.iso_time(0.25), "1970-01-01T00:00:00.250Z")


if __name__ == "__main__":
    unittest.main()
