"""Startup hook put on PYTHONPATH by ``python3 -m lockorder run`` for child processes.

When LOCKORDER=1 it installs the runtime, then runs any other sitecustomize
that this one shadows.
"""

import os
import sys


def _start():
    """Install lockorder in this (child) process, then chain to the next sitecustomize."""
    if os.environ.get("LOCKORDER") == "1":
        try:
            import lockorder
            lockorder.install_from_env(child=True)
        except Exception as exc:   # never break the child's start-up
            sys.stderr.write("lockorder: not recording in child %d: %s\n" % (os.getpid(), exc))
    here = os.path.dirname(os.path.abspath(__file__))
    for entry in sys.path:
        if entry and os.path.abspath(entry) != here:
            candidate = os.path.join(entry, "sitecustomize.py")
            if os.path.isfile(candidate):
                with open(candidate, "rb") as handle:
                    exec(compile(handle.read(), candidate, "exec"), {"__name__": "sitecustomize"})
                break


_start()
