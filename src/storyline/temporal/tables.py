"""Per-language temporal tables: `lang/time/<code>.json` merged with the month and weekday names of
`storyline.lang` (one source for calendar names across storyline).

The time table holds what only the temporal tagger needs: number words, unit words, shift markers, parts of
the day, seasons, holidays, tense cues and the patterns. Month and weekday names, and day-number suffixes,
come from the language table; a time table may carry its own `months`/`weekdays` for a language that has no
language table yet.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

from .. import lang

__all__ = ["available", "time_table"]


def _dir():
    return resources.files(lang.__name__).joinpath("time")


@lru_cache(maxsize=1)
def available() -> tuple[str, ...]:
    """Languages with a temporal table, sorted."""
    return tuple(sorted(p.name[:-5] for p in _dir().iterdir() if p.name.endswith(".json")))


@lru_cache(maxsize=None)
def time_table(code: str) -> dict[str, Any] | None:
    """The merged temporal table of one language, or None when there is none."""
    code = (code or "").lower()
    if code not in available():
        return None
    with _dir().joinpath(f"{code}.json").open(encoding="utf-8") as f:
        own = json.load(f)
    base = lang.table(code) or {}
    merged = dict(own)
    for key in ("months", "weekdays"):
        if base.get(key) and key not in own:
            merged[key] = base[key]
        if not merged.get(key):
            raise ValueError(f"E101 no {key} for language {code!r}: add them to lang/{code}.json")
    fmt = base.get("date_format") or {}
    merged.setdefault("day_suffixes", fmt.get("day_suffixes", []))
    return merged
