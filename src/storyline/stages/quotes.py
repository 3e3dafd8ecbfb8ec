"""Stage "quotes": who said what (see `storyline.quotes`).

Direct quotations and indirect speech from the body ranges, each with its speaker: a canonical name (the
entity's, when the "entities" stage ran before and found one), a description the article gives, or None.
The stage reads `doc.entities` when they are there but does not require them, so it runs with or without
the entities stage; place it after "entities" to get canonical names and entity ids. Passages the language
stage found in another language (`doc.language_blocks`) are read with that language's cues.

Documents are independent, so a large batch (`pipe`) can be shared out between worker processes (forked; the
results do not depend on how many there are): `STORYLINE_QUOTES_WORKERS` or `workers` sets their number.
The default is 1 (in this process): the stage costs about 2 ms per article, so workers only pay on idle
cores.
"""

from __future__ import annotations

import multiprocessing
import os
import weakref
from collections.abc import Iterable
from typing import Any

from ..pipeline import register_stage
from ..quotes import extract_quotes
from ..records import Document

PARALLEL_MIN_DOCS = 64  # smaller batches run in this process (a pool costs more than it saves)


Item = tuple[str, list, "str | None", list, bool, list]


def _extract(item: Item) -> list[Any]:
    text, body, language, entities, indirect, blocks = item
    return extract_quotes(text, body, language, entities or None, indirect=indirect, language_blocks=blocks or None)


def _extract_chunk(items: list[Item]) -> list[list[Any]]:
    return [_extract(item) for item in items]


def _item(doc: Document, indirect: bool) -> Item:
    return (doc.text, list(doc.body), doc.language, doc.entities, indirect, getattr(doc, "language_blocks", None) or [])


@register_stage("quotes")
class Quotes:
    requires = ("text", "body", "language")
    assigns = ("quotes",)

    def __init__(self, indirect: bool = True, workers: int | None = None):
        self.indirect = indirect
        self.workers = workers
        self._pool: Any = None

    def __call__(self, doc: Document) -> Document:
        doc.quotes = _extract(_item(doc, self.indirect))
        return doc

    def pipe(self, docs: Iterable[Document]) -> list[Document]:
        docs = list(docs)
        items = [_item(d, self.indirect) for d in docs]
        n = self._worker_count()
        if n < 2 or len(items) < PARALLEL_MIN_DOCS:
            results = [_extract(item) for item in items]
        else:
            size = -(-len(items) // (4 * n))
            chunks = [items[i:i + size] for i in range(0, len(items), size)]
            results = [r for chunk in self._get_pool(n).map(_extract_chunk, chunks) for r in chunk]
        for d, quotes in zip(docs, results):
            d.quotes = quotes
        return docs

    def _worker_count(self) -> int:
        if self.workers is not None:
            return self.workers
        env = os.environ.get("STORYLINE_QUOTES_WORKERS")
        if env and "fork" in multiprocessing.get_all_start_methods():
            return max(1, int(env))
        return 1

    def _get_pool(self, n: int) -> Any:
        if self._pool is None:
            extract_quotes("« Prêt. »", None, "fr")  # load the tables once, before the workers fork
            self._pool = multiprocessing.get_context("fork").Pool(n)
            weakref.finalize(self, self._pool.terminate)
        return self._pool

    def close(self) -> None:
        """Stop the worker processes (they also stop when the stage is garbage-collected)."""
        if self._pool is not None:
            self._pool.terminate()
            self._pool = None
