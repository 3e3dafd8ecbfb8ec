"""What web archives, feeds and fetched pages share: content types, HTTP-declared charsets, dates in HTTP
headers, and telling HTML from feeds by their first bytes."""

from __future__ import annotations

import codecs
import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from .decode import bom_encoding, decode_html

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml", "application/vnd.wap.xhtml+xml"})
FEED_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/feed+xml",
        "application/x-rss+xml",
        "text/rss+xml",
        "text/atom+xml",
    }
)
XML_TYPES = frozenset({"application/xml", "text/xml"})


def media_type(content_type: str | None) -> str:
    """"text/html; charset=UTF-8" -> "text/html" (lower case; "" when absent)."""
    return (content_type or "").split(";", 1)[0].strip().lower()


def header_charset(content_type: str | None) -> str | None:
    """The Python codec name of the charset a Content-Type header declares, if any and known."""
    match = re.search(r"""charset\s*=\s*["']?\s*([A-Za-z0-9._:\-]+)""", content_type or "", re.IGNORECASE)
    if not match:
        return None
    try:
        name = codecs.lookup(match.group(1)).name
    except LookupError:
        return None
    # what browsers mean by these labels (WHATWG Encoding Standard)
    return {"iso8859-1": "cp1252", "ascii": "cp1252", "iso8859-9": "cp1254"}.get(name, name)


def decode_body(body: bytes, content_type: str | None = None, *, what: str = "page") -> str:
    """An HTML body as text. A byte order mark wins; then the charset of the HTTP Content-Type header, unless
    the bytes are valid UTF-8 with non-ASCII text while the header names another charset (a wrong
    declaration, by far the most common kind: real legacy-encoded pages are practically never valid UTF-8);
    then what the page declares itself (`<meta charset>`) and, failing that, a guess
    (`storyline.ingest.decode.decode_html`). Raises `InputRejected` ('empty', 'binary', 'undecodable')."""
    declared = header_charset(content_type)
    if declared and not bom_encoding(body):
        if declared.replace("_", "-") in ("utf-8", "utf-8-sig"):
            text = _strict(body, "utf-8")
        elif body.isascii() or _strict(body, "utf-8") is None:
            text = _strict(body, declared)
        else:
            text = None  # valid non-ASCII UTF-8 declared as something else: the declaration is wrong
        if text is not None and text.strip() and "\x00" not in text:
            return text
    return decode_html(body, what=what)


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None
    return None if "\ufffd" in text else text


def http_date(value: str | None) -> str | None:
    """An HTTP date ("Tue, 19 Nov 2019 10:00:00 GMT") or ISO 8601 timestamp as ISO 8601, else None."""
    if not value:
        return None
    value = value.strip()
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        parsed = None
    if parsed is None:
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.isoformat()


# -- sniffing --------------------------------------------------------------------------------------

_XML_PROLOGUE = re.compile(
    rb"""^(?:\s+|<\?[^>]*\?>|<!--.*?-->|<!DOCTYPE(?:[^>\[]|\[[^\]]*\])*>)*""", re.DOTALL | re.IGNORECASE
)
_ROOT = re.compile(rb"<([A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)")
FEED_ROOTS = frozenset({b"rss", b"feed", b"rdf", b"channel"})


def _head(data: bytes, size: int = 8192) -> bytes:
    found = bom_encoding(data)
    if found:
        encoding, length = found
        if encoding == "utf-8":
            return data[length : length + size]
        return data[length : length + 2 * size].decode(encoding, errors="ignore").encode("utf-8")[:size]
    return data[:size]


def root_element(data: bytes) -> str | None:
    """The name (without prefix, lower case) of the first element of an XML or HTML document."""
    head = _head(data)
    prologue = _XML_PROLOGUE.match(head)
    match = _ROOT.match(head, prologue.end() if prologue else 0)
    return match.group(2).decode("ascii", "ignore").lower() if match else None


def looks_like_feed(data: bytes) -> bool:
    """RSS (any version), RDF/RSS 1.0 or Atom, judged by the root element."""
    root = root_element(data)
    return root is not None and root.encode() in FEED_ROOTS


def looks_like_html(data: bytes) -> bool:
    root = root_element(data)
    if root in ("html", "head", "body"):
        return True
    head = _head(data, 2048).lower()
    return b"<html" in head or b"<!doctype html" in head or b"<body" in head


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()
