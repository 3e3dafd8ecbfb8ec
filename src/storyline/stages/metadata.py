"""What a document declares about itself: url and outlet; and helpers the cleaning stages share.

The title, body and publication date are read by `title`, `boilerplate` (stage "body") and `dates` (stage
"published"); `source` adds wire agency and dateline.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from urllib.parse import urlsplit

from ..ingest.web import http_date
from ..pipeline import register_stage
from ..records import Document


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


_DAY_FORMATS = ("%Y/%m/%d", "%d/%m/%Y", "%d.%m.%Y", "%a, %d %b %Y")


def parse_day(value: object) -> str | None:
    """An ISO day (YYYY-MM-DD) from a declared date in a common machine format, else None."""
    if isinstance(value, (date, datetime)):
        return value.isoformat()[:10]
    text = str(value).strip()
    stamp = http_date(text)  # ISO 8601 timestamps and HTTP dates, the common declared forms
    if stamp:
        return stamp[:10]
    for fmt in _DAY_FORMATS:
        try:
            return datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    return None
