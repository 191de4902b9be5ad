"""Pure lock-order graph: nodes are lock ids, edges remember where they were first seen.

No threads, no I/O.  The tracker owns one ``LockGraph`` and guards it with its
own raw lock.  Adding an edge that closes a cycle returns that cycle.
"""

from collections import deque


class LockGraph:
    """A directed graph of "held A, then took B" edges between lock ids."""

    def __init__(self):
        self._succ = {}    # lock id -> set of successor ids
        self._pred = {}    # lock id -> set of predecessor ids
        self.edges = {}    # (from id, to id) -> info (stack, thread, ...)

    def __len__(self):
        """Number of edges."""
        return len(self.edges)

    def has_edge(self, a, b):
        """True when the edge a -> b is already known."""
        return (a, b) in self.edges

    def add_edge(self, a, b, info=None):
        """Add a -> b with its first-seen ``info``.

        Returns the list of edges ``[(a, b), (b, x), ..., (y, a)]`` of a cycle
        that this edge closes, or None.  An edge already present keeps its
        first info and returns None.  A self-edge (a == b) is refused with
        ValueError: self-deadlock is not a graph question.
        """
        if a == b:
            raise ValueError("self-edge %r -> %r" % (a, b))
        if (a, b) in self.edges:
            return None
        path = self.find_path(b, a)
        self.edges[(a, b)] = info
        self._succ.setdefault(a, set()).add(b)
        self._pred.setdefault(b, set()).add(a)
        if path is None:
            return None
        return [(a, b)] + list(zip(path, path[1:]))

    def find_path(self, start, goal):
        """Shortest node path start .. goal (breadth first), or None."""
        if start == goal:
            return [start]
        came_from = {start: None}
        queue = deque([start])
        while queue:
            node = queue.popleft()
            for nxt in self._succ.get(node, ()):
                if nxt in came_from:
                    continue
                came_from[nxt] = node
                if nxt == goal:
                    return _walk_back(came_from, goal)
                queue.append(nxt)
        return None

    def remove_edge(self, a, b):
        """Forget the edge a -> b if present."""
        self.edges.pop((a, b), None)
        _discard(self._succ, a, b)
        _discard(self._pred, b, a)

    def remove_node(self, node):
        """Forget a lock (it was garbage collected) and all its edges."""
        for nxt in self._succ.pop(node, ()):
            _discard(self._pred, nxt, node)
            self.edges.pop((node, nxt), None)
        for prev in self._pred.pop(node, ()):
            _discard(self._succ, prev, node)
            self.edges.pop((prev, node), None)

    def nodes(self):
        """All lock ids that take part in at least one edge."""
        return set(self._succ) | set(self._pred)


def _discard(table, key, value):
    """Remove value from table[key], dropping the entry when it empties."""
    values = table.get(key)
    if values is not None:
        values.discard(value)
        if not values:
            del table[key]


def _walk_back(came_from, goal):
    """Rebuild a path from a breadth-first search's parent links."""
    path = []
    node = goal
    while node is not None:
        path.append(node)
        node = came_from[node]
    path.reverse()
    return path
