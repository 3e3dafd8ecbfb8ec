"""The record of one temporal expression found in a document."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["TimeExpr"]


@dataclass(frozen=True, slots=True)
class TimeExpr:
    """A temporal expression: where it is (`start`/`end` into `Document.text`), what it says (`value`, a
    TIMEX3 value such as 2021-12-20, 2021-W49, 2022-01, P2W, PRESENT_REF; None when it needs an anchor the
    document lacks), its TIMEX3 `type` (DATE, TIME, DURATION, SET), its `granularity` (day, week, month,
    quarter, half, season, year, decade, century, time; ref for PRESENT_REF/PAST_REF/FUTURE_REF; the unit for
    durations), the `anchor` day relative values were resolved against, and an optional TIMEX3 `mod`
    (START, MID, END, APPROX)."""

    text: str
    start: int
    end: int
    value: str | None
    type: str
    granularity: str
    anchor: str | None
    mod: str | None = None
    rule: str = ""  # the kind of pattern that found it (for debugging; not part of the output contract)

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "value": self.value,
            "type": self.type,
            "granularity": self.granularity,
            "anchor": self.anchor,
            "mod": self.mod,
        }
