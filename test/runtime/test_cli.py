"""``python3 -m lockorder run``: behaves like ``python3 script.py``, records, reports."""

import os
import sys
import tempfile
import unittest

from runtime_helpers import RUNTIME, child_env, report_records, run_python, write_script

ROOT = os.path.dirname(os.path.dirname(RUNTIME))

INVERSION = """
import threading
a_lock = threading.Lock()
b_lock = threading.Lock()
def one():
    with a_lock:
        with b_lock:
            pass
def two():
    with b_lock:
        with a_lock:
            pass
"""


class RunCommandTests(unittest.TestCase):
    """The run command seen from a shell."""

    def setUp(self):
        """A temporary working directory."""
        self._tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self._tmp.cleanup)
        self.dir = self._tmp.name
        self.reports = os.path.join(self.dir, "reports")

    def lockorder(self, *args, **kwargs):
        """Run ``python3 -m lockorder ...`` in the temp dir."""
        return run_python(["-m", "lockorder"] + list(args), cwd=self.dir, **kwargs)

    def test_behaves_like_python(self):
        script = write_script(self.dir, "prog.py", """
            import sys
            print("argv", sys.argv)
            print("name", __name__, __file__ == sys.argv[0] or __file__)
            print("main", sys.modules["__main__"].__dict__ is globals())
            sys.exit(3)
            """)
        proc = self.lockorder("run", "--report-dir", self.reports, "prog.py", "x", "--y")
        self.assertEqual(proc.returncode, 3, proc.stderr)
        self.assertIn("argv ['prog.py', 'x', '--y']", proc.stdout)
        self.assertIn("name __main__ " + script, proc.stdout)
        self.assertIn("main True", proc.stdout)
        self.assertIn("lockorder: ", proc.stderr)
        self.assertIn("findings: none", proc.stderr)

    def test_missing_script_is_a_message_and_exit_2(self):
        proc = self.lockorder("run", "missing.py")
        self.assertEqual(proc.returncode, 2)
        self.assertIn("cannot open script 'missing.py'", proc.stderr)
        self.assertNotIn("Traceback", proc.stderr)

    def test_bad_usage_exits_2(self):
        for args in (["run"], ["run", "--watchdog", "soon", "x.py"], ["run", "--bogus", "x.py"],
                     ["frobnicate"], ["run", "-m", "no_such_module_here"]):
            proc = self.lockorder(*args)
            self.assertEqual(proc.returncode, 2, args)
            self.assertTrue(proc.stderr.startswith("lockorder: "), proc.stderr)
            self.assertNotIn("Traceback", proc.stderr)

    def test_unusable_report_dir_exits_2(self):
        write_script(self.dir, "prog.py", "print('hi')\n")
        open(os.path.join(self.dir, "afile"), "w").close()
        proc = self.lockorder("run", "--report-dir", "afile/sub", "prog.py")
        self.assertEqual(proc.returncode, 2)
        self.assertIn("cannot create report directory", proc.stderr)

    def test_module_mode(self):
        write_script(self.dir, "tool.py", """
            import sys
            print("argv", sys.argv[1:], __name__, sys.argv[0].endswith("tool.py"))
            """)
        proc = self.lockorder("run", "--report-dir", self.reports, "-m", "tool", "a", "b")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("argv ['a', 'b'] __main__ True", proc.stdout)

    def test_uncaught_exception_exit_1_without_runtime_frames(self):
        write_script(self.dir, "boom.py", "def f():\n    raise ValueError('bad')\nf()\n")
        proc = self.lockorder("run", "--report-dir", self.reports, "boom.py")
        self.assertEqual(proc.returncode, 1)
        self.assertIn("ValueError: bad", proc.stderr)
        self.assertIn('boom.py", line 2, in f', proc.stderr)
        self.assertNotIn("lockorder/cli.py", proc.stderr)

    def test_inversion_reported_in_default_dir_with_summary(self):
        write_script(self.dir, "inv.py", INVERSION + "one()\ntwo()\n")
        proc = self.lockorder("run", "inv.py")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        records = report_records(os.path.join(self.dir, ".lockorder"))
        self.assertEqual([r["rule"] for r in records], ["LO101"])
        self.assertEqual({l["name"] for l in records[0]["locks"]}, {"a_lock", "b_lock"})
        self.assertIn("LO101 lock-order-inversion: 1", proc.stderr)
        self.assertIn(os.path.join(self.dir, ".lockorder", "lockorder-"), proc.stderr)

    def test_raise_mode(self):
        write_script(self.dir, "inv.py", INVERSION + """
import lockorder
one()
try:
    two()
except lockorder.LockOrderViolation as exc:
    print("raised", type(exc).__name__, a_lock.locked(), b_lock.locked())
""")
        proc = self.lockorder("run", "--raise", "--report-dir", self.reports, "inv.py")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("raised LockOrderViolation False False", proc.stdout)

    def test_child_processes_record_too(self):
        write_script(self.dir, "child.py", INVERSION + "one()\ntwo()\nprint('child done')\n")
        write_script(self.dir, "parent.py", """
            import subprocess, sys
            out = subprocess.run([sys.executable, "child.py"], stdout=subprocess.PIPE)
            print(out.stdout.decode().strip(), out.returncode)
            """)
        proc = self.lockorder("run", "--report-dir", self.reports, "parent.py")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("child done 0", proc.stdout)
        records = report_records(self.reports)
        self.assertEqual([r["rule"] for r in records], ["LO101"])
        self.assertNotEqual(records[0]["pid"], None)
        self.assertEqual(len(os.listdir(self.reports)), 1)

    def test_environment_variable_switches_it_on(self):
        write_script(self.dir, "inv.py", "import lockorder\n" + INVERSION + "one()\ntwo()\n")
        env = child_env(LOCKORDER="1", LOCKORDER_REPORT_DIR=self.reports)
        proc = run_python(["inv.py"], cwd=self.dir, env=env)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual([r["rule"] for r in report_records(self.reports)], ["LO101"])

    def test_demo_example_reports_one_inversion(self):
        demo = os.path.join(ROOT, "examples", "runtime_demo.py")
        self.assertTrue(os.path.exists(demo), "the demo that npm start runs is part of the repository")
        proc = self.lockorder("run", "--report-dir", self.reports, demo)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("LO101 lock-order-inversion: 1", proc.stderr)
        self.assertEqual([r["rule"] for r in report_records(self.reports)], ["LO101"])


if __name__ == "__main__":
    unittest.main()
