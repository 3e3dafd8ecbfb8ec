"""The resolver's blocking index: blocking key -> the entities that hold it, in the order they came."""

from __future__ import annotations

from collections.abc import Hashable
from itertools import islice

__all__ = ["BlockingIndex"]


class BlockingIndex:
    """The blocking index: key -> items (the resolver's entities) in the order they came. A key naming one
    item (most of them) holds the item itself; more are kept in a dict used as an ordered set (O(1) removal).
    Items are compared by identity. The entities themselves, not their ids: a look-up reaches its candidates
    without probing a second table of 100,000s of entries. Keys are derived from the entities
    (`EntityResolver._keys_of`), so the index is rebuilt, not stored."""

    __slots__ = ("_d",)

    def __init__(self) -> None:
        self._d: dict[str, Hashable | dict[Hashable, None]] = {}

    def add(self, key: str, item: Hashable) -> None:
        v = self._d.get(key)
        if v is None:
            self._d[key] = item
        elif type(v) is dict:
            v[item] = None
        elif v is not item:
            self._d[key] = {v: None, item: None}

    def remove(self, key: str, item: Hashable) -> None:
        v = self._d.get(key)
        if v is None:
            return
        if type(v) is not dict:
            if v is item:
                del self._d[key]
            return
        v.pop(item, None)
        if len(v) == 1:
            self._d[key] = next(iter(v))

    def replace(self, key: str, old: Hashable, new: Hashable) -> None:
        """`new` where `old` was under `key` (at its place in the order)."""
        v = self._d.get(key)
        if v is old:
            self._d[key] = new
        elif type(v) is dict and old in v:
            self._d[key] = {new if x is old else x: None for x in v}

    def get(self, key: str, limit: int) -> tuple[Hashable, ...]:
        v = self._d.get(key)
        if v is None:
            return ()
        if type(v) is not dict:
            return (v,)
        return tuple(islice(v, limit))

    def size(self, key: str) -> int:
        v = self._d.get(key)
        return 0 if v is None else len(v) if type(v) is dict else 1

    def __contains__(self, key: str) -> bool:
        return key in self._d

    def clear(self) -> None:
        self._d.clear()
