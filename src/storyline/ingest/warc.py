"""Web archives: `.warc` and `.warc.gz` (WARC 1.0/1.1, read with warcio).

Every HTML page the archive holds becomes a `RawDocument`: `response` records with HTTP status 200 and an
HTML content type (or HTML-looking bytes when the type is missing), and `resource` records with an HTML
type. Other records (requests, metadata, redirects, images, scripts, revisits, ...) are not articles and are
skipped; an archive without any HTML page yields one `empty` rejection saying what it held instead.

- `source` is `<path>#<offset>`: the byte offset of the record in the file (of its gzip member in a
  `.warc.gz`), so a document can be found again with any WARC tool.
- `html` is the decoded body: the HTTP charset first, then the page's own `<meta charset>`, then a guess
  (see `storyline.ingest.web.decode_body`); transfer and content encodings are undone by warcio.
- `meta`: `url` (WARC-Target-URI), `fetched` (WARC-Date: when the page was crawled, an upper bound for the
  publication date, never the publication date itself), `last_modified` (the HTTP Last-Modified header, if
  any, also a weak hint only), `warc_record_id`. The publication date itself comes from the page (the
  `extract` stage reads it with htmldate).

A damaged or cut-short archive keeps every record read before the damage and adds one `truncated` rejection
saying where it broke. Pages over the size limit are rejected one by one (`too_large`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from ..records import RawDocument, Rejection
from . import register_reader
from .decode import InputRejected, human_size, max_bytes
from .web import HTML_TYPES, decode_body, http_date, looks_like_html, media_type

Item = RawDocument | Rejection


@register_reader(".warc", ".warc.gz")
def read_warc(path: Path) -> Iterator[Item]:
    source = str(path)
    try:
        from warcio.archiveiterator import ArchiveIterator
    except ImportError:
        yield Rejection(source, "unsupported", "reading WARC files needs warcio: pip install 'storyline[warc]'")
        return

    class _Archive(ArchiveIterator):
        """Remembers, before warcio forgets it, where reading stopped and whether the last gzip member ended
        properly (warcio stops silently at a cut-short member or record header)."""

        cut_short_at: int | None = None
        stopped_at: int | None = None

        def close(self) -> None:
            reader = self.reader
            if reader is not None:
                self.stopped_at = self.offset
                decompressor = getattr(reader, "decompressor", None)
                if decompressor is not None and getattr(decompressor, "eof", True) is False:
                    self.cut_short_at = self.offset
            super().close()

    try:
        size = path.stat().st_size
        fh = path.open("rb")
    except OSError as error:
        yield Rejection(source, "unreadable", error.strerror or str(error))
        return
    if size == 0:
        fh.close()
        yield Rejection(source, "empty", "file is empty")
        return
    skipped: Counter[str] = Counter()
    found = seen = 0  # pages read (documents or rejected pages), records seen
    limit = max_bytes()
    with fh:
        archive = _Archive(fh, check_digests=False)
        last_offset = 0
        records = iter(archive)
        while True:
            try:
                record = next(records)
            except StopIteration:
                break
            except Exception as error:  # warcio raises assorted errors on damaged input
                where = getattr(archive, "offset", None) or last_offset
                if not seen and not where:
                    yield Rejection(source, "unreadable", f"not a WARC archive ({type(error).__name__}: {error})")
                else:
                    yield _truncated(source, where, size, found, f"{type(error).__name__}: {error}")
                return
            seen += 1
            offset = archive.offset  # where this record starts (get_record_offset() would consume it)
            if record.rec_headers.get_header("Content-Length") is None:
                if seen == 1:
                    yield Rejection(source, "unreadable", "not a WARC archive (no valid record header)")
                else:
                    yield _truncated(source, offset, size, found, "a record header is incomplete")
                return
            try:
                item = _page(record, f"{source}#{offset}", limit)
                while record.raw_stream.read(1 << 16):  # the rest of the record, to see that it is all there
                    pass
            except Exception as error:
                yield _truncated(source, offset, size, found, f"{type(error).__name__}: {error}")
                return
            if getattr(record.raw_stream, "limit", 0):  # fewer bytes than the record declared
                yield _truncated(source, offset, size, found, "the last record is incomplete")
                return
            if isinstance(item, str):
                skipped[item] += 1
            else:
                found += 1
                yield item
            last_offset = offset
        if archive.cut_short_at is not None:
            yield _truncated(source, archive.cut_short_at, size, found, "the compressed data ends mid-record")
            return
        stopped = archive.stopped_at
        if stopped is not None and stopped < size:
            fh.seek(stopped)
            if fh.read(1 << 16).strip():  # more than trailing blank lines: an unreadable record
                yield _truncated(source, stopped, size, found, "a record could not be read")
                return
    if not found:
        what = ", ".join(f"{n} {kind}" for kind, n in skipped.most_common()) or "no records"
        yield Rejection(source, "empty", f"no HTML pages in the archive ({what})")


def _truncated(source: str, offset: int, size: int, found: int, detail: str) -> Rejection:
    pages = "1 page" if found == 1 else f"{found} pages"
    return Rejection(
        source,
        "truncated",
        f"archive is damaged or cut short at byte {offset} of {size} ({detail}); {pages} before it were read",
    )


def _page(record, source: str, limit: int) -> Item | str:
    """The record as a document or a rejection, or (a str) what kind of skipped record it is."""
    kind = record.rec_type
    if kind not in ("response", "resource"):
        return f"{kind} records"
    http = record.http_headers if kind == "response" else None
    if kind == "response":
        if http is None:
            return "non-HTTP responses"
        status = http.get_statuscode()
        if status != "200":
            return f"HTTP {status} responses"
        content_type = http.get_header("Content-Type")
    else:
        content_type = record.rec_headers.get_header("Content-Type")
    mtype = media_type(content_type)
    if mtype and mtype not in HTML_TYPES:
        return f"{mtype} records"
    stream = record.content_stream()
    body = stream.read(limit + 1)
    if len(body) > limit:
        return Rejection(source, "too_large", f"page is over the {human_size(limit)} limit")
    if not mtype and not looks_like_html(body):
        return "untyped non-HTML records"
    try:
        html = decode_body(body, content_type)
    except InputRejected as rejected:
        return Rejection(source, rejected.code, rejected.reason)
    headers = record.rec_headers
    meta: dict[str, str] = {}
    url = (headers.get_header("WARC-Target-URI") or "").strip().strip("<>")
    if url:
        meta["url"] = url
    fetched = http_date(headers.get_header("WARC-Date"))
    if fetched:
        meta["fetched"] = fetched
    if http is not None:
        modified = http_date(http.get_header("Last-Modified"))
        if modified:
            meta["last_modified"] = modified
    record_id = headers.get_header("WARC-Record-ID")
    if record_id:
        meta["warc_record_id"] = record_id.strip("<>")
    return RawDocument(source, html=html, meta=meta)
