"""The facade the CLI, the HTTP API and the web UI call, and nothing else does.

    import storyline
    with storyline.open("news.db") as sl:
        report = sl.ingest(["articles/"])
        for story in sl.stories():
            ...
    docs = storyline.analyze("article.txt")   # one document, nothing stored
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from .cluster import Grouper
from .dedup import Body, Deduper, index_keys, prepare
from .dedup.detect import MIN_WORDS
from .disjoint import DisjointSets
from .ingest import iter_inputs
from .parallel import Batch, PipelineRunner, saves_in_parts
from .pipeline import Pipeline
from .records import Article, Document, RawDocument, Rejection, Story
from .stages import DEFAULT_PIPELINE
from .store import IngestOutcome, Store, open_store
from .store.base import CopyLink

DEFAULT_DB = "storyline.db"
BATCH_SIZE = 200  # documents per transaction: large enough to amortise commits, small enough to lose little


def default_db_path() -> str:
    return os.environ.get("STORYLINE_DB") or DEFAULT_DB


def default_pipeline() -> Pipeline:
    return Pipeline.from_names(DEFAULT_PIPELINE)


@dataclass
class IngestReport:
    run_id: str
    counts: dict[str, int] = field(default_factory=lambda: {"stored": 0, "duplicate": 0, "rejected": 0})
    rejected: list[IngestOutcome] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def to_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "total": self.total,
            **self.counts,
            "rejections": [{"source": o.source, "code": o.code, "reason": o.reason} for o in self.rejected],
        }


ProgressCallback = Callable[[IngestOutcome], None]
GROUPING_STATE = "grouping"  # how the database groups articles (the embedding model), fixed at creation


class Storyline:
    """A handle on one storyline database."""

    def __init__(
        self, store: Store, pipeline: Pipeline | None = None, batch_size: int = BATCH_SIZE, workers: int | None = None,
        embedding_model: str | Path | None = None,
    ):
        """`workers`: processes that run the stateless stages while this one stores (0: none, everything runs
        here; None: automatic, see `storyline.parallel`). The result is the same whatever the number.
        `embedding_model`: a sentence-transformers model on disk whose embeddings join the grouping evidence
        (optional; see `storyline.similarity.embed`). The database remembers it: later handles use it without
        being told, and refuse another one (articles grouped with different models would not compare)."""
        self.store = store
        self.pipeline = pipeline or default_pipeline()
        self.batch_size = batch_size
        self.workers = workers
        self.grouper = Grouper(embedding_model=self._grouping_model(embedding_model))
        self.deduper = Deduper()
        self._load_stage_state()

    def _grouping_model(self, asked: str | Path | None) -> str | None:
        recorded = (self.store.state(GROUPING_STATE) or {}).get("embedding_model")
        if asked is None:
            return recorded
        path = str(Path(asked).expanduser().resolve())
        if recorded is None:
            from .similarity.embed import get_embedder

            get_embedder(path)  # a path that holds no usable model is refused before the database records it
            if self.store.count_articles():
                raise ValueError(
                    f"this database already groups {self.store.count_articles()} articles without embeddings; "
                    "an embedding model can only be chosen for a new database"
                )
            with self.store.batch() as batch:
                batch.set_state(GROUPING_STATE, {"embedding_model": path})
        elif recorded != path:
            raise ValueError(f"this database groups articles with the embedding model {recorded}, not {path}")
        return path

    def _stateful_stages(self) -> list[Any]:
        """Stages that learn across documents (per-outlet boilerplate, entity resolution): they offer
        `state_name`, `get_state()` and `set_state(data)`, and their state lives in the store: whole, or in
        parts when they also offer `get_state_changes()` (what changed since the previous call: parts set,
        keys deleted), which `set_state` then reads back assembled (key -> value)."""
        return [s for s in self.pipeline.stages if getattr(s, "state_name", None)]

    def _load_stage_state(self) -> None:
        for stage in self._stateful_stages():
            parts = self.store.state_parts(stage.state_name) if saves_in_parts(stage) else None
            data = parts or self.store.state(stage.state_name)  # (saved whole by an older version)
            if data is not None:
                stage.set_state(data)

    def _reload_parts_state(self) -> None:
        """After a failed ingest: the stages saving in parts hold what the store holds again, since the
        changes of the batches not committed are lost and later changes alone would not add up to the state."""
        for stage in self._stateful_stages():
            if saves_in_parts(stage):
                name = stage.state_name
                data = self.store.state_parts(name) or self.store.state(name)
                stage.set_state(data if data is not None else {})

    # -- writing -----------------------------------------------------------------------------------
    def ingest(self, paths: Iterable[str | Path], progress: ProgressCallback | None = None) -> IngestReport:
        """Read, analyse, store and group every document under `paths`. Safe to re-run and to interrupt:
        each batch commits atomically and documents already stored are recorded as duplicates."""
        paths = [str(p) for p in paths]
        run_id = self.store.start_run({"paths": paths})
        report = IngestReport(run_id)
        items = iter_inputs(paths)
        batches = iter(lambda: list(islice(items, self.batch_size)), [])
        runner = PipelineRunner(self.pipeline, self.workers, prepare=dedup_form)
        try:
            with closing(runner.run(batches)) as done:
                for chunk in done:
                    with self.store.batch(run_id) as batch:
                        for outcome in self._ingest_chunk(batch, chunk):
                            report.counts[outcome.status] += 1
                            if outcome.status == "rejected":
                                report.rejected.append(outcome)
                            if progress:
                                progress(outcome)
        except BaseException:
            self._reload_parts_state()
            raise
        self.store.finish_run(run_id, report.counts)
        return report

    def _ingest_chunk(self, batch, chunk: Batch) -> Iterator[IngestOutcome]:
        docs = iter(chunk.docs)
        prepared = iter(chunk.prepared or [])
        stored: list[tuple[Article, Document]] = []
        for item in chunk.items:  # in input order, so the accounting reads like the input
            if isinstance(item, Rejection):
                yield batch.add_rejection(item)
                continue
            doc = next(docs)
            dedup = next(prepared, None)
            rejection = rejection_for(doc)
            if rejection:
                yield batch.add_rejection(rejection)
                continue
            article = Article.from_document(doc)
            outcome = batch.add_article(article, doc.errors)
            if outcome.status == "stored":
                for kind, items in document_facts(doc):
                    batch.add_facts(article.id, kind, items)
                self.deduper.place(batch, self.store, article, dedup)  # link a syndicated copy to its original
                stored.append((article, doc))
            yield outcome
        self.grouper.place_all(batch, self.store, stored)  # in a canonical order: the batch's order does not matter
        for name, state in chunk.states.items():  # saved in the same transaction as the articles it saw
            batch.set_state(name, state)
        stages = {s.state_name: s for s in self._stateful_stages()}
        for name, (parts, deleted) in chunk.state_changes.items():
            batch.update_state(name, parts, deleted)
            merged = getattr(stages.get(name), "merged_ids", None)
            if merged is not None and (redirects := merged(parts)):  # earlier articles' entities merged
                batch.merge_entities(redirects)

    # -- reading -----------------------------------------------------------------------------------
    def articles(self, limit: int | None = None, offset: int = 0) -> Iterator[Article]:
        return self.store.articles(limit=limit, offset=offset)

    def article(self, article_id: str) -> Article | None:
        return self.store.article(article_id)

    def stories(self, level: str | None = None) -> list[Story]:
        return self.store.stories(level)

    def story(self, story_id: str) -> Story | None:
        return self.store.story(story_id)

    def describe(self, story: Story) -> dict[str, Any]:
        """A story as the CLI shows it: its record plus n_articles, outlets, languages and independent sources
        (copies and wire credits count once)."""
        sources = self.store.member_sources(story.articles)
        outlets = sorted({o for o, _ in sources.values() if o})
        languages = sorted({lang for _, lang in sources.values() if lang})
        return {**story.to_dict(), "n_articles": len(story.articles), "outlets": outlets, "languages": languages,
                "independent_sources": self.independent_sources(story.articles)}

    def stories_of(self, article_id: str) -> list[str]:
        return self.store.stories_of(article_id)

    def copy_of(self, article_id: str) -> CopyLink | None:
        """The original `article_id` is a syndicated copy of (and how), or None."""
        return self.store.copy_of(article_id)

    def copies_of(self, article_id: str) -> list[CopyLink]:
        """The known copies of an original, in ingest order."""
        return self.store.copies_of(article_id)

    def independent_sources(self, article_ids: Iterable[str]) -> int:
        """How many independent sources `article_ids` (e.g. a story's articles) amount to: a copy counts with
        its original (even when the original is not among them), and articles credited to the same wire agency
        count once."""
        ids = list(dict.fromkeys(article_ids))
        links = self.store.copy_links(ids)
        wires = self.store.wire_credits(ids)
        sets = DisjointSets()
        for aid in ids:
            if aid in links:
                sets.union("a:" + aid, "a:" + links[aid].original_id)
            wire = " ".join(wires.get(aid, "").split()).casefold()
            if wire:
                sets.union("a:" + aid, "w:" + wire)
        return len({sets.find("a:" + aid) for aid in ids})

    def search(self, query: str, limit: int = 20) -> list[tuple[Article, str]]:
        return self.store.search(query, limit)

    def rejected(self) -> list[IngestOutcome]:
        return self.store.rejections()

    def entities(self, type: str | None = None, limit: int | None = None) -> list[dict[str, Any]]:  # noqa: A002
        return self.store.entities(type, limit)

    def entity(self, name_or_id: str) -> dict[str, Any] | None:
        return self.store.entity(name_or_id)

    def facts(self, kind: str, article_id: str | None = None, key: str | None = None) -> list[dict[str, Any]]:
        return self.store.facts(kind, article_id, key)

    def quotes(self, speaker: str | None = None, story_id: str | None = None) -> list[dict[str, Any]]:
        """Stored quotations, optionally of one speaker (entity id, canonical name or any variant; else the
        speaker text) and of one story's articles."""
        rows = self.store.facts("quote")
        if speaker:
            ent = self.store.entity(speaker)
            wanted = speaker.casefold()
            rows = [q for q in rows if (ent and q.get("speaker_entity_id") == ent["id"])
                    or (q.get("speaker") or "").casefold() == wanted]
        if story_id:
            story = self.store.story(story_id)
            members = set(story.articles) if story else set()
            rows = [q for q in rows if q["article_id"] in members]
        return rows

    def events(self, article_ids: Iterable[str] | None = None) -> list[Any]:
        """Happenings merged across the stored articles (or `article_ids`), each with all its sources: a list
        of `storyline.timeline.MergedEvent`, in date order."""
        from .timeline import merged_events

        return merged_events(self, article_ids)

    def timeline(self, story_id: str) -> Any:
        """The events of one story in date order, with an extractive summary (`storyline.timeline.Timeline`);
        KeyError when there is no such story."""
        from .timeline import build_timeline

        return build_timeline(self, story_id)

    def export(self, fmt: str, out: str | Path) -> int:
        from .export import export_articles

        return export_articles(self, fmt, Path(out))

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Storyline:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


FACT_ATTRIBUTES = (("entity", "entities"), ("quote", "quotes"), ("time", "times"), ("event", "events"))


def document_facts(doc: Document) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """The facts the pipeline extracted from `doc`, by kind, as the records' dictionaries."""
    for kind, attribute in FACT_ATTRIBUTES:
        items = getattr(doc, attribute)
        if items:
            yield kind, [x.to_dict() if hasattr(x, "to_dict") else dict(x) for x in items]


def dedup_form(doc: Document) -> tuple[Body, list[tuple[int, int]]] | None:
    """What duplicate detection computes for a document about to be stored (a worker computes it, off the
    writing process): its shingled body and band index keys; None for a document that will be rejected."""
    if rejection_for(doc):
        return None
    body = prepare(Article.from_document(doc))
    return body, (index_keys(body) if body.words >= MIN_WORDS else [])


def rejection_for(doc: Document) -> Rejection | None:
    """A document the pipeline could not turn into an article, with the reason users will read."""
    if doc.id and doc.text.strip():
        return None
    failures = [e for e in doc.errors if not e["error"].startswith("skipped:")]
    if failures:
        first = failures[0]
        code = "no_text" if first["stage"] == "extract" else "stage_failed"
        return Rejection(doc.source, code, f"{first['stage']}: {first['error']}")
    return Rejection(doc.source, "no_text", "no text left after extraction")


def open(  # noqa: A001
    path: str | Path | None = None, *, pipeline: Pipeline | None = None, workers: int | None = None,
    embedding_model: str | Path | None = None,
) -> Storyline:
    """Open (or create) a storyline database: `path`, else $STORYLINE_DB, else ./storyline.db. `workers`,
    `embedding_model`: see `Storyline`."""
    store = open_store(str(path or default_db_path()))
    try:
        return Storyline(store, pipeline=pipeline, workers=workers, embedding_model=embedding_model)
    except BaseException:
        store.close()
        raise


def analyze(
    text_or_path: str | Path,
    *,
    published: str | None = None,
    language: str | None = None,
    pipeline: Pipeline | None = None,
) -> list[Document | Rejection]:
    """Run the pipeline on one input without storing it: a path (file, folder, JSON Lines, "-") or a text.
    `published` and `language` apply where the input does not declare its own."""
    pipeline = pipeline or default_pipeline()
    if isinstance(text_or_path, Path) or text_or_path == "-" or _looks_like_path(text_or_path):
        items: Iterable[RawDocument | Rejection] = iter_inputs([text_or_path])
    else:
        items = [RawDocument(source="<text>", text=str(text_or_path))]
    raws: list[RawDocument] = []
    slots: list[Document | Rejection | None] = []
    for item in items:
        if isinstance(item, Rejection):
            slots.append(item)
            continue
        if published:
            item.meta.setdefault("published", published)
        if language:
            item.meta.setdefault("language", language)
        raws.append(item)
        slots.append(None)
    docs = iter(pipeline.pipe(Document.from_raw(r) for r in raws))
    out: list[Document | Rejection] = []
    for slot in slots:
        if slot is None:
            doc = next(docs)
            slot = rejection_for(doc) or doc
        out.append(slot)
    return out


def _looks_like_path(value: str) -> bool:
    if "\n" in value or len(value) >= 4096:
        return False
    if value.startswith(("http://", "https://")):
        return True
    try:
        return Path(value).exists()
    except OSError:  # a sentence is no file name ("File name too long")
        return False
