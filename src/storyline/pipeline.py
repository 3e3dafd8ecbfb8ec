"""A pipeline of named stages with declared inputs and outputs.

A stage is a small object with a `name`, the `Document` attributes it `requires` and `assigns`, and
`__call__(doc) -> doc`. Stages register under their name with `@register_stage`, so a pipeline can be
described by names (`Pipeline.from_names(["extract", "title", ...])`). The chain is checked when the pipeline
is built, before any data runs: a stage that needs an attribute no earlier stage assigns is an error (E001).

A stage that raises on one document records the error on that document (`doc.errors`) and the stages that
depend on what it would have assigned are skipped for that document; the batch goes on. A stage may also
offer `pipe(docs)` to see a whole batch at once (corpus-level evidence); `__call__` stays the per-document
fallback, used when `pipe` raises.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from typing import ClassVar, Protocol, runtime_checkable

from .records import Document

log = logging.getLogger(__name__)

# Attributes a Document has before any stage runs (set by the reader).
INITIAL_ATTRIBUTES = frozenset({"source", "text", "html", "meta"})


class PipelineError(ValueError):
    """A pipeline that cannot be built. The message starts with a code and says what to do."""


@runtime_checkable
class Stage(Protocol):
    name: ClassVar[str]
    requires: ClassVar[tuple[str, ...]]
    assigns: ClassVar[tuple[str, ...]]

    def __call__(self, doc: Document) -> Document:
        return self.pipe([doc])[0]

    def pipe(self, docs: Iterable[Document]) -> list[Document]:
        """Run every stage over a batch of documents. A stage with a `pipe(docs)` method sees the whole
        batch at once (for corpus-level evidence, such as a year inferred from the other articles);
        other stages run document by document. Failures are isolated per document, except that a
        batch-level stage that raises marks every document of the batch as failed for that stage."""
        docs = list(docs)
        failed: list[set[str]] = [set() for _ in docs]  # per document: attributes a failed stage owed
        for stage in self.stages:
            runnable = []
            for i, doc in enumerate(docs):
                blocked = [a for a in stage.requires if a in failed[i]]
                if blocked:
                    failed[i].update(stage.assigns)
                    doc.errors.append(
                        {"stage": stage.name, "error": f"skipped: needs {', '.join(blocked)} from a failed stage"}
                    )
                else:
                    runnable.append(i)
            batch_pipe = getattr(stage, "pipe", None)
            if batch_pipe is not None:
                try:
                    batch_pipe([docs[i] for i in runnable])
                    continue
                except Exception as exc:  # fall back to one by one, so only the bad document fails
                    log.debug("batch stage %s failed; retrying per document", stage.name, exc_info=True)
            for i in runnable:
                try:
                    docs[i] = stage(docs[i])
                except Exception as exc:  # one bad document must never stop a batch
                    log.debug("stage %s failed on %s", stage.name, docs[i].source, exc_info=True)
                    failed[i].update(stage.assigns)
                    docs[i].errors.append({"stage": stage.name, "error": f"{type(exc).__name__}: {exc}"})
        return docs


def self_names(stages: Iterable[Stage]) -> list[str]:
    return [getattr(s, "name", repr(s)) for s in stages]
