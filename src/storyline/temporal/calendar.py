"""Calendar arithmetic behind temporal values: periods at a granularity, shifts, and TIMEX3 value strings.

A `Period` is a calendar stretch named by its first day and its granularity ("day", "week", "month",
"quarter", "half", "season", "year", "decade", "century"), optionally with a time of day ("10:35") or a part
of the day ("MO", "AF", "EV", "NI"). Its TIMEX3 value is `2021-12-20`, `2021-W49`, `2022-01`, `2022-Q1`,
`2022-H2`, `2021-WI`, `2022`, `198X`, `19XX`, `2021-12-20T10:35`, `2021-12-20TMO`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

# Unit codes used across the tables: seconds, minutes, hours, days, weeks, weekends, months, quarters,
# halves, years, decades, centuries.
UNIT_GRAIN = {
    "S": "time", "MIN": "time", "H": "time", "D": "day", "W": "week", "WE": "week", "M": "month",
    "Q": "quarter", "HY": "half", "Y": "year", "DE": "decade", "CE": "century",
}
SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}


@dataclass(frozen=True, slots=True)
class Period:
    first: date
    grain: str
    clock: str | None = None  # "10:35", or a part of the day "MO"/"AF"/"EV"/"NI"
    season: str | None = None

    @property
    def value(self) -> str:
        d, g = self.first, self.grain
        if g == "day":
            v = d.isoformat()
            return f"{v}T{self.clock}" if self.clock else v
        if g == "week":
            y, w, _ = d.isocalendar()
            return f"{y:04d}-W{w:02d}"
        if g == "month":
            return f"{d.year:04d}-{d.month:02d}"
        if g == "quarter":
            return f"{d.year:04d}-Q{(d.month - 1) // 3 + 1}"
        if g == "half":
            return f"{d.year:04d}-H{1 if d.month <= 6 else 2}"
        if g == "season":
            return f"{d.year:04d}-{self.season}"
        if g == "year":
            return f"{d.year:04d}"
        if g == "decade":
            return f"{d.year // 10:03d}X"
        if g == "century":
            return f"{d.year // 100:02d}XX"
        raise ValueError(f"unknown granularity {g!r}")


def add_months(d: date, n: int) -> date:
    m = d.month - 1 + n
    y = d.year + m // 12
    m = m % 12 + 1
    return date(y, m, min(d.day, _month_length(y, m)))


def _month_length(y: int, m: int) -> int:
    nxt = date(y + (m == 12), m % 12 + 1, 1)
    return (nxt - timedelta(days=1)).day


def shift(d: date, unit: str, n: int | float) -> date:
    """The day `n` units after `d` (before when n < 0). Hours and smaller do not move the day."""
    if unit in ("S", "MIN", "H"):
        return d
    if unit == "D":
        return d + timedelta(days=round(n))
    if unit in ("W", "WE"):
        return d + timedelta(days=round(7 * n))
    months = {"M": 1, "Q": 3, "HY": 6, "Y": 12, "DE": 120, "CE": 1200}[unit]
    return add_months(d, round(months * n))


def start_of(d: date, grain: str) -> date:
    if grain in ("day", "time"):
        return d
    if grain == "week":
        return d - timedelta(days=d.weekday())
    if grain == "month":
        return d.replace(day=1)
    if grain == "quarter":
        return date(d.year, 3 * ((d.month - 1) // 3) + 1, 1)
    if grain == "half":
        return date(d.year, 1 if d.month <= 6 else 7, 1)
    if grain == "year":
        return date(d.year, 1, 1)
    if grain == "decade":
        return date(d.year - d.year % 10, 1, 1)
    if grain == "century":
        return date(d.year - d.year % 100, 1, 1)
    raise ValueError(f"unknown granularity {grain!r}")


def period(d: date, grain: str) -> Period:
    return Period(start_of(d, grain), grain)


def weekday_near(anchor: date, weekday: int, direction: int, strict: bool = False) -> date:
    """The day of ISO `weekday` (1 = Monday) nearest `anchor` in `direction`: -1 on or before, +1 on or after
    (strictly before/after when `strict`), 0 whichever is closer (before on a tie)."""
    delta = (weekday - anchor.isoweekday()) % 7  # days forward to the next such day (0: the anchor itself)
    if direction > 0:
        return anchor + timedelta(days=delta or (7 if strict else 0))
    back = (anchor.isoweekday() - weekday) % 7
    if direction < 0:
        return anchor - timedelta(days=back or (7 if strict else 0))
    return anchor + timedelta(days=delta) if delta < back else anchor - timedelta(days=back)


def easter(year: int) -> date:
    """Gregorian Easter Sunday (anonymous Gregorian algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return date(year, month, day + 1)


def holiday(spec: str, year: int) -> date | None:
    """The day of a holiday in `year` from its table spec: "12-25" (fixed), "11-22>4" (the first ISO weekday
    4 on or after 22 November: US Thanksgiving), "easter+1" (days after Easter Sunday)."""
    try:
        if spec.startswith("easter"):
            return easter(year) + timedelta(days=int(spec[6:] or 0))
        md, _, wd = spec.partition(">")
        month, day = (int(x) for x in md.split("-"))
        d = date(year, month, day)
        return weekday_near(d, int(wd), 1) if wd else d
    except ValueError:
        return None


# A fraction of a unit is written in the next smaller one: 2.5 years is P2Y6M, 1.5 hours PT1H30M.
_SMALLER = {"Y": ("M", 12), "M": ("D", 30), "W": ("D", 7), "D": ("H", 24), "H": ("MIN", 60), "MIN": ("S", 60)}
_TIMED = ("H", "MIN", "S")


def duration_value(n: float | None, unit: str) -> str:
    """TIMEX3 duration: P3Y, P2W, P2Q, PT50M, P2Y6M, PT5H30M; P.X. when the amount is vague (n is None)."""
    if n is not None:
        scale = {"DE": ("Y", 10), "CE": ("Y", 100), "HY": ("M", 6), "WE": ("D", 2)}.get(unit)
        if scale:
            unit, n = scale[0], n * scale[1]
    elif unit in ("DE", "CE"):
        unit = "Y"
    elif unit in ("HY", "WE"):
        unit = {"HY": "M", "WE": "D"}[unit]
    if n is None:
        return f"PTX{_code(unit)}" if unit in _TIMED else f"PX{_code(unit)}"
    whole = int(n)
    parts = [(whole, unit)] if whole else []
    rest = n - whole
    if rest and unit in _SMALLER:
        smaller, factor = _SMALLER[unit]
        amount = round(rest * factor, 2)
        parts.append((int(amount) if amount == int(amount) else amount, smaller))
    elif rest:
        parts = [(round(n, 2), unit)]
    date_part = "".join(f"{a}{_code(u)}" for a, u in parts if u not in _TIMED)
    time_part = "".join(f"{a}{_code(u)}" for a, u in parts if u in _TIMED)
    return "P" + date_part + (f"T{time_part}" if time_part else "") if parts else "P0" + _code(unit)


def _code(unit: str) -> str:
    return {"MIN": "M"}.get(unit, unit)
