"""News feeds: RSS (0.9x, 1.0/RDF, 2.0) and Atom files, read with feedparser.

`.rss` and `.atom` files are feeds; a `.xml` file is read as a feed only if its root element says so (`<rss>`,
`<feed>`, `<rdf:RDF>`), otherwise it is rejected as `unsupported`.

Every entry becomes one `RawDocument` (`source` = `<feed>#<n>`, n counting entries from 1) whose `html` is the
entry's own content: the longest of its full contents (`content:encoded`, Atom `<content>`), else its summary
(`<description>`, `<summary>`). `meta`: `title`, `url` (the entry's link), `published` (the entry's
published, else updated, date as ISO 8601 with its original UTC offset), `outlet` (the feed's title),
`feed` (the feed's own URL or path), `guid`, `author`.

With fetching enabled (`STORYLINE_FETCH=1`, see `storyline.ingest.fetch`), the page each entry links to is
fetched and used instead of the entry's content (the entry's metadata is kept, and the entry's content is
the fallback when the page cannot be fetched). Fetching is off by default: reading a feed file never touches
the network unless asked to.

Broken XML: feedparser's lenient parser recovers what it can (`bozo`); every entry it recovered is kept. A
feed with no entry at all is rejected: `bad_feed` with the parser's reason when the XML is broken, `empty`
when it is a well-formed feed without entries.
"""

from __future__ import annotations

import calendar
import io
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..records import RawDocument, Rejection
from . import register_reader
from .decode import InputRejected, read_limited
from .web import http_date, looks_like_feed, root_element

if TYPE_CHECKING:
    from .fetch import FetchOptions

Item = RawDocument | Rejection

_HTML_TYPES = ("text/html", "application/xhtml+xml", "html", "xhtml")


@register_reader(".rss", ".atom", ".xml")
def read_feed(path: Path) -> Iterator[Item]:
    source = str(path)
    try:
        data = read_limited(path)
    except InputRejected as rejected:
        yield Rejection(source, rejected.code, rejected.reason)
        return
    if path.name.lower().endswith(".xml") and not looks_like_feed(data):
        root = root_element(data)
        what = f"its root element is <{root}>" if root else "it does not look like XML"
        yield Rejection(source, "unsupported", f"XML file is not an RSS or Atom feed ({what})")
        return
    from .fetch import FetchOptions

    yield from parse_feed(data, source, options=FetchOptions.from_env())


def parse_feed(
    data: bytes,
    source: str,
    *,
    content_type: str | None = None,
    options: FetchOptions | None = None,
) -> Iterator[Item]:
    """The entries of a feed's bytes (`content_type`: the HTTP header it came with, if fetched)."""
    try:
        import feedparser
    except ImportError:
        yield Rejection(source, "unsupported", "reading feeds needs feedparser: pip install 'storyline[feeds]'")
        return
    headers = {"content-type": content_type} if content_type else {}
    try:
        # a stream, never the bytes themselves: feedparser would take bytes naming a local file for a path
        stream = io.BytesIO(data)
        parsed = feedparser.parse(stream, response_headers=headers, sanitize_html=True, resolve_relative_uris=True)
    except Exception as error:  # feedparser is lenient, but hostile input can still break it
        yield Rejection(source, "bad_feed", f"feed could not be parsed: {type(error).__name__}: {error}")
        return
    entries = list(parsed.get("entries") or [])
    broken = bool(parsed.get("bozo")) and not _harmless(parsed.get("bozo_exception"))
    if not entries:
        if broken:
            yield Rejection(source, "bad_feed", f"broken feed, no entries recovered: {_reason(parsed)}")
        elif not parsed.get("version"):
            yield Rejection(source, "bad_feed", "not an RSS or Atom feed")
        else:
            yield Rejection(source, "empty", "feed has no entries")
        return
    feed = parsed.get("feed") or {}
    outlet = _clean(feed.get("title"))
    fetching = options is not None and options.allow_network and options.fetch_feed_links
    for n, entry in enumerate(entries, 1):
        yield _entry(entry, f"{source}#{n}", source, outlet, options if fetching else None)


def _entry(entry: Any, source: str, feed: str, outlet: str | None, options: FetchOptions | None) -> Item:
    meta: dict[str, Any] = {}
    title = _clean(entry.get("title"))
    if title:
        meta["title"] = title
    link = (entry.get("link") or "").strip()
    if link:
        meta["url"] = link
    published = _entry_date(entry)
    if published:
        meta["published"] = published
    if outlet:
        meta["outlet"] = outlet
    meta["feed"] = feed
    guid = entry.get("id")
    if guid:
        meta["guid"] = str(guid)
    author = _clean(entry.get("author"))
    if author:
        meta["author"] = author
    html, kind = _entry_content(entry)
    if options is not None and link.startswith(("http://", "https://")):
        from .fetch import fetch_page

        page = fetch_page(link, options)
        if isinstance(page, RawDocument):
            page.meta.update({k: v for k, v in meta.items() if k != "url" or "url" not in page.meta})
            page.meta["feed_entry"] = source
            return page
        meta["fetch_error"] = f"{page.code}: {page.reason}"
    if not html:
        hint = "" if options is not None else " (set STORYLINE_FETCH=1 to fetch the page it links to)"
        return Rejection(source, "empty", f"feed entry has no content{hint}")
    meta["feed_content"] = kind
    return RawDocument(source, html=html, meta=meta)


def _entry_content(entry: Any) -> tuple[str | None, str]:
    """The entry's own text as HTML, and where it came from ("content" or "summary")."""
    best = None
    for item in entry.get("content") or []:
        value = (item.get("value") or "").strip()
        if not value:
            continue
        if (item.get("type") or "text/html") not in _HTML_TYPES:
            value = _text_as_html(value)
        if best is None or len(value) > len(best):
            best = value
    if best:
        return best, "content"
    summary = (entry.get("summary") or "").strip()
    if summary:
        detail = entry.get("summary_detail") or {}
        if (detail.get("type") or "text/html") not in _HTML_TYPES:
            summary = _text_as_html(summary)
        return summary, "summary"
    return None, ""


def _text_as_html(text: str) -> str:
    from html import escape

    return "".join(f"<p>{escape(p.strip())}</p>" for p in text.split("\n\n") if p.strip())


def _entry_date(entry: Any) -> str | None:
    """published, else updated, as ISO 8601 keeping the feed's own UTC offset (feedparser's parsed dates
    are converted to UTC, which can move an evening article to the next day)."""
    for key in ("published", "updated", "created"):
        raw = entry.get(key)
        if raw:
            iso = http_date(str(raw))
            if iso:
                return iso
        parsed = entry.get(f"{key}_parsed")
        if parsed:
            try:
                return datetime.fromtimestamp(calendar.timegm(parsed), UTC).isoformat()
            except (OverflowError, ValueError, TypeError, OSError):
                continue
    return None


def _clean(value: Any) -> str | None:
    if not value:
        return None
    text = " ".join(str(value).split())
    return text or None


def _harmless(exc: Any) -> bool:
    """feedparser flags a charset it had to override (the feed declared a wrong one) as bozo: the entries are
    fine, so that alone does not make a feed broken."""
    return type(exc).__name__ in ("CharacterEncodingOverride", "NonXMLContentType")


def _reason(parsed: Any) -> str:
    exc = parsed.get("bozo_exception")
    if exc is None:
        return "unknown error"
    message = getattr(exc, "getMessage", None)
    text = message() if callable(message) else str(exc)
    line = getattr(exc, "getLineNumber", None)
    if callable(line):
        try:
            text = f"{text} (line {line()})"
        except Exception:
            pass
    return text
