"""Bound parameters for the SQLite modules: statements with long IN lists are cut into chunks."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

MAX_VARIABLES = 900  # bound parameters per statement, well under SQLite's limit


def chunks(items: Sequence, size: int = MAX_VARIABLES) -> Iterator[Sequence]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def placeholders(n: int) -> str:
    return ",".join("?" * n)
