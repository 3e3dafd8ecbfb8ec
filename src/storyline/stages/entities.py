"""Named entities of the article body: PER, ORG, GPE, LOC, each with a canonical name and an entity id shared
across the documents of a run (see `storyline.entities`).

The stage sees a batch at once (`pipe`): the batch's documents are recognised with shared evidence (a word
capitalised inside sentences in one article is a name at the start of a sentence in another) and resolved
together, so a surname alone in one article meets the full name in another. The resolver lives as long as the
stage, so later batches join the entities of earlier ones.

Recognition of a large batch is shared out between worker processes (forked, so they start with the
gazetteers already loaded; results do not depend on how many there are). Resolution stays in this process.

Settings, from the constructor or, when the stage is built by name, the environment:
- `STORYLINE_ENTITY_MODEL`: a model backend, e.g. "spacy:fr_core_news_md" or a path to a saved spaCy pipeline;
- `STORYLINE_ENTITY_KB`: a knowledge-base file (JSON or CSV of id, label, aliases) to link entities to;
- `STORYLINE_ENTITY_WORKERS`: processes for recognition (default on Linux: 2 where the machine has 2 cores
  or more; 1 recognises in this process).
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import multiprocessing
import operator
import os
import pickle
import sys
import weakref
from collections.abc import Iterable
from functools import cached_property
from typing import Any

from ..pipeline import register_stage
from ..records import Document

PARALLEL_MIN_DOCS = 64  # smaller batches are recognised in this process (a pool costs more than it saves)

CHUNKS_PER_WORKER = 4  # tasks per worker and batch: the longest documents go first, so the workers end together

# The recogniser that forked workers inherit (set just before the pool is created; read only in workers).
_WORKER_RECOGNIZER: Any = None
# In a worker, the evidence of the batch it works on: (batch number, evidence), read once per batch.
_WORKER_EVIDENCE: tuple[int, Any] = (-1, None)
_batch_numbers = itertools.count()


def _recognize_chunk(args: tuple[list[tuple[str, list, str | None]], int, bytes]) -> list[list[tuple]]:
    """Mentions of a chunk's documents, each as the tuple of its fields: a list of tuples pickles several times
    faster than the dataclass objects themselves (the pickling is the worker's and the writer's cost). The
    batch's evidence comes pickled once by the writer, and a worker unpickles it once per batch."""
    global _WORKER_EVIDENCE
    from ..entities.collector import cycle_collection_paused

    items, batch, evidence_blob = args
    if _WORKER_EVIDENCE[0] != batch:
        _WORKER_EVIDENCE = (batch, pickle.loads(evidence_blob))
    evidence = _WORKER_EVIDENCE[1]
    rec = _WORKER_RECOGNIZER
    fields = _mention_fields()
    with cycle_collection_paused():
        return [
            [fields(m) for m in rec.recognize(rec.prepare(text, body, language), evidence)]
            for text, body, language in items
        ]


@functools.lru_cache(maxsize=1)
def _mention_fields() -> Any:
    """A function from a mention to the tuple of its fields, in the order `Mention(*fields)` takes them."""
    from ..entities import Mention

    return operator.attrgetter(*(f.name for f in dataclasses.fields(Mention)))


@register_stage("entities")
class Entities:
    requires = ("text", "body", "language")
    assigns = ("entities",)
    # the resolver is learned state, saved in parts (an entity, a redirect): after a batch, only what it changed
    state_name = "entities"

    def __init__(
        self,
        backend: Any = None,
        mode: str = "complement",
        kb: Any = None,
        resolver: Any = None,
        workers: int | None = None,
    ):
        self.backend = backend
        self.mode = mode
        self.kb = kb
        self.workers = workers
        self._resolver = resolver
        self._pool: Any = None

    @cached_property
    def recognizer(self):
        from ..entities import EntityRecognizer, load_backend

        backend = self.backend if self.backend is not None else load_backend(os.environ.get("STORYLINE_ENTITY_MODEL"))
        return EntityRecognizer(backend=backend, mode=self.mode)

    @cached_property
    def resolver(self):
        from ..entities import EntityResolver, KnowledgeBase

        if self._resolver is not None:
            return self._resolver
        kb = self.kb
        if kb is None and os.environ.get("STORYLINE_ENTITY_KB"):
            kb = KnowledgeBase.load(os.environ["STORYLINE_ENTITY_KB"])
        return EntityResolver(kb=kb)

    def get_state(self) -> dict[str, Any]:
        return self.resolver.to_dict()

    def get_state_changes(self) -> tuple[dict[str, Any], list[str]]:
        """The state parts the batches since the previous call changed, and the keys of those gone."""
        return self.resolver.state_changes()

    @staticmethod
    def merged_ids(parts: dict[str, Any]) -> dict[str, str]:
        """The entities a batch's state changes (`get_state_changes`) merge away: old id -> the id it ends at
        as of that batch, so that what is stored under the old id can move there."""
        from ..entities.resolver import REDIRECT_PART

        redirects = {k[len(REDIRECT_PART):]: v for k, v in parts.items() if k.startswith(REDIRECT_PART)}
        final = {}
        for old, new in redirects.items():
            seen = {old}
            while new in redirects and new not in seen:  # a chain within the batch: old -> mid -> new
                seen.add(new)
                new = redirects[new]
            final[old] = new
        return final

    def set_state(self, data: dict[str, Any]) -> None:
        """Read the resolver back from its parts, or from a state saved whole (by an older version: its first
        changes then hold every part, so the parts replace it)."""
        from ..entities import EntityResolver

        kb = self.resolver.kb
        whole = "entities" in data  # part keys hold a "/"
        resolver = EntityResolver.from_dict(data, kb=kb) if whole else EntityResolver.from_parts(data, kb=kb)
        self.__dict__["resolver"] = resolver

    def __call__(self, doc: Document) -> Document:
        return self.pipe([doc])[0]

    def pipe(self, docs: Iterable[Document]) -> list[Document]:
        from ..entities.collector import cycle_collection_paused

        docs = list(docs)
        with cycle_collection_paused():
            return self._pipe(docs)

    def _pipe(self, docs: list[Document]) -> list[Document]:
        from ..entities import Evidence

        evidence = Evidence.from_texts([(d.text, d.body) for d in docs])
        resolver = self.resolver
        evidence.known = {w for w in evidence.capitalised if resolver.knows(w)}  # names met in earlier batches
        for d, mentions in zip(docs, self._recognize(docs, evidence)):
            d.entities = mentions
        self.resolver.partial_fit(docs)
        return docs

    def _recognize(self, docs: list[Document], evidence: Any) -> list[list[Any]]:
        rec = self.recognizer
        n = self._worker_count()
        if n < 2 or len(docs) < PARALLEL_MIN_DOCS or rec.backend is not None:
            return [rec.recognize(rec.prepare(d.text, d.body, d.language), evidence) for d in docs]
        pool = self._get_pool(n, {d.language for d in docs})
        from ..entities import Mention

        # longest first, in chunks a worker takes as it gets free; each document's mentions go back to its place
        order = sorted(range(len(docs)), key=lambda k: -len(docs[k].text))
        size = -(-len(docs) // (CHUNKS_PER_WORKER * n))
        chunks = [order[i : i + size] for i in range(0, len(order), size)]
        batch, blob = next(_batch_numbers), pickle.dumps(evidence, pickle.HIGHEST_PROTOCOL)
        tasks = [([(docs[k].text, docs[k].body, docs[k].language) for k in chunk], batch, blob) for chunk in chunks]
        out: list[list[Any]] = [[] for _ in docs]
        for chunk, found in zip(chunks, pool.imap(_recognize_chunk, tasks)):  # rebuilt as they come
            for k, ms in zip(chunk, found):
                out[k] = [Mention(*fields) for fields in ms]
        return out

    def _worker_count(self) -> int:
        if self.workers is not None:
            return self.workers
        env = os.environ.get("STORYLINE_ENTITY_WORKERS")
        if env:
            return max(1, int(env))
        if not sys.platform.startswith("linux"):  # fork is safe there; elsewhere, opt in with workers=
            return 1
        return min(2, os.cpu_count() or 1)

    def _get_pool(self, n: int, languages: set[str | None]) -> Any:
        global _WORKER_RECOGNIZER
        if self._pool is None:
            rec = self.recognizer
            for lang in sorted(languages, key=str):  # load the word lists once, before the workers fork
                rec.recognize(rec.prepare("Warm up.", None, lang))
            _WORKER_RECOGNIZER = rec  # inherited by the forked workers
            self._pool = multiprocessing.get_context("fork").Pool(n)
            weakref.finalize(self, self._pool.terminate)
        return self._pool

    def close(self) -> None:
        """Stop the worker processes (they also stop when the stage is garbage-collected)."""
        if self._pool is not None:
            self._pool.terminate()
            self._pool = None
