"""Where a lock was created and what the static analyzer would call it.

A lock's identity is its creation site (file, 1-based line, function) and, when
the source line assigns it, a name: ``x_lock = Lock()`` -> ``x_lock``;
``self._lock = Lock()`` in ``Inventory.__init__`` -> ``Inventory._lock``.
Frames inside ``threading``, ``queue`` and lockorder itself are skipped, so the
lock inside a ``Condition()`` is known by the line that made the Condition.
A lock a lock wrapper makes in its ``__init__`` is known by the line that stores
the wrapper: ``self.audit_guard = Guard()`` in ``Bank.__init__`` ->
``Bank.audit_guard``, as the static analyzer names it.  A lock made by a base
class's ``__init__`` reached through ``super().__init__()`` (the Event inside a
``Thread`` subclass) is known by the line that stores the new object, through
every ``__init__`` of that object: ``self.worker = Worker()`` ->
``Owner.worker``, as for a plain ``Thread`` stored there.
"""

import builtins

import linecache
import os
import queue
import re
import threading

_HERE = os.path.dirname(os.path.abspath(__file__))
_SKIP_FILES = {threading.__file__, queue.__file__}
_CO_OPTIMIZED = 0x0001
_ASSIGN = re.compile(r"^\s*(self\.|cls\.)?([A-Za-z_]\w*)\s*(?::[^=]+)?=\s*[\w.]+\(")
_STORE = re.compile(r"^\s*(self\.|cls\.)?[A-Za-z_]\w*\s*(?::[^=]+)?=\s*([A-Za-z_][\w.]*)\(")
_SUPER_INIT = re.compile(r"^\s*(?:super\([^)]*\)|[A-Za-z_][\w.]*)\.__init__\(")
_LOCKING_METHODS = ("__enter__", "__aenter__", "acquire")
_INIT_DEPTH = 8         # __init__ frames of one object walked through, at most


def is_runtime_file(filename):
    """True for files of the lockorder package itself."""
    return filename.startswith(_HERE)


_SITE_CACHE_LIMIT = 4096
_sites = {}     # (id(code), line, ...) of the frames looked at -> (codes, site)


def creation_site(frame):
    """Creation site tuple for a lock made by code running in ``frame``.

    Returns (file, line, function, code qualname, module, scope, via) where
    scope is 'module', 'class' or 'function' and via is the standard-library
    class (Condition, Semaphore, Queue, ...) that built the lock, or None.
    The answer depends only on the code objects and lines of the frames looked
    at (up to the first user frame, and its callers while they are called from an
    ``__init__``),
    so it is remembered by them: a program making thousands of locks at one
    place (a ``Future`` each) pays for source lines and class lookups once.
    When those are among the three innermost frames, a key of exactly three
    frames is looked up first, with no walk.
    """
    f1 = frame.f_back
    f2 = f1.f_back if f1 is not None else None
    short = (id(frame.f_code), frame.f_lineno,
             id(f1.f_code) if f1 is not None else 0, f1.f_lineno if f1 is not None else 0,
             id(f2.f_code) if f2 is not None else 0, f2.f_lineno if f2 is not None else 0)
    found = _sites.get(short)
    if found is not None:
        return found[1]
    codes = []
    key = []
    f = frame
    while f is not None:
        code = f.f_code
        codes.append(code)
        key.append(id(code))
        key.append(f.f_lineno)
        if not (code.co_filename in _SKIP_FILES or is_runtime_file(code.co_filename)):
            depth = 0
            while f.f_code.co_name == "__init__" and f.f_back is not None and depth <= _INIT_DEPTH + 1:
                f = f.f_back
                depth += 1
                codes.append(f.f_code)
                key.append(id(f.f_code))
                key.append(f.f_lineno)
            break
        f = f.f_back
    key = tuple(key)
    found = _sites.get(key)
    if found is not None:
        return found[1]
    site = _creation_site(frame)
    if len(_sites) >= _SITE_CACHE_LIMIT:
        _sites.clear()
    _sites[key] = (codes, site)       # the codes keep their ids from being reused
    if len(codes) <= 3:               # the three innermost frames decide it: remember by them
        _sites[short] = (codes, site)
    return site


def _creation_site(frame):
    """creation_site, worked out from the frames (not remembered)."""
    via = None
    f = frame
    while f is not None and (f.f_code.co_filename in _SKIP_FILES
                             or is_runtime_file(f.f_code.co_filename)):
        if via is None and f.f_code.co_name == "__init__":
            via = _class_of(f)
        f = f.f_back
    if f is None:
        f = frame
    f = _wrapper_store(_subclass_store(f))
    code = f.f_code
    if code.co_name == "<module>":
        scope = "module"
    elif not code.co_flags & _CO_OPTIMIZED:
        scope = "class"
    else:
        scope = "function"
    module = f.f_globals.get("__name__", "?")
    qual = getattr(code, "co_qualname", None) or _qualname_before_311(f, scope)
    return (code.co_filename, f.f_lineno, code.co_name, qual, module, scope, via)


def _wrapper_store(frame):
    """The frame storing a lock wrapper whose ``__init__`` (running in ``frame``) makes this lock.

    A class is a lock wrapper when its ``__enter__``, ``__aenter__`` or ``acquire``
    uses the attribute the lock is stored in (``self._lock = Lock()``). The caller
    must store the new instance in an attribute or a module or class variable
    (``self.guard = Guard()``, ``GUARD = Guard()``), not a function's local;
    otherwise, or when anything is unclear, ``frame`` itself is returned. Reads the
    caller's globals and source line only, never ``f_locals``.
    """
    caller = frame.f_back
    if frame.f_code.co_name != "__init__" or caller is None:
        return frame
    try:
        made = _ASSIGN.match(linecache.getline(frame.f_code.co_filename, frame.f_lineno) or "")
        store = _STORE.match(linecache.getline(caller.f_code.co_filename, caller.f_lineno) or "")
        if made is None or made.group(1) != "self." or store is None:
            return frame
        local = caller.f_code.co_flags & _CO_OPTIMIZED and caller.f_code.co_name != "<module>"
        if local and store.group(1) is None:
            return frame
        cls = _global_class(caller, store.group(2))
        if cls is None or not _inits_with(cls, frame.f_code):
            return frame
        for name in _LOCKING_METHODS:
            code = getattr(getattr(cls, name, None), "__code__", None)
            if code is not None and made.group(2) in code.co_names:
                return caller
    except Exception:
        pass
    return frame


def _subclass_store(frame):
    """The frame storing the object whose base-class ``__init__`` made this lock, else ``frame``.

    ``frame`` runs an ``__init__`` on a ``super().__init__(...)`` (or
    ``Base.__init__(self, ...)``) line, as a ``Thread`` subclass does; so may its
    callers, up to the line that stores the new object (``self.worker = Worker()``,
    ``worker = Worker()``). Each ``__init__`` walked through must be one of the
    stored class's (so all ran for the one object). Reads source lines and globals
    only, never ``f_locals``; when anything is unclear, ``frame`` is returned.
    """
    inits = []
    f = frame
    try:
        while f is not None and f.f_code.co_name == "__init__" and len(inits) <= _INIT_DEPTH:
            if not _SUPER_INIT.match(linecache.getline(f.f_code.co_filename, f.f_lineno) or ""):
                break
            inits.append(f.f_code)
            f = f.f_back
        if not inits or f is None:
            return frame
        store = _STORE.match(linecache.getline(f.f_code.co_filename, f.f_lineno) or "")
        cls = _global_class(f, store.group(2)) if store is not None else None
        if cls is not None and all(_inits_with(cls, code) for code in inits):
            return f
    except Exception:
        pass
    return frame


def _global_class(frame, dotted):
    """The class a dotted name means in a frame's globals (or builtins), if it is one."""
    parts = dotted.split(".")
    value = frame.f_globals.get(parts[0], getattr(builtins, parts[0], None))
    for part in parts[1:]:
        value = getattr(value, part, None)
    return value if isinstance(value, type) else None


def _inits_with(cls, code):
    """Whether ``code`` is the ``__init__`` of ``cls`` or of one of its bases."""
    for klass in cls.__mro__:
        init = klass.__dict__.get("__init__")
        if getattr(init, "__code__", None) is code:
            return True
    return False


def _qualname_before_311(frame, scope):
    """Best-effort qualified name on Python < 3.11 (no co_qualname).

    Never reads ``frame.f_locals``: before 3.13 that snapshots the caller's
    local variables into the frame and keeps them alive.  A class body's
    qualname is its code's first constant; a function's is found once per
    code object among the classes of its module's globals.
    """
    code = frame.f_code
    if scope == "class":
        first = code.co_consts[0] if code.co_consts else None
        if isinstance(first, str) and first.rsplit(".", 1)[-1] == code.co_name:
            return first
        return code.co_name
    if scope == "function":
        return function_qualname(code, frame.f_globals)
    return code.co_name


_qualnames = {}     # code object -> qualname found for it (< 3.11 only)


def function_qualname(code, module_globals):
    """``Class.method`` for a method of a module-level class, else the code's name."""
    try:
        return _qualnames[code]
    except KeyError:
        pass
    qual = code.co_name
    try:
        for value in list(module_globals.values()):
            if isinstance(value, type):
                found = value.__dict__.get(code.co_name)
                found = getattr(found, "__func__", found)
                if getattr(found, "__code__", None) is code:
                    qual = found.__qualname__
                    break
    except Exception:
        pass
    if len(_qualnames) > 4096:
        _qualnames.clear()
    _qualnames[code] = qual
    return qual


def _class_of(frame):
    """Class whose __init__ runs in ``frame`` (from its code's qualname; never f_locals)."""
    code = frame.f_code
    qual = getattr(code, "co_qualname", None) or function_qualname(code, frame.f_globals)
    if qual and "." in qual:
        return qual.rsplit(".", 2)[-2]
    return None


def module_name(site):
    """The module name the static analyzer uses: the file's dotted path through packages.

    ``app/db/pool.py`` with ``app/__init__.py`` and ``app/db/__init__.py`` is
    ``app.db.pool`` however it was imported; a script run as ``__main__`` (not
    in a package) is its file stem.  Pseudo-files keep the runtime's name.
    """
    filename = site[0]
    if filename.startswith("<"):
        return site[4]
    try:
        return _dotted_cache[filename]
    except KeyError:
        pass
    name = _dotted_name(filename)
    _dotted_cache[filename] = name
    return name


_dotted_cache = {}


def _dotted_name(filename):
    """app/db/pool.py -> app.db.pool, walking up while folders have __init__.py."""
    path = os.path.abspath(filename)
    stem = os.path.splitext(os.path.basename(path))[0]
    parts = [] if stem == "__init__" else [stem]
    folder = os.path.dirname(path)
    while os.path.isfile(os.path.join(folder, "__init__.py")):
        parts.insert(0, os.path.basename(folder))
        parent = os.path.dirname(folder)
        if parent == folder:
            break
        folder = parent
    return ".".join(parts) or stem


def lock_names(site):
    """(name, qualname) for a creation site, e.g. ('Inventory._lock', 'shop.Inventory._lock')."""
    filename, line, function, qual, _module, scope, via = site
    module = module_name(site)
    match = _ASSIGN.match(linecache.getline(filename, line) or "")
    if match is None:
        return None, None
    prefix, attr = match.group(1), match.group(2)
    if prefix and scope == "function" and "." in qual:
        owner = qual.rsplit(".", 1)[0].replace(".<locals>", "")
        return "%s.%s" % (owner.rsplit(".", 1)[-1], attr), "%s.%s.%s" % (module, owner, attr)
    if scope == "class":
        owner = qual.replace(".<locals>", "")
        return "%s.%s" % (owner.rsplit(".", 1)[-1], attr), "%s.%s.%s" % (module, owner, attr)
    if scope == "module":
        return attr, "%s.%s" % (module, attr)
    owner = qual.replace(".<locals>", "")
    return attr, "%s.%s.%s" % (module, owner, attr)


def describe(lock_id, kind, site):
    """The JSON form of a lock: id, name, qualname, kind, via, created."""
    name, qualname = lock_names(site)
    filename, line, function = site[0], site[1], site[2]
    if name is None:
        name = "%s@%s:%d" % (kind, os.path.basename(filename), line)
    record = {"id": lock_id, "name": name, "kind": kind,
              "created": {"file": abs_path(filename), "line": line,
                          "function": function}}
    if qualname:
        record["qualname"] = qualname
    if site[6]:
        record["via"] = site[6]
    return record


def abs_path(filename):
    """Absolute path, leaving pseudo-files like <string> alone."""
    return filename if filename.startswith("<") else os.path.abspath(filename)
