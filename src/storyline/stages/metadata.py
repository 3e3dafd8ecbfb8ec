"""What a document says about itself: url, outlet, title, body ranges and publication date.

These are the spine's baseline stages; the cleaning stages (boilerplate, datelines, wires) refine them.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from urllib.parse import urlsplit

from ..pipeline import register_stage
from ..records import Document, Published


@register_stage("metadata")
class DeclaredMetadata:
    """Copies declared fields (JSON Lines columns, HTML metadata, feed and WARC headers) onto the document."""

    requires = ("meta",)
    assigns = ("url", "outlet")

    def __call__(self, doc: Document) -> Document:
        url = doc.meta.get("url")
        doc.url = str(url) if url else (doc.source if doc.source.startswith(("http://", "https://")) else None)
        outlet = doc.meta.get("outlet")
        if outlet:
            doc.outlet = str(outlet)
        elif doc.url:
            doc.outlet = outlet_from_url(doc.url)
        return doc


def outlet_from_url(url: str) -> str | None:
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.") or None


@register_stage("title")
class HeadlineTitle:
    """The declared title, else the first non-blank line of the text."""

    requires = ("text", "meta")
    assigns = ("title",)

    def __call__(self, doc: Document) -> Document:
        declared = doc.meta.get("title")
        if declared:
            doc.title = " ".join(str(declared).split())
            return doc
        for match in re.finditer(r"[^\n]+", doc.text):
            line = match.group().strip()
            if line:
                doc.title = line
                break
        return doc


@register_stage("body")
class NonBlankLines:
    """Body ranges: every non-blank line. Boilerplate removal narrows this down."""

    requires = ("text",)
    assigns = ("body",)

    def __call__(self, doc: Document) -> Document:
        doc.body = line_ranges(doc.text)
        return doc


def line_ranges(text: str) -> list[tuple[int, int]]:
    """[start, end) of each non-blank line, with surrounding white space trimmed."""
    out = []
    for m in re.finditer(r"[^\n]+", text):
        s, e = m.span()
        line = m.group()
        lead = len(line) - len(line.lstrip())
        trail = len(line) - len(line.rstrip())
        if e - trail > s + lead:
            out.append((s + lead, e - trail))
    return out


@register_stage("published")
class DeclaredPublished:
    """The publication date the input declared (a JSON Lines field, HTML metadata, a feed or WARC header)."""

    requires = ("meta",)
    assigns = ("published",)

    def __call__(self, doc: Document) -> Document:
        declared = doc.meta.get("published")
        day = parse_day(declared) if declared else None
        if day:
            doc.published = Published.exact(day, f"declared by the input: {declared}")
        return doc


_DAY_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%d/%m/%Y", "%d.%m.%Y", "%a, %d %b %Y %H:%M:%S %z", "%a, %d %b %Y")


def parse_day(value: object) -> str | None:
    """An ISO day (YYYY-MM-DD) from a declared date in a common machine format, else None."""
    if isinstance(value, (date, datetime)):
        return value.isoformat()[:10]
    text = str(value).strip()
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        pass
    for fmt in _DAY_FORMATS:
        try:
            return datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    return None
