"""Disjoint sets (union-find) over hashable keys: which items end up linked together."""

from __future__ import annotations

from collections.abc import Hashable


class DisjointSets:
    """Union-find with path halving. The root of a set is its smallest key, so results are deterministic
    whatever the order of the unions."""

    def __init__(self) -> None:
        self._parent: dict[Hashable, Hashable] = {}

    def find(self, x: Hashable) -> Hashable:
        parent = self._parent
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a: Hashable, b: Hashable) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            lo, hi = sorted((ra, rb))
            self._parent[hi] = lo
