"""Language knowledge as data: one JSON table per language, plus shared tables.

`table("fr")` is the French table: month and weekday names, date formats, relative-date words (by kind:
"next_month", "last_year", "earlier_this_month", "since_1" for "un an après"...), words that mark a weekday as
coming ("lundi prochain"), weekday abbreviations ("mar."), ages ("il y a 3 heures"), date-line prefixes, holidays,
boilerplate cues by category, byline and credit prefixes, outlet patterns and small function words (articles,
conjunctions, time joiners, place-name joiners). `shared("wires")` lists wire agencies;
`shared("common")` holds what every language shares (holiday windows, language-free boilerplate marks).
Tables are read once per process and per name. Adding a language is adding a file: no code names a language.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

__all__ = ["available", "table", "tables", "shared", "words"]

_SHARED = frozenset({"wires", "common"})


@lru_cache(maxsize=1)
def available() -> tuple[str, ...]:
    """ISO 639-1 codes of the languages that have a table, sorted."""
    names = (p.name for p in resources.files(__name__).iterdir())
    return tuple(sorted(n[:-5] for n in names if n.endswith(".json") and n[:-5] not in _SHARED))


@lru_cache(maxsize=None)
def table(code: str) -> dict[str, Any] | None:
    """The table of one language, or None when storyline has none for it."""
    code = (code or "").lower()
    if code not in available():
        return None
    return _read(code)


def tables(codes: tuple[str, ...] | None = None) -> list[dict[str, Any]]:
    """Tables for the given languages (all available languages when None), skipping unknown codes."""
    return [t for t in (table(c) for c in (codes or available())) if t is not None]


@lru_cache(maxsize=None)
def words(kind: str, codes: tuple[str, ...] | None = None) -> tuple[str, ...]:
    """Small function words of one kind ("articles", "conjunctions", "time_joiners"...) from the `words`
    section of some tables (all when None), lower-cased, longest first (ready for a regex alternation)."""
    found = {w.lower() for t in tables(codes) for w in t.get("words", {}).get(kind, ())}
    return tuple(sorted(found, key=lambda w: (-len(w), w)))


@lru_cache(maxsize=None)
def shared(name: str) -> dict[str, Any]:
    if name not in _SHARED:
        raise KeyError(f"no shared table {name!r}; known: {', '.join(sorted(_SHARED))}")
    return _read(name)


def _read(name: str) -> dict[str, Any]:
    with resources.files(__name__).joinpath(f"{name}.json").open(encoding="utf-8") as f:
        return json.load(f)
