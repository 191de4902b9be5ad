"""The "declared before" relation of an order file as a graph, never as its closure.

Nodes are entry indices.  One-lock lines form a chain (each is joined to the
one-lock line above it); ``a < b < c`` lines add their consecutive pairs.
Strongly connected components are contradictions; the components' topological
order gives every entry a position, so most "is a declared before b?"
questions are answered by comparing two numbers, and the rest by a search
among the entries whose positions lie between.  Building is linear in the size
of the file; memory is O(entries + declared pairs).
"""

import heapq
from collections import deque

_LIST_PAIRS_UP_TO = 50    # a bigger contradiction is one warning, not one per pair


class OrderGraph:
    """Declared pairs between entry indices 0 .. count-1, with the line declaring each."""

    def __init__(self, count):
        self.count = count
        self.succ = [dict() for _ in range(count)]   # a -> {b: (line, on the chain?)}
        self.component = []     # entry -> component number, in topological order
        self.position = []      # entry -> place in one linear extension of the order
        self._sizes = []        # component number -> how many entries it has
        self._answers = {}

    def declare(self, a, b, line, chain=False):
        """a is declared before b on ``line`` (the first declaring line is kept)."""
        if a != b and b not in self.succ[a]:
            self.succ[a][b] = (line, chain)

    def finish(self):
        """Compute components and positions; returns the contradicting groups (sorted lists)."""
        groups = _components(self.succ)
        self.component = [0] * self.count
        self._sizes = [len(members) for members in groups]
        for number, members in enumerate(groups):
            for node in members:
                self.component[node] = number
        self.position = [0] * self.count
        for place, node in enumerate(_linear_extension(self.succ, self.component, len(groups))):
            self.position[node] = place
        return [sorted(members) for members in groups if len(members) > 1]

    def before(self, a, b):
        """True when a path of declarations leads from a to b."""
        if a == b:
            return self._sizes[self.component[a]] > 1
        if self.component[a] > self.component[b]:
            return False
        key = (a, b)
        found = self._answers.get(key)
        if found is None:
            if len(self._answers) > 100000:
                self._answers.clear()
            found = self._answers[key] = self.path(a, b) is not None
        return found

    def path(self, a, b):
        """Shortest entry path a .. b (only through entries placed between them), or None."""
        limit = self.component[b]
        came_from = {a: None}
        todo = deque([a])
        while todo:
            node = todo.popleft()
            for nxt in self.succ[node]:
                if nxt in came_from or self.component[nxt] > limit:
                    continue
                came_from[nxt] = node
                if nxt == b:
                    return _walk_back(came_from, b)
                todo.append(nxt)
        return None

    def line(self, a, b):
        """The line to cite for "a before b": the first step of a path, a run of one-lock lines
        counting as one step (its last line), or None when a is not before b."""
        found = self.path(a, b) if a != b else None
        if found is None:
            return None
        line, chain = self.succ[found[0]][found[1]]
        for here, nxt in zip(found[1:], found[2:]):
            step = self.succ[here][nxt]
            if not (chain and step[1]):
                break
            line = step[0]
        return line


def _components(succ):
    """Strongly connected components (Tarjan, without recursion), in reverse topological order
    reversed: the returned list is in topological order."""
    count = len(succ)
    index = [None] * count
    low = [0] * count
    on_stack = [False] * count
    stack, groups = [], []
    counter = 0
    for root in range(count):
        if index[root] is not None:
            continue
        work = [(root, iter(succ[root]))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack[root] = True
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if index[child] is None:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack[child] = True
                    work.append((child, iter(succ[child])))
                    advanced = True
                    break
                if on_stack[child]:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                members = []
                while True:
                    top = stack.pop()
                    on_stack[top] = False
                    members.append(top)
                    if top == node:
                        break
                groups.append(members)
    groups.reverse()
    return groups


def _linear_extension(succ, component, count):
    """Entries in an order that respects every declaration between components;
    among the entries free to go next, the one declared first in the file goes first."""
    members = [[] for _ in range(count)]
    for node, number in enumerate(component):
        members[number].append(node)
    waiting = [0] * count
    for node, nexts in enumerate(succ):
        for nxt in nexts:
            if component[nxt] != component[node]:
                waiting[component[nxt]] += 1
    ready = [(min(members[c]), c) for c in range(count) if not waiting[c]]
    heapq.heapify(ready)
    order = []
    while ready:
        _first, number = heapq.heappop(ready)
        group = sorted(members[number])
        order.extend(group)
        for node in group:
            for nxt in succ[node]:
                other = component[nxt]
                if other != number:
                    waiting[other] -= 1
                    if not waiting[other]:
                        heapq.heappush(ready, (min(members[other]), other))
    return order


def contradiction_warnings(groups, entries):
    """(line, message) warnings for contradicting groups of entries."""
    warnings = []
    for group in groups:
        if len(group) > _LIST_PAIRS_UP_TO:
            names = ", ".join(entries[i].pattern for i in group[:5])
            warnings.append((entries[group[1]].line, "contradiction: %d locks (%s, ...) are each "
                             "declared before the others" % (len(group), names)))
            continue
        for at, i in enumerate(group):
            for j in group[at + 1:]:
                warnings.append((entries[j].line, "contradiction: %s and %s are each declared "
                                 "before the other" % (entries[i].pattern, entries[j].pattern)))
    return warnings


def _walk_back(came_from, goal):
    """Rebuild a path from a breadth-first search's parent links."""
    path = []
    node = goal
    while node is not None:
        path.append(node)
        node = came_from[node]
    path.reverse()
    return path
