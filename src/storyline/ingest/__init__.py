"""Readers: turn paths, folders, URLs and standard input into `RawDocument`s (or `Rejection`s).

Each reader is a function `read(path: Path) -> Iterator[RawDocument | Rejection]` registered for file name
suffixes with `@register_reader(".txt", ...)`. `iter_inputs(paths)` walks folders recursively in sorted order
(deterministic) and dispatches on the suffix. Every input yields at least one item: nothing is silently
dropped, so every input can be accounted for.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from ..records import RawDocument, Rejection

Reader = Callable[[Path], Iterator[RawDocument | Rejection]]
_READERS: dict[str, Reader] = {}


def register_reader(*suffixes: str) -> Callable[[Reader], Reader]:
    def wrap(fn: Reader) -> Reader:
        for suffix in suffixes:
            _READERS[suffix.lower()] = fn
        return fn

    return wrap


def reader_for(path: Path) -> Reader | None:
    _load_builtin_readers()
    name = path.name.lower()
    # longest suffix first, so ".warc.gz" wins over ".gz"
    for suffix in sorted(_READERS, key=len, reverse=True):
        if name.endswith(suffix):
            return _READERS[suffix]
    return None


# Modules whose import registers readers: plain files (txt, html, jsonl), web archives, feeds.
BUILTIN_READER_MODULES = ("readers", "warc", "feeds")


def _load_builtin_readers() -> None:
    import importlib

    for name in BUILTIN_READER_MODULES:
        importlib.import_module(f"{__name__}.{name}")


def iter_inputs(paths: Iterable[str | Path]) -> Iterator[RawDocument | Rejection]:
    """Every document in `paths`: files, folders (recursively, sorted), URLs, or "-" for standard input."""
    from .readers import iter_path

    for p in paths:
        yield from iter_path(p)
