"""Typed records that flow through storyline.

`RawDocument` is what a reader yields; `Document` is the mutable working copy that pipeline stages annotate
(like a spaCy Doc); `Article` is the frozen record a store keeps. Every offset is a character offset into
`Document.text` / `Article.text`, the text exactly as read, so provenance never depends on normalisation.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

ContentType = Literal["text", "html"]


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of one document: provenance for every extracted fact."""

    doc_id: str
    start: int
    end: int
    label: str = ""


@dataclass(slots=True)
class Published:
    """When an article was published: a day when known, always an interval, and why we think so."""

    date: str | None = None  # ISO day, YYYY-MM-DD
    earliest: str | None = None
    latest: str | None = None
    evidence: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def exact(cls, day: str, evidence: str) -> Published:
        return cls(date=day, earliest=day, latest=day, evidence=evidence)


@dataclass(slots=True)
class RawDocument:
    """One input as a reader found it, before any stage ran.

    `source` names where it came from (a path, `path#L12` for a JSON Lines row, a URL, `-` for stdin).
    Exactly one of `text` and `html` is set. `meta` carries what the input declared itself (title, url,
    published, outlet, language, id for JSON Lines; headers for WARC and feeds).
    """

    source: str
    text: str | None = None
    html: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def content_type(self) -> ContentType:
        return "html" if self.html is not None else "text"


@dataclass(frozen=True, slots=True)
class Rejection:
    """An input that could not become an article, and why (shown to users as-is)."""

    source: str
    code: str  # machine-readable: binary, empty, undecodable, too_large, no_text, unreadable, bad_json, stage_failed
    reason: str  # human-readable


@dataclass(slots=True)
class Document:
    """The working copy a pipeline annotates. Stages read and assign the attributes named in their
    `requires`/`assigns`; see `storyline.pipeline`."""

    source: str
    text: str = ""
    html: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    id: str = ""
    title: str | None = None
    language: str | None = None
    language_blocks: list[dict[str, Any]] = field(default_factory=list)  # [{start, end, language}] in another language
    published: Published = field(default_factory=Published)
    outlet: str | None = None
    wire: str | None = None
    url: str | None = None
    dateline: dict[str, Any] | None = None
    body: list[tuple[int, int]] = field(default_factory=list)
    removed: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, str]] = field(default_factory=list)
    # Facts extracted by later stages; each item has `start`/`end` offsets into `text` and a `to_dict()`.
    entities: list[Any] = field(default_factory=list)
    quotes: list[Any] = field(default_factory=list)
    times: list[Any] = field(default_factory=list)
    events: list[Any] = field(default_factory=list)

    @classmethod
    def from_raw(cls, raw: RawDocument) -> Document:
        return cls(source=raw.source, text=raw.text or "", html=raw.html, meta=dict(raw.meta))

    def body_text(self) -> str:
        """The article body alone, its ranges joined by blank lines."""
        return "\n\n".join(self.text[s:e] for s, e in self.body)

    def to_dict(self) -> dict[str, Any]:
        """The `analyze --json` contract (later issues add entities, quotes, times, events)."""
        return {
            # a JSON Lines row's own id is kept, so callers can join results back to their data
            "id": str(self.meta["id"]) if self.meta.get("id") is not None else self.id,
            "source": self.source,
            "text": self.text,
            "title": self.title,
            "language": self.language,
            "language_blocks": self.language_blocks,
            "published": self.published.to_dict(),
            "outlet": self.outlet,
            "wire": self.wire,
            "url": self.url,
            "dateline": self.dateline,
            "body": [list(r) for r in self.body],
            "removed": self.removed,
            "errors": self.errors,
            "entities": [_as_dict(x) for x in self.entities],
            "quotes": [_as_dict(x) for x in self.quotes],
            "times": [_as_dict(x) for x in self.times],
            "events": [_as_dict(x) for x in self.events],
        }


@dataclass(frozen=True, slots=True)
class Article:
    """A stored article. `id` is derived from the content (see `content_id`)."""

    id: str
    source: str
    text: str
    title: str | None
    language: str | None
    published: Published
    outlet: str | None
    wire: str | None
    url: str | None
    body: tuple[tuple[int, int], ...]
    meta: dict[str, Any]

    @classmethod
    def from_document(cls, doc: Document) -> Article:
        return cls(
            id=doc.id,
            source=doc.source,
            text=doc.text,
            title=doc.title,
            language=doc.language,
            published=doc.published,
            outlet=doc.outlet,
            wire=doc.wire,
            url=doc.url,
            body=tuple(tuple(r) for r in doc.body),
            meta={"dateline": doc.dateline, "removed": doc.removed, **_public_meta(doc.meta)},
        )


@dataclass(slots=True)
class Story:
    """A group of articles: `level` "event" (one happening) or "storyline" (a thread of events)."""

    id: str
    level: Literal["event", "storyline"]
    label: str
    articles: list[str]
    first: str | None
    last: str | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _as_dict(item: Any) -> Any:
    return item.to_dict() if hasattr(item, "to_dict") else item


def _public_meta(meta: dict[str, Any]) -> dict[str, Any]:
    """Input metadata worth keeping with the article (JSON-serialisable scalars only)."""
    return {k: v for k, v in meta.items() if isinstance(v, (str, int, float, bool)) or v is None}


def content_id(text: str) -> str:
    """Stable article id from content: the same words give the same id whatever the file, the Unicode
    normalisation form or the white space. 16 hex digits of SHA-256 (collisions are negligible below
    billions of articles)."""
    folded = " ".join(unicodedata.normalize("NFC", text).split())
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()[:16]
