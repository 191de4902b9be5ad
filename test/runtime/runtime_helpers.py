"""Shared helpers for the runtime tests: a recording fixture and a subprocess runner."""

import os
import subprocess
import sys
import tempfile
import textwrap
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
RUNTIME = os.path.join(os.path.dirname(os.path.dirname(HERE)), "runtime", "python")
if RUNTIME not in sys.path:
    sys.path.insert(0, RUNTIME)

import lockorder  # noqa: E402
from lockorder import report_writer, tracker  # noqa: E402


class RecordingTestCase(unittest.TestCase):
    """Installs the runtime into a fresh temporary report dir for each test."""

    raise_on_finding = False
    watchdog = 10.0
    order_file = ""          # no declared order unless a test class names one

    def setUp(self):
        """Fresh report dir, empty state, runtime installed."""
        self._tmp = tempfile.TemporaryDirectory()
        self.report_dir = self._tmp.name
        lockorder.reset()
        lockorder.install(report_dir=self.report_dir, summary=False,
                          raise_on_finding=self.raise_on_finding, watchdog=self.watchdog,
                          order_file=self.order_file)

    def tearDown(self):
        """Uninstall and forget everything."""
        lockorder.uninstall()
        lockorder.reset()
        self._tmp.cleanup()

    def records(self, rule=None):
        """All records written so far (optionally of one rule)."""
        path = tracker.state.writer.path
        if not os.path.exists(path):
            return []
        found = report_writer.read_records(path)
        return [r for r in found if rule is None or r["rule"] == rule]


def child_env(**extra):
    """Environment for a child Python that can import lockorder."""
    env = dict(os.environ)
    for name in list(env):
        if name.startswith("LOCKORDER"):
            del env[name]
    env["PYTHONPATH"] = RUNTIME
    env.update(extra)
    return env


def write_script(directory, name, source):
    """Write a dedented script file and return its path."""
    path = os.path.join(directory, name)
    with open(path, "w") as handle:
        handle.write(textwrap.dedent(source))
    return path


def run_python(args, cwd=None, env=None, timeout=120, executable=None):
    """Run ``python3 args...`` (or ``executable``); returns the CompletedProcess with text output."""
    return subprocess.run([executable or sys.executable] + list(args), cwd=cwd,
                          env=env or child_env(),
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, timeout=timeout)


def report_records(report_dir):
    """Every record in every report file of a directory."""
    found = []
    if os.path.isdir(report_dir):
        for name in sorted(os.listdir(report_dir)):
            if name.endswith(".jsonl"):
                found.extend(report_writer.read_records(os.path.join(report_dir, name)))
    return found
