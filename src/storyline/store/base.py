"""The store interface every backend implements (SQLite now, PostgreSQL later).

Writes go through one writer: `batch()` is a context manager whose writes land in one transaction, so an
interrupted ingest leaves whole batches or nothing. Reads never see a half-written batch.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Literal

from ..records import Article, Rejection, Story

Status = Literal["stored", "duplicate", "rejected"]


class StoreError(RuntimeError):
    """The store cannot be opened or written (wrong file, newer schema, disk full...)."""


@dataclass(frozen=True, slots=True)
class IngestOutcome:
    """What became of one input in one run: the accounting users see."""

    source: str
    status: Status
    article_id: str | None = None  # stored: the new article; duplicate: the article it duplicates
    reason: str | None = None  # rejected: why; duplicate: e.g. "same content as <source>"
    code: str | None = None  # rejected: Rejection.code


CopyKind = Literal["exact", "reheadlined", "near", "contained"]


@dataclass(frozen=True, slots=True)
class CopyLink:
    """A syndicated copy and the original it repeats (see `storyline.dedup`). `kind`: "exact" (same normalised
    body and title), "reheadlined" (same body, another title), "near" (Jaccard similarity of the bodies'
    shingles, the `score`, high), "contained" (the smaller body inside the larger: trimmed or wrapped; `score` is
    the share of the smaller body's shingles found in the larger)."""

    article_id: str
    original_id: str
    kind: CopyKind
    score: float

    def to_dict(self) -> dict[str, Any]:
        return {"article_id": self.article_id, "original_id": self.original_id, "kind": self.kind, "score": self.score}


class Batch(ABC):
    """Writes of one batch; committed together when the `with` block ends without error."""

    @abstractmethod
    def add_article(self, article: Article, errors: list[dict[str, str]] | None = None) -> IngestOutcome:
        """Store `article` unless one with the same id exists; either way record the input's outcome.
        Returns stored, or duplicate with `article_id` = the existing article."""

    @abstractmethod
    def add_rejection(self, rejection: Rejection) -> IngestOutcome:
        """Record an input that could not become an article."""

    @abstractmethod
    def set_story(self, story: Story, terms: dict[str, float] | None = None) -> None:
        """Create or replace a story (its label, dates and article list) and its index terms."""

    @abstractmethod
    def add_to_story(self, story: Story, article_id: str, terms: dict[str, float] | None = None) -> None:
        """Append one article to a story (created if new), updating its label, dates and terms; costs the
        same whatever the story's size."""

    @abstractmethod
    def add_evidence(self, article_id: str, data: dict[str, Any], keys: Iterable[tuple[str, int]]) -> None:
        """Keep what the grouper read from an article (`data`, JSON-serialisable, its keys under "vector"), count
        its keys, and file the article in the candidate index under each (key, ordinal day)."""

    @abstractmethod
    def add_story_terms(self, story_id: str, terms: dict[str, float], max_terms: int) -> None:
        """Add `terms` to a story's term weights, keeping the strongest `max_terms`; costs the same whatever the
        story's size."""

    @abstractmethod
    def merge_stories(self, keep: str, gone: str, max_terms: int) -> None:
        """Move story `gone`'s articles and term weights into `keep` and delete `gone`."""

    @abstractmethod
    def add_facts(self, article_id: str, kind: str, items: Iterable[dict[str, Any]]) -> None:
        """Replace the facts of one kind ("entity", "quote", "time", "event") extracted from an article.
        Each item is the stage record's `to_dict()`, with `start`/`end` offsets into the article text;
        entity mentions with an `entity_id` also update that entity (canonical name, type, variants)."""

    @abstractmethod
    def set_state(self, name: str, data: Any) -> None:
        """Save learned state (JSON-serialisable) under `name` whole, in this batch's transaction (it replaces
        whatever was saved under `name`, whole or in parts)."""

    @abstractmethod
    def update_state(self, name: str, parts: dict[str, Any], deleted: Iterable[str] = ()) -> None:
        """Save what changed in a state kept in parts, in this batch's transaction: `parts` (key -> JSON value,
        keys not empty) are written, the `deleted` keys removed, the other parts left as they are. A state
        saved whole under `name` is dropped (the parts replace it)."""

    @abstractmethod
    def merge_entities(self, redirects: dict[str, str]) -> None:
        """Entities found to be one (old id -> surviving id, as the resolver redirects them): what is stored
        under an old id (mentions, quotes by that speaker) moves to the survivor, and the old entity goes."""

    @abstractmethod
    def add_signature(self, article_id: str, bands: Iterable[tuple[int, int]]) -> None:
        """Index a stored article under its MinHash LSH bands, (band number, band hash) pairs; idempotent."""

    @abstractmethod
    def set_copy(self, article_id: str, original_id: str, kind: CopyKind, score: float) -> None:
        """Record (or replace) that `article_id` is a copy of `original_id`."""


class Store(ABC):
    path: str

    @abstractmethod
    def batch(self, run_id: str | None = None) -> AbstractContextManager[Batch]: ...

    @abstractmethod
    def start_run(self, args: dict[str, Any]) -> str:
        """Record the start of an ingest run; returns its id."""

    @abstractmethod
    def finish_run(self, run_id: str, counts: dict[str, int]) -> None: ...

    @abstractmethod
    def has_article(self, article_id: str) -> bool: ...

    @abstractmethod
    def article(self, article_id: str) -> Article | None: ...

    @abstractmethod
    def articles(self, limit: int | None = None, offset: int = 0) -> Iterator[Article]:
        """Articles in ingest order."""

    @abstractmethod
    def count_articles(self) -> int: ...

    @abstractmethod
    def stories(self, level: str | None = None) -> list[Story]:
        """Stories, largest first, then by id (deterministic)."""

    @abstractmethod
    def story(self, story_id: str) -> Story | None: ...

    @abstractmethod
    def stories_of(self, article_id: str) -> list[str]:
        """Ids of the stories an article belongs to."""

    @abstractmethod
    def story_terms(self, story_id: str) -> dict[str, float]:
        """A story's index terms with their weights."""

    @abstractmethod
    def stories_by_id(self, story_ids: Sequence[str], with_members: bool = False) -> dict[str, Story]:
        """The stories among `story_ids`, by id (`articles` left empty unless `with_members`)."""

    @abstractmethod
    def grouping_evidence(self, article_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """The evidence saved with `Batch.add_evidence`, by article id."""

    @abstractmethod
    def grouping_candidates(self, lookups: Sequence[tuple[str, int, int]], per_key: int) -> list[tuple[int, str]]:
        """(lookup number, article id) for the articles filed under each (key, first day, last day) of `lookups`,
        at most `per_key` per lookup (latest days first): index lookups, never a scan."""

    @abstractmethod
    def story_of(self, article_ids: Iterable[str], level: str) -> dict[str, str]:
        """Article id -> the id of its story of `level`, for the grouped ones."""

    @abstractmethod
    def key_frequencies(self, keys: Sequence[str]) -> tuple[int, dict[str, int]]:
        """(number of articles with grouping evidence, {key: how many of them hold it}) for `keys`."""

    @abstractmethod
    def top_terms(self, story_id: str, limit: int) -> list[str]:
        """A story's `limit` strongest terms, strongest first."""

    @abstractmethod
    def story_sizes(self, story_ids: Sequence[str]) -> dict[str, int]:
        """Story id -> its number of articles."""

    @abstractmethod
    def member_sources(self, article_ids: Iterable[str]) -> dict[str, tuple[str | None, str | None]]:
        """Article id -> (outlet, language)."""

    @abstractmethod
    def entity_names(self, entity_ids: Iterable[str]) -> dict[str, str]:
        """Entity id -> canonical name, for the known ones."""

    @abstractmethod
    def search(self, query: str, limit: int = 20) -> list[tuple[Article, str]]:
        """Full-text search over titles and bodies; (article, snippet) pairs, best first."""

    @abstractmethod
    def rejections(self) -> list[IngestOutcome]:
        """Inputs whose latest outcome is a rejection, by source."""

    @abstractmethod
    def outcomes(self, run_id: str | None = None) -> list[IngestOutcome]:
        """Every recorded input outcome (of one run, or all), in order."""

    @abstractmethod
    def state(self, name: str) -> Any | None:
        """Learned state saved whole with `Batch.set_state`, or None."""

    @abstractmethod
    def state_parts(self, name: str) -> dict[str, Any]:
        """Every part of a state saved with `Batch.update_state`, key -> value (empty when none)."""

    @abstractmethod
    def entities(self, type: str | None = None, limit: int | None = None) -> list[dict[str, Any]]:
        """Canonical entities, most mentioned first: {id, canonical, type, mentions, articles, variants...}."""

    @abstractmethod
    def entity(self, name_or_id: str) -> dict[str, Any] | None:
        """One entity by id, canonical name or any variant, with its mentions per article and its stories."""

    @abstractmethod
    def facts(
        self, kind: str, article_id: str | None = None, key: str | None = None
    ) -> list[dict[str, Any]]:
        """Stored facts of one kind ("entity", "quote", "time", "event"), each with its `article_id`,
        optionally of one article or one lookup key; in article order, then by offset."""

    @abstractmethod
    def lsh_candidates(self, bands: Sequence[tuple[int, int]], limit: int = 50) -> list[tuple[str, int]]:
        """Articles indexed under at least one of `bands` ((band number, hash) pairs), with how many they share,
        most shared first (then earliest ingested), at most `limit`: index lookups, never a scan."""

    @abstractmethod
    def copy_of(self, article_id: str) -> CopyLink | None:
        """The link from a copy to its original, or None when the article is not a known copy."""

    @abstractmethod
    def copies_of(self, article_id: str) -> list[CopyLink]:
        """The copies whose original is `article_id`, in ingest order."""

    @abstractmethod
    def copy_links(self, article_ids: Iterable[str]) -> dict[str, CopyLink]:
        """`copy_of` for many articles at once: article id -> link, for the copies among them."""

    @abstractmethod
    def ingest_order(self, article_ids: Iterable[str]) -> dict[str, int]:
        """Article id -> its position in ingest order (increasing, stable), for the stored ones."""

    @abstractmethod
    def wire_credits(self, article_ids: Iterable[str]) -> dict[str, str]:
        """Article id -> its wire agency credit (`Article.wire`), for the credited ones among them."""

    @abstractmethod
    def integrity_check(self) -> str:
        """"ok" when the storage is consistent, else what is wrong."""

    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
