"""Run one of CPython's test suites like ``python -m unittest MODULE``, minus known CPython hangs.

Usage: ``python stdlib_suite.py MODULE`` (plainly, or as the script of
``python -m lockorder run``).  The output and exit status are those of
``python -m unittest MODULE``, except that the tests listed in ``KNOWN_HANGS``
for this exact interpreter version are left out, with a line on stderr saying
which and why.  They are left out of both the plain run and the run under
lockorder, so the two stay comparable.
"""

import platform
import sys
import unittest

# (interpreter version, test method name) -> why it is left out.  Only CPython's own bugs,
# each fixed in a later release of the same series, and only for the versions that have them.
KNOWN_HANGS = {
    ("3.13.0", "test_shutdown_deadlock_pickle"):
        "CPython gh-125451, fixed in 3.13.1: the executor manager thread joins the queue feeder "
        "thread while holding shutdown_lock, and the feeder, handling the pickling error, waits "
        "for shutdown_lock",
}


def left_out(test, version):
    """Why ``test`` (a TestCase) is left out on ``version``, or None."""
    return KNOWN_HANGS.get((version, getattr(test, "_testMethodName", None)))


def without_known_hangs(suite, version, dropped):
    """A copy of ``suite`` without the known hangs of ``version``; appends (id, why) to dropped."""
    kept = unittest.TestSuite()
    for test in suite:
        if isinstance(test, unittest.TestSuite):
            kept.addTest(without_known_hangs(test, version, dropped))
            continue
        why = left_out(test, version)
        if why is None:
            kept.addTest(test)
        else:
            dropped.append((test.id(), why))
    return kept


def main(argv):
    """Run the suite named by argv[1]; returns the exit status."""
    if len(argv) != 2:
        sys.stderr.write("usage: stdlib_suite.py MODULE\n")
        return 2
    version = platform.python_version()
    dropped = []
    suite = without_known_hangs(unittest.defaultTestLoader.loadTestsFromName(argv[1]),
                                version, dropped)
    for test_id, why in dropped:
        sys.stderr.write("left out on Python %s: %s (%s)\n" % (version, test_id, why))
    result = unittest.TextTestRunner(verbosity=1).run(suite)
    return 0 if result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
