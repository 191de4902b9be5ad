"""The one options object of the runtime, built from arguments or the environment."""

import os


class Options:
    """Settings of a recording session.

    report_dir: where ``lockorder-<pid>.jsonl`` goes (default ``.lockorder``).
    raise_on_finding: raise LockOrderViolation / DeadlockError at the culprit.
    watchdog: seconds a blocked acquire may wait before the waits-for check (0 = off).
    stack_depth: most frames kept per recorded stack.
    summary: print the one-paragraph summary to stderr at exit.
    order_file: the declared lock hierarchy; None = find it (LOCKORDER_ORDER_FILE,
    ``lockorder.order`` next to the script, then in the current directory), "" = none.
    """

    def __init__(self, report_dir=".lockorder", raise_on_finding=False,
                 watchdog=10.0, stack_depth=20, summary=True, order_file=None):
        self.report_dir = report_dir
        self.raise_on_finding = bool(raise_on_finding)
        self.watchdog = float(watchdog)
        self.stack_depth = int(stack_depth)
        self.summary = bool(summary)
        self.order_file = order_file
        if self.watchdog < 0:
            raise ValueError("watchdog must be >= 0 seconds, got %r" % (watchdog,))
        if self.stack_depth < 1:
            raise ValueError("stack_depth must be >= 1, got %r" % (stack_depth,))

    def wait_slice(self):
        """How long one slice of a blocking wait lasts, in seconds."""
        if self.watchdog <= 0:
            return 0.25
        return max(0.005, min(0.25, self.watchdog / 4.0))

    def to_env(self):
        """Environment variables that make child processes record the same way."""
        env = {
            "LOCKORDER": "1",
            "LOCKORDER_REPORT_DIR": os.path.abspath(self.report_dir),
            "LOCKORDER_RAISE": "1" if self.raise_on_finding else "0",
            "LOCKORDER_WATCHDOG": repr(self.watchdog),
        }
        if self.order_file:
            env["LOCKORDER_ORDER_FILE"] = os.path.abspath(self.order_file)
        return env

    @classmethod
    def from_env(cls, environ=None):
        """Options from LOCKORDER_REPORT_DIR, LOCKORDER_RAISE, LOCKORDER_WATCHDOG,
        LOCKORDER_ORDER_FILE."""
        env = os.environ if environ is None else environ
        try:
            watchdog = float(env.get("LOCKORDER_WATCHDOG", "10"))
        except ValueError:
            watchdog = 10.0
        return cls(report_dir=env.get("LOCKORDER_REPORT_DIR") or ".lockorder",
                   raise_on_finding=env.get("LOCKORDER_RAISE") == "1",
                   watchdog=max(0.0, watchdog), summary=True,
                   order_file=env.get("LOCKORDER_ORDER_FILE") or None)
