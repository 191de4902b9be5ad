"""lockorder runtime: records lock order in threaded Python and reports deadlock risks.

Public API: ``acquire(*locks, timeout=None)``, ``install(...)``, ``uninstall()``,
``reset()``, ``LockOrderViolation``, ``DeadlockError``, ``AcquireTimeout``,
``Options``.  Run a program under it with ``python3 -m lockorder run script.py``.
Setting LOCKORDER=1 in the environment installs it when this package is imported.
"""

from .errors import AcquireTimeout, DeadlockError, LockOrderViolation
from .instrumented import InstrumentedLock, InstrumentedRLock
from .options import Options
from .ordered import acquire
from .session import install, install_from_env, is_installed, reset, summary_text, uninstall

__version__ = "0.1.0"
__all__ = ["acquire", "install", "uninstall", "reset", "is_installed", "summary_text",
           "install_from_env", "LockOrderViolation", "DeadlockError", "AcquireTimeout",
           "Options", "InstrumentedLock", "InstrumentedRLock"]

install_from_env()
