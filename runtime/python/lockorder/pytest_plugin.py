"""pytest plugin: ``python3 -m pytest -p lockorder.pytest_plugin``.

Records lock order for the whole session.  The test during which a finding
was first seen fails (unless ``--lockorder-report-only``); the summary is
printed at the end of the session.
"""

import pytest

from . import report_writer, session, tracker
from .options import Options


def pytest_addoption(parser):
    """The plugin's command-line options."""
    group = parser.getgroup("lockorder", "lock-order recording")
    group.addoption("--lockorder-report-only", action="store_true", default=False,
                    help="report lock-order findings without failing tests")
    group.addoption("--lockorder-report-dir", default=".lockorder",
                    help="directory for lockorder-<pid>.jsonl (default: .lockorder)")
    group.addoption("--lockorder-watchdog", type=float, default=10.0,
                    help="seconds before a blocked acquire is checked for deadlock (0 = off)")
    group.addoption("--lockorder-raise", action="store_true", default=False,
                    help="raise LockOrderViolation / DeadlockError at the culprit")


def pytest_configure(config):
    """Install the runtime before test modules are imported."""
    config._lockorder_seen = tracker.state.finding_total
    session.install(Options(report_dir=config.getoption("lockorder_report_dir"),
                            watchdog=config.getoption("lockorder_watchdog"),
                            raise_on_finding=config.getoption("lockorder_raise"),
                            summary=False))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    """Name the running test in every record written while it runs."""
    report_writer.context["test"] = item.nodeid
    try:
        yield
    finally:
        report_writer.context.pop("test", None)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Fail the phase of a test during which new findings appeared."""
    outcome = yield
    report = outcome.get_result()
    config = item.config
    total = tracker.state.finding_total
    if total <= config._lockorder_seen:
        return
    new = tracker.state.finding_log[-(total - config._lockorder_seen):]
    config._lockorder_seen = total
    item.user_properties.append(("lockorder", [rule for rule, _ in new]))
    if config.getoption("lockorder_report_only") or report.failed:
        return
    report.outcome = "failed"
    report.longrepr = "lockorder: %d finding(s) first seen during this test:\n%s" % (
        len(new), "\n".join("  %s %s" % (rule, message) for rule, message in new))


def pytest_terminal_summary(terminalreporter):
    """The lockorder summary paragraph at the end of the run."""
    terminalreporter.write_line(tracker.summary())


def pytest_unconfigure(config):
    """Restore threading.Lock / RLock."""
    session.uninstall()
