"""Pure lock-order graph: nodes are lock ids, edges remember where they were first seen.

No threads, no I/O.  The tracker owns one ``LockGraph`` and guards it with its
own raw lock.  Adding an edge that closes a cycle returns that cycle.

The graph keeps a topological order of its acyclic part, updated on each new
edge (Pearce and Kelly's dynamic topological sort): an edge that agrees with
the order cannot close a cycle and costs O(1); only an edge against the order
searches, and only among the nodes between its two ends.  Edges that closed a
cycle stay out of the order ("back edges"); while any exist, cycles are looked
for with a breadth-first search of the whole graph, as every edge used to be.
"""

from collections import deque


class LockGraph:
    """A directed graph of "held A, then took B" edges between lock ids."""

    def __init__(self):
        self._succ = {}    # lock id -> set of successor ids (every edge)
        self._pred = {}    # lock id -> set of predecessor ids (every edge)
        self._ord = {}     # lock id -> position in the topological order
        self._next = 0     # position of the next node placed last
        self._first = 0    # position of the node placed first most recently
        self._back = set()  # edges that closed a cycle (not part of the order)
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
        ord_a, ord_b = self._positions(a, b)
        path = None
        if self._back:
            path = self.find_path(b, a)
        elif ord_b < ord_a:
            path = self._reorder(a, b, ord_b, ord_a)
        self.edges[(a, b)] = info
        succ = self._succ.get(a)
        if succ is None:
            succ = self._succ[a] = set()
        succ.add(b)
        pred = self._pred.get(b)
        if pred is None:
            pred = self._pred[b] = set()
        pred.add(a)
        if path is None:
            if ord_b < ord_a and self._back:
                self._reorder(a, b, ord_b, ord_a)
            return None
        self._back.add((a, b))
        return [(a, b)] + list(zip(path, path[1:]))

    def _positions(self, a, b):
        """Places of a and b in the order; a new node is placed so that a -> b agrees with it
        (a new a goes first, a new b last), so the first edge of a lock never searches."""
        ord_a, ord_b = self._ord.get(a), self._ord.get(b)
        if ord_a is None:
            if ord_b is None:
                ord_a = self._next
                self._next += 1
            else:
                self._first -= 1
                ord_a = self._first
            self._ord[a] = ord_a
        if ord_b is None:
            ord_b = self._ord[b] = self._next
            self._next += 1
        return ord_a, ord_b

    def _reorder(self, a, b, low, high):
        """Make room for a -> b where b sits before a; returns a path b .. a if one exists.

        Only nodes whose positions lie between b's and a's are visited.  When
        a path exists the edge closes a cycle and the order is left alone.
        """
        ahead = self._reach(b, self._succ, lambda p: p <= high, a)
        if ahead is None:
            return self.find_path(b, a)
        behind = self._reach(a, self._pred, lambda p: p >= low, None)
        moved = sorted(behind, key=self._ord.get) + sorted(ahead, key=self._ord.get)
        slots = sorted(self._ord[n] for n in moved)
        for node, slot in zip(moved, slots):
            self._ord[node] = slot
        return None

    def _reach(self, start, table, inside, goal):
        """Nodes reachable from start through ``table`` within the window; None if goal is."""
        seen = {start}
        todo = [start]
        back = self._back
        forward = table is self._succ
        while todo:
            node = todo.pop()
            for nxt in table.get(node, ()):
                if nxt in seen or not inside(self._ord[nxt]):
                    continue
                if back and ((node, nxt) if forward else (nxt, node)) in back:
                    continue
                if nxt == goal:
                    return None
                seen.add(nxt)
                todo.append(nxt)
        return seen

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
        self._back.discard((a, b))
        _discard(self._succ, a, b)
        _discard(self._pred, b, a)

    def remove_node(self, node):
        """Forget a lock (it was garbage collected) and all its edges."""
        for nxt in self._succ.pop(node, ()):
            _discard(self._pred, nxt, node)
            self.edges.pop((node, nxt), None)
            self._back.discard((node, nxt))
        for prev in self._pred.pop(node, ()):
            _discard(self._succ, prev, node)
            self.edges.pop((prev, node), None)
            self._back.discard((prev, node))
        self._ord.pop(node, None)

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
