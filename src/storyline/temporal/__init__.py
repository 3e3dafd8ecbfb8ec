"""Temporal expressions: find them in text and give them TIMEX3 values relative to a publication day.

    from storyline.temporal import tag
    tag("Le ministre a déclaré mardi que ...", "fr", anchor="2022-02-15")
    # [TimeExpr(text='mardi', start=22, end=27, value='2022-02-15', type='DATE', granularity='day', ...)]

Language knowledge lives in `storyline/lang/time/<code>.json` (number and unit words, shift markers, tense
cues, patterns) plus the month and weekday names of `storyline/lang/<code>.json`; the logic here is shared
by every language.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from .expr import TimeExpr
from .tables import available
from .tagger import Tagger, tagger_for

__all__ = ["TimeExpr", "Tagger", "anchor_day", "available", "tag", "tagger_for"]


def tag(text: str, language: str, anchor: date | str | None = None,
        ranges: Sequence[tuple[int, int]] | None = None) -> list[TimeExpr]:
    """Temporal expressions of `text` in `language` (an empty list for a language without a table)."""
    tagger = tagger_for(language or "")
    return tagger.tag(text, anchor, ranges) if tagger else []


def anchor_day(published: Any) -> date | None:
    """The day relative expressions resolve against: the publication day, else the middle of the
    publication interval, else None. Takes a `records.Published` (or anything with date/earliest/latest)."""
    day = getattr(published, "date", None)
    if day:
        return date.fromisoformat(day[:10])
    earliest, latest = getattr(published, "earliest", None), getattr(published, "latest", None)
    if earliest and latest:
        a, b = date.fromisoformat(earliest[:10]), date.fromisoformat(latest[:10])
        return a + timedelta(days=(b - a).days // 2)
    return None
