"""Command line: ``python3 -m lockorder run [options] script.py [args]`` or ``-m module [args]``.

The program runs as ``python3 script.py`` would: same ``sys.argv``, a real
``__main__`` module, same exit code and output.  Child processes record too
(LOCKORDER=1 and a sitecustomize hook on PYTHONPATH).
"""

import importlib.util
import os
import sys
import traceback

from . import order_file, session
from .lock_identity import is_runtime_file
from .options import Options

USAGE = """usage: python3 -m lockorder run [--report-dir DIR] [--raise] [--watchdog SECONDS]
                               [--order-file PATH] (script.py | -m module) [args ...]

Runs a Python program with lock-order recording on.
  --report-dir DIR     where lockorder-<pid>.jsonl goes (default: .lockorder)
  --raise              raise LockOrderViolation / DeadlockError at the culprit
  --watchdog SECONDS   report a deadlock after a thread waits this long (default 10, 0 = off)
  --order-file PATH    the declared lock hierarchy (default: $LOCKORDER_ORDER_FILE, else
                       lockorder.order next to the script, else in the current directory)
"""


class UsageError(Exception):
    """Bad command line; the message is shown with exit status 2."""


def main(argv=None):
    """Entry point; returns the exit status for bad usage, else runs the program."""
    argv = sys.argv[1:] if argv is None else argv
    try:
        if not argv:
            sys.stderr.write(USAGE)
            return 2
        if argv[0] in ("-h", "--help", "help"):
            sys.stdout.write(USAGE)
            return 0
        if argv[0] == "--version":
            from . import __version__
            print("lockorder", __version__)
            return 0
        if argv[0] != "run":
            raise UsageError("unknown command %r (expected 'run')" % argv[0])
        opts, target, is_module, args = parse_run(argv[1:])
        code, main_module = load_target(target, is_module)
        ensure_report_dir(opts.report_dir)
        opts.order_file = resolve_order_file(opts.order_file, main_module, is_module)
    except UsageError as exc:
        sys.stderr.write("lockorder: %s\n(see: python3 -m lockorder --help)\n" % exc)
        return 2
    return run(opts, code, main_module, target, is_module, args)


def parse_run(args):
    """Split ``run`` arguments into (Options, target, is_module, program args)."""
    report_dir, raise_on, watchdog, order = ".lockorder", False, 10.0, None
    valued = ("--report-dir", "--watchdog", "--order-file")
    i = 0
    while i < len(args):
        arg = args[i]
        if arg in valued or arg.startswith(tuple(v + "=" for v in valued)):
            name, _, value = arg.partition("=")
            if not value:
                i += 1
                if i >= len(args):
                    raise UsageError("%s needs a value" % name)
                value = args[i]
            if name == "--report-dir":
                report_dir = value
            elif name == "--order-file":
                order = value
            else:
                watchdog = _seconds(value)
        elif arg == "--raise":
            raise_on = True
        elif arg == "-m":
            if i + 1 >= len(args):
                raise UsageError("-m needs a module name")
            return _options(report_dir, raise_on, watchdog, order), args[i + 1], True, args[i + 2:]
        elif arg.startswith("-m") and len(arg) > 2:
            return _options(report_dir, raise_on, watchdog, order), arg[2:], True, args[i + 1:]
        elif arg == "--":
            i += 1
            break
        elif arg.startswith("-"):
            raise UsageError("unknown option %r" % arg)
        else:
            break
        i += 1
    if i >= len(args):
        raise UsageError("no script or -m module given")
    return _options(report_dir, raise_on, watchdog, order), args[i], False, args[i + 1:]


def _seconds(value):
    """Parse --watchdog SECONDS."""
    try:
        seconds = float(value)
    except ValueError:
        raise UsageError("--watchdog expects seconds, got %r" % value)
    if seconds < 0:
        raise UsageError("--watchdog must be >= 0, got %r" % value)
    return seconds


def _options(report_dir, raise_on, watchdog, order=None):
    """Build the Options of a run."""
    return Options(report_dir=report_dir, raise_on_finding=raise_on, watchdog=watchdog,
                   order_file=order)


def resolve_order_file(explicit, target_info, is_module):
    """The order file of a run as an absolute path ("" for none); a missing --order-file is an error.

    Without --order-file: LOCKORDER_ORDER_FILE, then lockorder.order next to the
    script (the module's file with -m), then in the current directory.
    """
    if explicit is not None and not os.path.isfile(explicit):
        raise UsageError("cannot read order file %r" % explicit)
    script = getattr(target_info, "origin", None) if is_module else target_info
    found = order_file.find_file(explicit, script)
    return os.path.abspath(found) if found else ""


def ensure_report_dir(report_dir):
    """Create the report directory now, so a bad one is a clear error, not a late surprise."""
    try:
        os.makedirs(report_dir, exist_ok=True)
    except OSError as exc:
        raise UsageError("cannot create report directory %r: %s" % (report_dir, exc.strerror or exc))


def load_target(target, is_module):
    """Compile the script or find the module; returns (code, module spec or path)."""
    if is_module:
        return _load_module(target)
    path = os.path.abspath(target)
    if os.path.isdir(path):
        raise UsageError("%r is a directory; pass a script file or -m module" % target)
    try:
        with open(path, "rb") as handle:
            source = handle.read()
    except OSError as exc:
        raise UsageError("cannot open script %r: %s" % (target, exc.strerror or exc))
    try:
        return compile(source, path, "exec", dont_inherit=True), path
    except (SyntaxError, ValueError) as exc:
        traceback.print_exception(type(exc), exc, None)
        raise UsageError("cannot compile %r" % target)


def _load_module(name):
    """Find ``name`` the way ``python -m`` does (a package runs its __main__)."""
    try:
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.submodule_search_locations is not None:
            name += ".__main__"
            spec = importlib.util.find_spec(name)
    except (ImportError, ValueError) as exc:
        raise UsageError("cannot find module %r: %s" % (name, exc))
    if spec is None or spec.loader is None:
        raise UsageError("no module named %r" % name)
    code = spec.loader.get_code(name)
    if code is None:
        raise UsageError("module %r has no code to run" % name)
    return code, spec


def run(opts, code, target_info, target, is_module, args):
    """Install, set up ``__main__`` and ``sys.argv``, execute; returns the exit status."""
    import builtins
    import types
    _export_env(opts)
    session.install(opts)
    main = types.ModuleType("__main__")
    if is_module:
        spec = target_info
        main.__file__ = spec.origin
        main.__spec__ = spec
        main.__loader__ = spec.loader
        main.__package__ = spec.parent
        sys.argv = [spec.origin] + list(args)
        sys.path[0] = os.getcwd()
    else:
        main.__file__ = target_info
        main.__loader__ = None
        main.__spec__ = None
        sys.argv = [target] + list(args)
        sys.path[0] = os.path.dirname(target_info)
    main.__builtins__ = builtins
    sys.modules["__main__"] = main
    try:
        exec(code, main.__dict__)
    except SystemExit:
        raise
    except KeyboardInterrupt:
        _print_user_traceback()
        return 130
    except BaseException:
        _print_user_traceback()
        return 1
    return 0


def _print_user_traceback():
    """Print the current exception without lockorder's own frames."""
    kind, value, tb = sys.exc_info()
    while tb is not None and is_runtime_file(tb.tb_frame.f_code.co_filename):
        tb = tb.tb_next
    traceback.print_exception(kind, value, tb)


def _export_env(opts):
    """Make child Python processes record into the same directory."""
    os.environ.update(opts.to_env())
    os.environ["LOCKORDER_CHILD"] = "1"
    here = os.path.dirname(os.path.abspath(__file__))
    parts = [os.path.join(here, "_boot"), os.path.dirname(here)]
    old = os.environ.get("PYTHONPATH")
    if old:
        parts.append(old)
    os.environ["PYTHONPATH"] = os.pathsep.join(parts)
