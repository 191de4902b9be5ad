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

    def test_records_name_their_language_as_node_records_do(self):
        writer = ReportWriter(self.dir)
        writer.write(make_record("LO101", "first", [], edges=[]))
        writer.close()
        with open(writer.path) as handle:
            record = json.loads(handle.readline())
        self.assertEqual(record["language"], "python")
        self.assertEqual(list(record)[:2], ["version", "rule"])

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

    def test_record_after_the_file_was_deleted_goes_to_a_new_file(self):
        writer = ReportWriter(self.dir)
        writer.write(make_record("LO101", "before clear", []))
        os.remove(writer.path)                       # what "Clear Run-Time Reports" does
        writer.write(make_record("LO102", "after clear", []))
        self.assertEqual([r["message"] for r in read_records(writer.path)], ["after clear"])
        self.assertIn("Report: %s (1 record); 1 earlier record went to a report file deleted"
                      % writer.path, writer.where())

    def test_record_after_the_file_was_replaced_goes_to_the_file_at_the_path(self):
        writer = ReportWriter(self.dir)
        writer.write(make_record("LO101", "first", []))
        os.rename(writer.path, writer.path + ".old")
        writer.write(make_record("LO102", "second", []))
        self.assertEqual([r["message"] for r in read_records(writer.path)], ["second"])

    def test_summary_of_a_run_whose_report_was_cleared_names_the_file_holding_the_records(self):
        script = os.path.join(self._tmp.name, "cleared.py")
        with open(script, "w") as handle:
            handle.write(
                "import glob, os, threading\n"
                "a = threading.Lock()\nb = threading.Lock()\n"
                "c = threading.Lock()\nd = threading.Lock()\n"
                "with a:\n    with b: pass\n"
                "with b:\n    with a: pass\n"
                "for path in glob.glob(os.path.join(%r, '*.jsonl')):\n"
                "    os.remove(path)\n"
                "with c:\n    with d: pass\n"
                "with d:\n    with c: pass\n" % self.dir)
        proc = run_python(["-m", "lockorder", "run", "--report-dir", self.dir, script])
        self.assertEqual(proc.returncode, 0, proc.stderr)
        records = report_records(self.dir)
        self.assertEqual([sorted(l["name"] for l in r["locks"]) for r in records], [["c", "d"]])
        path = os.path.join(self.dir, os.listdir(self.dir)[0])
        self.assertIn("Report: %s (1 record); 1 earlier record went to a report file deleted "
                      "during the run." % path, proc.stderr)

    def test_summary_after_close_names_the_file(self):
        writer = ReportWriter(self.dir)
        writer.write(make_record("LO101", "x", []))
        writer.close()                               # what uninstall() does before the summary
        self.assertEqual(writer.where(), "Report: %s (1 record)" % writer.path)

    def test_summary_says_so_when_the_report_was_deleted_after_its_last_record(self):
        writer = ReportWriter(self.dir)
        writer.write(make_record("LO101", "x", []))
        os.remove(writer.path)
        self.assertEqual(writer.where(), "No report file holds this run's records: %s was "
                         "deleted during the run (1 record)" % writer.path)

    def test_iso_time(self):
        self.assertEqual(report_writer.iso_time(0.25), "1970-01-01T00:00:00.250Z")


if __name__ == "__main__":
    unittest.main()
