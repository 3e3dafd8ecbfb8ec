"""The resolver's blocking index: blocking key -> the entities that hold it, in the order they came."""

from __future__ import annotations

from itertools import islice

__all__ = ["BlockingIndex"]


class BlockingIndex:
    """The blocking index: key -> entity ids in the order they came. A key naming one entity (most of them)
    holds the id itself; more are kept in a dict used as an ordered set (O(1) removal). Keys are derived from
    the entities (`EntityResolver._keys_of`), so the index is rebuilt, not stored."""

    __slots__ = ("_d",)

    def __init__(self) -> None:
        self._d: dict[str, str | dict[str, None]] = {}

    def add(self, key: str, eid: str) -> None:
        v = self._d.get(key)
        if v is None:
            self._d[key] = eid
        elif isinstance(v, str):
            if v != eid:
                self._d[key] = {v: None, eid: None}
        else:
            v[eid] = None

    def remove(self, key: str, eid: str) -> None:
        v = self._d.get(key)
        if v is None:
            return
        if isinstance(v, str):
            if v == eid:
                del self._d[key]
            return
        v.pop(eid, None)
        if len(v) == 1:
            self._d[key] = next(iter(v))

    def get(self, key: str, limit: int) -> tuple[str, ...]:
        v = self._d.get(key)
        if v is None:
            return ()
        if isinstance(v, str):
            return (v,)
        return tuple(islice(v, limit))

    def size(self, key: str) -> int:
        v = self._d.get(key)
        return 0 if v is None else 1 if isinstance(v, str) else len(v)

    def __contains__(self, key: str) -> bool:
        return key in self._d

    def clear(self) -> None:
        self._d.clear()
