"""The declared lock hierarchy (``lockorder.order``, format in docs/order-file.md) at run time.

Parses the file (bad lines become one-line warnings on stderr and are
skipped), finds it (explicit path, LOCKORDER_ORDER_FILE, next to the script,
current directory), matches instrumented locks to declared names through
their qualname, gives declared locks their ranks for ``lockorder.acquire()``
and says whether holding one lock while taking another goes against the file.
No reporting here: the tracker and ``ordered`` turn answers into LO106 records.
"""

import linecache
import os
import re
import sys
import weakref

from . import frame_args, lock_identity, order_graph

FILE_NAME = "lockorder.order"
_NAME = re.compile(r"^[A-Za-z_*][\w*]*(\.[A-Za-z_*][\w*]*)*(\[\])?$")
_ASCENDING = re.compile(r"^(\S+)\s+ascending\s+by\s+([A-Za-z_]\w*)$")
_RANK_BAND = 2 ** 32        # declared ranks sit below every counter rank


class Entry:
    """One declared name pattern: where it is declared and how it matches lock names."""

    __slots__ = ("pattern", "line", "ascending_by", "_regex")

    def __init__(self, pattern, line, ascending_by=None):
        self.pattern = pattern
        self.line = line
        self.ascending_by = ascending_by
        self._regex = None

    @property
    def bare(self):
        """The pattern without a trailing ``[]``."""
        return self.pattern[:-2] if self.pattern.endswith("[]") else self.pattern

    @property
    def regex(self):
        """The compiled pattern (made on first use: most entries are exact names)."""
        if self._regex is None:
            parts = [r"[^.]*".join(re.escape(p) for p in part.split("*"))
                     for part in self.bare.split(".")]
            self._regex = re.compile(r"\.".join(parts) + r"(\[\])?$")
        return self._regex


class DeclaredOrder:
    """A parsed order file: entries, the "declared before" graph, groups, ranks."""

    def __init__(self, path, lines):
        self.path = os.path.abspath(path)
        self.entries = []
        self._by_pattern = {}  # pattern -> entry index
        self._exact = {}       # exact name (no "[]") -> first entry index
        self._wild = []        # indices of entries with "*"
        self.groups = {}       # entry index -> (group leader index, line)
        pairs = []             # (a, b, line, chain?)
        previous = None
        for line, kind, names, ascending_by in lines:
            ids = [self._entry(name, line, ascending_by) for name in names]
            if kind == "chain":
                if previous is not None:
                    pairs.append((previous, ids[0], line, True))
                previous = ids[0]
            elif kind == "relation":
                pairs.extend((a, b, line, False) for a, b in zip(ids, ids[1:]))
            else:
                for i in ids:
                    self.groups[i] = (ids[0], line)
        self.graph = order_graph.OrderGraph(len(self.entries))
        for a, b, line, chain in pairs:
            self.graph.declare(a, b, line, chain)
        self.warnings = order_graph.contradiction_warnings(self.graph.finish(), self.entries)
        self.positions = self.graph.position
        self.has_families_by_attr = any(e.ascending_by for e in self.entries)

    def _entry(self, pattern, line, ascending_by):
        """Index of the entry for ``pattern`` (created on first mention)."""
        index = self._by_pattern.get(pattern)
        if index is not None:
            entry = self.entries[index]
            if ascending_by and not entry.ascending_by:
                entry.ascending_by = ascending_by
            return index
        index = len(self.entries)
        entry = Entry(pattern, line, ascending_by)
        self.entries.append(entry)
        self._by_pattern[pattern] = index
        if "*" in pattern:
            self._wild.append(index)
        else:
            self._exact.setdefault(entry.bare, index)
        return index

    def before(self, a, b):
        """True when entry a is declared to be taken before entry b."""
        return self.graph.before(a, b)

    def find(self, qualname):
        """Index of the entry covering a lock name (exact names win over wildcards), or None."""
        if not qualname:
            return None
        exact = self._exact.get(qualname[:-2] if qualname.endswith("[]") else qualname)
        if exact is not None:
            return exact
        for index in self._wild:
            if self.entries[index].regex.match(qualname):
                return index
        return None

    def rank(self, index, counter_rank):
        """The acquire() rank of a lock of entry ``index`` (below all counter ranks)."""
        return (self.positions[index] - len(self.entries)) * _RANK_BAND + counter_rank

    def conflict(self, held_index, held_name, new_index, new_name):
        """Why taking ``new`` while holding ``held`` goes against the file, or None.

        Returns (kind, line) with kind 'order' (new is declared before held),
        'group' (same ``=`` group) or 'family' (two locks of one family).
        """
        if held_index == new_index:
            if held_index in self.groups:
                return "group", self.groups[held_index][1]
            if held_name == new_name:
                entry = self.entries[held_index]
                return ("ascending" if entry.ascending_by else "family"), entry.line
            return None
        if self.before(new_index, held_index):
            return "order", self.graph.line(new_index, held_index)
        held_group, new_group = self.groups.get(held_index), self.groups.get(new_index)
        if held_group and new_group and held_group[0] == new_group[0]:
            return "group", new_group[1]
        return None


def parse(text):
    """Parse order-file text: (lines, problems).

    lines are (line, kind, names, ascending_by) with kind 'chain', 'relation'
    or 'group'; problems are (line, message).  Lines are 1-based.
    """
    lines, problems = [], []
    for number, raw in enumerate(text.splitlines(), 1):
        body = raw.split("#", 1)[0].strip()
        if body:
            parsed = _parse_line(body)
            if isinstance(parsed, str):
                problems.append((number, parsed))
            else:
                lines.append((number,) + parsed)
    return lines, problems


def _parse_line(body):
    """(kind, names, ascending_by) of one non-empty line, or an error message."""
    ascending = _ASCENDING.match(body)
    if ascending:
        if not _NAME.match(ascending.group(1)):
            return "not a lock name: %s" % ascending.group(1)
        return "chain", [ascending.group(1)], ascending.group(2)
    if "<" in body and "=" in body:
        return "a line is either a relation (a < b) or a group (a = b), not both"
    kind = "relation" if "<" in body else "group" if "=" in body else "chain"
    if kind == "chain":
        if not _NAME.match(body):
            return ("expected one lock name, \"a < b\", \"a = b\" or \"NAME ascending by ATTR\": %s"
                    % body)
        return "chain", [body], None
    names = [n.strip() for n in body.split("<" if kind == "relation" else "=")]
    for name in names:
        if not name:
            return "missing a lock name in: %s" % body
        if not _NAME.match(name):
            return "not a lock name: %s" % name
    return kind, names, None


# ---- the order file of this process -------------------------------------------------

current = None          # the loaded DeclaredOrder, or None
owners_wanted = False   # True when an ``ascending by`` family needs lock owners
_by_site = {}           # creation site -> entry index or None
_owners = {}            # lock id -> weakref to the object whose attribute the lock is
                        # (before 3.13: the attribute's name until the object is looked up)
OWNER_LOOKUPS = 10000   # referrer searches per process (before 3.13), then owners are unknown
_lookups = [0]
_notes = set()          # (line, reason) of "cannot check" notes already printed


def find_file(explicit=None, script=None, environ=None, cwd=None):
    """Path of the order file to use, or None.

    ``explicit`` (an option) wins; "" means none.  Then LOCKORDER_ORDER_FILE,
    then ``lockorder.order`` next to ``script``, then in ``cwd``.
    """
    if explicit is not None:
        return explicit or None
    env = os.environ if environ is None else environ
    if env.get("LOCKORDER_ORDER_FILE"):
        return env["LOCKORDER_ORDER_FILE"]
    places = []
    if script:
        places.append(os.path.dirname(os.path.abspath(script)))
    places.append(os.getcwd() if cwd is None else cwd)
    for place in places:
        candidate = os.path.join(place, FILE_NAME)
        if os.path.isfile(candidate):
            return candidate
    return None


def main_script():
    """The running script (for discovery next to it), or None."""
    main = sys.modules.get("__main__")
    path = getattr(main, "__file__", None) or (sys.argv[0] if sys.argv else None)
    return path if path and os.path.isfile(path) else None


def load(path):
    """Make ``path`` (or nothing, for None) the order file of this process.

    Unreadable files and bad lines are one-line warnings on stderr, never errors.
    Returns the DeclaredOrder or None.
    """
    global current, owners_wanted
    current, owners_wanted = None, False
    _by_site.clear()
    _owners.clear()
    _notes.clear()
    if not path:
        return None
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError) as exc:
        _warn("lockorder: cannot read order file %s: %s; no declared order is checked"
              % (path, getattr(exc, "strerror", None) or exc))
        return None
    lines, problems = parse(text)
    order = DeclaredOrder(path, lines)
    for line, message in sorted(problems + order.warnings):
        _warn("lockorder: %s:%d: %s; line skipped" % (path, line, message)
              if (line, message) in problems else "lockorder: %s:%d: %s" % (path, line, message))
    current, owners_wanted = order, order.has_families_by_attr
    return order


def _warn(text):
    """One line on stderr."""
    try:
        sys.stderr.write(text + "\n")
    except Exception:
        pass


def entry_of(lock):
    """Entry index of an instrumented lock under the current file, or None."""
    order = current
    site = getattr(lock, "site", None)
    if order is None or site is None:
        return None
    try:
        return _by_site[site]
    except KeyError:
        pass
    index = order.find(lock_identity.lock_names(site)[1])
    _by_site[site] = index
    return index


def qualname_of(lock):
    """The static-analyzer name of an instrumented lock, or None."""
    site = getattr(lock, "site", None)
    return lock_identity.lock_names(site)[1] if site is not None else None


def declared_rank(lock):
    """acquire() rank of a declared instrumented lock, or None for an undeclared one."""
    index = entry_of(lock)
    return None if index is None else current.rank(index, lock.lock_id)


def note_owner(lock, frame):
    """At creation: remember the instance whose attribute the lock becomes (``ascending by``)."""
    index = entry_of(lock)
    if index is None or not current.entries[index].ascending_by:
        return
    f = frame
    while f is not None and (f.f_code.co_filename in lock_identity._SKIP_FILES
                             or lock_identity.is_runtime_file(f.f_code.co_filename)):
        f = f.f_back
    code = f.f_code if f is not None else None
    if code is None or not code.co_argcount or code.co_varnames[0] != "self":
        return
    assigned = lock_identity._ASSIGN.match(linecache.getline(lock.site[0], lock.site[1]) or "")
    if assigned is None or assigned.group(1) != "self.":
        return                           # not ``self.attr = Lock()``: the owner is not known
    if not frame_args.LOCALS_ARE_PROXIES:
        _owners[lock.lock_id] = assigned.group(2)      # found later (see _owner)
        return
    try:
        _owners[lock.lock_id] = weakref.ref(frame_args.first_arg(f))
    except TypeError:
        pass


def _owner(lock):
    """The object whose attribute ``lock`` is, or None.

    Before Python 3.13 the creating frame's ``self`` is not read (that would
    snapshot its locals); the object holding the lock under the attribute name
    seen at creation is found among the lock's referrers instead, once per lock
    and at most OWNER_LOOKUPS times per process.
    """
    found = _owners.get(lock.lock_id)
    if not isinstance(found, str):
        return found() if found is not None else None
    if _lookups[0] >= OWNER_LOOKUPS:
        return None
    _lookups[0] += 1
    owner = _holder_of(lock, found)
    try:
        _owners[lock.lock_id] = weakref.ref(owner) if owner is not None else None
    except TypeError:
        _owners.pop(lock.lock_id, None)
    return owner


def _holder_of(lock, attr):
    """The object among ``lock``'s referrers (or their referrers) with ``obj.attr is lock``."""
    import gc
    for ref in gc.get_referrers(lock):
        if type(ref) is dict:
            if ref.get(attr) is lock:
                for obj in gc.get_referrers(ref):
                    if getattr(obj, "__dict__", None) is ref:
                        return obj
        elif getattr(ref, attr, None) is lock and not isinstance(ref, type):
            return ref
    return None


def forget(lock_id):
    """A lock was collected: drop its owner entry."""
    _owners.pop(lock_id, None)


def conflict(held, lock):
    """Why taking ``lock`` while holding ``held`` breaks the file, or None.

    Returns (kind, line, detail): detail is a text for the message (for
    ``ascending by``, the two attribute values).
    """
    order = current
    if order is None:
        return None
    held_index, new_index = entry_of(held), entry_of(lock)
    if held_index is None or new_index is None:
        return None
    found = order.conflict(held_index, qualname_of(held), new_index, qualname_of(lock))
    if found is None:
        return None
    kind, line = found
    if kind != "ascending":
        return kind, line, ""
    return _ascending_conflict(order.entries[held_index], held, lock)


def _ascending_conflict(entry, held, lock):
    """(kind, line, detail) when two locks of an ``ascending by`` family nest the wrong way."""
    attr = entry.ascending_by
    owners = [_owner(held), _owner(lock)]
    if None in owners:
        return _skip(entry, "the object owning the lock is unknown (it was not created "
                            "as self.<attr> in a method)")
    try:
        values = [getattr(o, attr) for o in owners]
        wrong = not values[0] < values[1]
    except Exception as exc:
        return _skip(entry, "cannot compare %s values: %s" % (attr, exc))
    if not wrong:
        return None
    return "ascending", entry.line, "ascending by %s, but %s=%r is taken while holding %s=%r" % (
        attr, attr, values[1], attr, values[0])


def _skip(entry, reason):
    """Say once on stderr that an ``ascending by`` check was skipped; returns None."""
    key = (entry.line, reason)
    if key not in _notes:
        _notes.add(key)
        _warn("lockorder: %s:%d: not checking '%s ascending by %s' at run time: %s" % (
            current.path, entry.line, entry.pattern, entry.ascending_by, reason))
    return None


def describe(kind, line, held_name, new_name, detail):
    """The part of an LO106 message that says what the file declares."""
    where = "%s:%d" % (os.path.basename(current.path), line)
    if kind == "order":
        return "%s declares %s before %s" % (where, new_name, held_name)
    if kind == "group":
        return "%s declares %s = %s: never held together" % (where, held_name, new_name)
    if kind == "family":
        return "%s declares the family %s: two of its locks must never nest" % (where, new_name)
    return "%s declares %s %s" % (where, new_name, detail)
