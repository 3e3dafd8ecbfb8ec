"""Calendar intervals of TIMEX3 values, and when two of them can name the same happening.

An event's date is a TIMEX3 value at some granularity ("2021-12-20", "2021-W50", "2022-01", "2022"); what
events can share is the stretch of days that value covers, narrowed by a TIMEX3 `mod` ("au début du mois" is
the first third of the month). Two dates are compatible when their stretches meet; two day-level dates may
differ by `DAY_TOLERANCE` days (a relative date such as "il y a quinze jours" or "two weeks ago" is rounded).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

__all__ = ["DAY_TOLERANCE", "Interval", "compatible", "interval_of", "midpoint", "span_days"]

DAY_TOLERANCE = 1

Interval = tuple[date, date]  # first and last day, inclusive

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_HALF = re.compile(r"^(\d{4})-H([12])$")
_SEASON = re.compile(r"^(\d{4})-(SP|SU|FA|WI)$")
_YEAR = re.compile(r"^(\d{4})$")
_DECADE = re.compile(r"^(\d{3})X$")
_CENTURY = re.compile(r"^(\d{2})XX$")
_SEASON_MONTHS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 14)}  # winter runs into the next year


def _month_end(y: int, m: int) -> date:
    y, m = y + (m - 1) // 12, (m - 1) % 12 + 1
    return date(y + (m == 12), m % 12 + 1, 1) - timedelta(days=1)


def _months(y: int, first: int, last: int) -> Interval:
    return date(y, first, 1), _month_end(y, last)


def interval_of(value: str | None, mod: str | None = None) -> Interval | None:
    """The days a TIMEX3 DATE value covers, or None for values that name no stretch of calendar (PAST_REF,
    durations, sets). `mod` START/MID/END keeps the first, middle or last third; APPROX widens by a quarter."""
    if not value:
        return None
    iv = _plain_interval(value)
    if iv is None:
        return None
    first, last = iv
    n = (last - first).days + 1
    if mod in ("START", "MID", "END") and n >= 3:
        third = -(-n // 3)
        if mod == "START":
            last = first + timedelta(days=third - 1)
        elif mod == "END":
            first = last - timedelta(days=third - 1)
        else:
            first, last = first + timedelta(days=third), last - timedelta(days=third)
    elif mod == "APPROX":
        pad = timedelta(days=max(1, n // 4))
        first, last = first - pad, last + pad
    return first, last


def _plain_interval(value: str) -> Interval | None:
    try:
        if m := _DAY.match(value):
            d = date(int(m[1]), int(m[2]), int(m[3]))
            return d, d
        if m := _WEEK.match(value):
            monday = date.fromisocalendar(int(m[1]), int(m[2]), 1)
            return monday, monday + timedelta(days=6)
        if m := _MONTH.match(value):
            return _months(int(m[1]), int(m[2]), int(m[2]))
        if m := _QUARTER.match(value):
            q = int(m[2])
            return _months(int(m[1]), 3 * q - 2, 3 * q)
        if m := _HALF.match(value):
            h = int(m[2])
            return _months(int(m[1]), 6 * h - 5, 6 * h)
        if m := _SEASON.match(value):
            first, last = _SEASON_MONTHS[m[2]]
            return _months(int(m[1]), first, last)
        if m := _YEAR.match(value):
            return _months(int(m[1]), 1, 12)
        if m := _DECADE.match(value):
            y = int(m[1]) * 10
            return date(y, 1, 1), date(y + 9, 12, 31)
        if m := _CENTURY.match(value):
            y = int(m[1]) * 100
            return date(y, 1, 1), date(y + 99, 12, 31)
    except ValueError:  # 2021-02-30, week 54...
        return None
    return None


def span_days(iv: Interval) -> int:
    return (iv[1] - iv[0]).days + 1


def midpoint(iv: Interval) -> date:
    return iv[0] + timedelta(days=(iv[1] - iv[0]).days // 2)


def compatible(a: Interval | None, b: Interval | None, tolerance: int = DAY_TOLERANCE) -> bool:
    """Whether two dates can be the same happening's: the stretches meet; two single days may be
    `tolerance` days apart. An unknown date (None) is compatible with nothing."""
    if a is None or b is None:
        return False
    if a[0] == a[1] and b[0] == b[1]:
        return abs((a[0] - b[0]).days) <= tolerance
    return a[0] <= b[1] and b[0] <= a[1]
