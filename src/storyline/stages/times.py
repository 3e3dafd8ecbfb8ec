"""Temporal expressions of the article body, normalised against the publication day (see
`storyline.temporal`): "lundi", "la semaine dernière", "15 février 2022", "two days ago", "three years".

The anchor is `doc.published.date`, else the middle of [earliest, latest]; without either, expressions are
still reported, relative ones with a null value. Only the body ranges are read when the body is known, so
nothing comes from removed boilerplate.
"""

from __future__ import annotations

from ..pipeline import register_stage
from ..records import Document
from ..temporal import anchor_day, tag


@register_stage("times")
class TimeExpressions:
    requires = ("text", "body", "language", "published")
    assigns = ("times",)

    def __call__(self, doc: Document) -> Document:
        doc.times = tag(doc.text, doc.language or "", anchor_day(doc.published), doc.body or None)
        return doc
