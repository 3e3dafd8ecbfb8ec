"""Temporal expressions of the article body, normalised against the publication day (see
`storyline.temporal`): "lundi", "la semaine dernière", "15 février 2022", "two days ago", "three years".

The anchor is `doc.published.date`. An undated article known only to lie in [earliest, latest] is read
against both ends: an expression whose value does not depend on where in the interval the article was
written keeps it ("le 12 janvier", "le mois prochain" when both ends fall in one month); one that does
("samedi", "il y a quinze jours") gets the smallest calendar unit holding every day it may name (a month, else
a year, else no value), instead of a precise-looking day guessed from the middle; their `anchor` is the
interval, "2021-12-04/2021-12-31". Without any anchor,
relative expressions are still reported with a null value. Only the body ranges are read when the body is
known, so nothing comes from removed boilerplate.
"""

from __future__ import annotations

import dataclasses
from datetime import date

from ..events.dates import interval_of
from ..pipeline import register_stage
from ..records import Document
from ..temporal import TimeExpr, anchor_day, tag


@register_stage("times")
class TimeExpressions:
    requires = ("text", "body", "language", "published")
    assigns = ("times",)

    def __call__(self, doc: Document) -> Document:
        pub, ranges = doc.published, doc.body or None
        earliest, latest = getattr(pub, "earliest", None), getattr(pub, "latest", None)
        if getattr(pub, "date", None) or not (earliest and latest) or earliest[:10] == latest[:10]:
            doc.times = tag(doc.text, doc.language or "", anchor_day(pub), ranges)
            return doc
        first = tag(doc.text, doc.language or "", date.fromisoformat(earliest[:10]), ranges)
        last = {(t.start, t.end): t for t in tag(doc.text, doc.language or "", date.fromisoformat(latest[:10]), ranges)}
        span = f"{earliest[:10]}/{latest[:10]}"  # the anchor is the interval itself (ISO 8601 notation)
        doc.times = [dataclasses.replace(_across(t, last.get((t.start, t.end))), anchor=span) for t in first]
        return doc


def _across(early: TimeExpr, late: TimeExpr | None) -> TimeExpr:
    """One expression read against both ends of the publication interval: its value when both agree, else
    the month or year that holds both readings (None when they lie in different years)."""
    if late is None or late.value == early.value:
        return early
    a, b = interval_of(early.value), interval_of(late.value)
    value, granularity = None, early.granularity
    if a is not None and b is not None:
        lo, hi = min(a[0], b[0]), max(a[1], b[1])
        if (lo.year, lo.month) == (hi.year, hi.month):
            value, granularity = f"{lo.year:04d}-{lo.month:02d}", "month"
        elif lo.year == hi.year:
            value, granularity = f"{lo.year:04d}", "year"
    return dataclasses.replace(early, value=value, granularity=granularity, mod=None)
