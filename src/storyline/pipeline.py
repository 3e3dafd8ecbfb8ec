"""A pipeline of named stages with declared inputs and outputs.

A stage is a small object with a `name`, the `Document` attributes it `requires` and `assigns`, and
`__call__(doc) -> doc`. Stages register under their name with `@register_stage`, so a pipeline can be
described by names (`Pipeline.from_names(["extract", "title", ...])`). The chain is checked when the pipeline
is built, before any data runs: a stage that needs an attribute no earlier stage assigns is an error (E001).

A stage that raises on one document records the error on that document (`doc.errors`) and the stages that
depend on what it would have assigned are skipped for that document; the batch goes on. A stage may also
offer `pipe(docs)` to see a whole batch at once (corpus-level evidence); `__call__` stays the per-document
fallback, used when `pipe` raises.

A stage that learns across documents (per-outlet boilerplate, entity resolution) is stateful: it names its
state (`state_name`, with `get_state()`, a snapshot that later documents leave unchanged, and
`set_state(data)`), and must see the documents in input order. A state that grows with the corpus is saved in
parts: the stage also offers `get_state_changes()` (the parts changed since the previous call, as snapshots, and
the keys of parts gone), and `set_state` then receives the parts assembled. The others must not keep anything from one
batch to the next that changes their output: `storyline.parallel` runs them on worker processes. A stateful
stage may hand its stateless part to the workers (`analyse`, see `run_stages`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any, ClassVar, Protocol, runtime_checkable

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

    def __call__(self, doc: Document) -> Document: ...


_REGISTRY: dict[str, Callable[[], Stage]] = {}


def register_stage(name: str) -> Callable[[type], type]:
    """Class decorator: make a stage available by name. The class must build with no arguments."""

    def wrap(cls: type) -> type:
        if name in _REGISTRY and _REGISTRY[name] is not cls:
            raise PipelineError(f"E003 stage name {name!r} is registered twice ({_REGISTRY[name]} and {cls})")
        cls.name = name
        _REGISTRY[name] = cls
        return cls

    return wrap


def registered_stages() -> list[str]:
    _load_builtin_stages()
    return sorted(_REGISTRY)


def make_stage(name: str) -> Stage:
    _load_builtin_stages()
    try:
        return _REGISTRY[name]()
    except KeyError:
        raise PipelineError(
            f"E002 no stage named {name!r}; known stages: {', '.join(sorted(_REGISTRY))}"
        ) from None


def _load_builtin_stages() -> None:
    from . import stages  # noqa: F401  (importing registers the built-in stages)


class Pipeline:
    """Runs stages in order over documents."""

    def __init__(self, stages: Iterable[Stage]):
        self.stages: list[Stage] = list(stages)
        self._check()

    @classmethod
    def from_names(cls, names: Iterable[str]) -> Pipeline:
        return cls(make_stage(n) for n in names)

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.stages]

    @property
    def assigns(self) -> frozenset[str]:
        out = set(INITIAL_ATTRIBUTES)
        for s in self.stages:
            out.update(s.assigns)
        return frozenset(out)

    def _check(self) -> None:
        available = set(INITIAL_ATTRIBUTES)
        seen: set[str] = set()
        for stage in self.stages:
            if not isinstance(stage, Stage):
                raise PipelineError(f"E004 {stage!r} is not a stage: it needs name, requires, assigns and __call__")
            if stage.name in seen:
                raise PipelineError(f"E005 stage {stage.name!r} appears twice in the pipeline")
            seen.add(stage.name)
            missing = [a for a in stage.requires if a not in available]
            if missing:
                raise PipelineError(
                    f"E001 stage {stage.name!r} requires {', '.join(missing)}, which no earlier stage assigns; "
                    f"add a stage that assigns it before {stage.name!r} (pipeline: {', '.join(self.names)})"
                )
            available.update(stage.assigns)

    def __call__(self, doc: Document) -> Document:
        return self.pipe([doc])[0]

    def pipe(self, docs: Iterable[Document]) -> list[Document]:
        """Run every stage over a batch of documents. A stage with a `pipe(docs)` method sees the whole
        batch at once (for corpus-level evidence, such as a year inferred from the other articles);
        other stages run document by document. Failures are isolated per document: when a batch-level
        stage raises, it runs again document by document, so only the bad document fails."""
        docs = list(docs)
        run_stages(self.stages, docs, [set() for _ in docs])
        return docs

    def segments(self) -> list[tuple[tuple[Stage, ...], bool]]:
        """The stages cut into runs: (stages, stateful). A stateful stage (one with a `state_name`: it learns
        across documents) is a run of its own; the runs between them are stateless, so they give the same
        result on any process, which is what lets `storyline.parallel` run them in worker processes."""
        out: list[tuple[tuple[Stage, ...], bool]] = []
        run: list[Stage] = []
        for stage in self.stages:
            if getattr(stage, "state_name", None):
                if run:
                    out.append((tuple(run), False))
                    run = []
                out.append(((stage,), True))
            else:
                run.append(stage)
        if run:
            out.append((tuple(run), False))
        return out


def blocked(stage: Stage, failed: set[str]) -> list[str]:
    """What `stage` needs from a failed stage, given the attributes earlier stages failed to assign."""
    return [a for a in stage.requires if a in failed]


def run_stages(
    stages: Iterable[Stage], docs: list[Document], failed: list[set[str]], analyses: list[Any] | None = None
) -> None:
    """Run `stages` over one batch in place (see `Pipeline.pipe`). `failed` holds, per document, the
    attributes a failed stage owed; it carries over from one call to the next on the same batch.

    A stage may split its work in two: `analyse(doc)`, the part that depends neither on what the stage
    learned nor on the other documents, and `pipe(docs, analyses)`, the rest. `analyses` (one per document,
    None where not computed) are those of the first stage, computed ahead, by a worker process for instance."""
    for stage in stages:
        runnable = []
        for i, doc in enumerate(docs):
            missing = blocked(stage, failed[i])
            if missing:
                failed[i].update(stage.assigns)
                doc.errors.append(
                    {"stage": stage.name, "error": f"skipped: needs {', '.join(missing)} from a failed stage"}
                )
            else:
                runnable.append(i)
        batch_pipe = getattr(stage, "pipe", None)
        analyse = getattr(stage, "analyse", None)
        if batch_pipe is not None:
            try:
                if analyse is None:
                    batch_pipe([docs[i] for i in runnable])
                else:
                    ready = analyses or [None] * len(docs)
                    given = [analyse(docs[i]) if ready[i] is None else ready[i] for i in runnable]
                    batch_pipe([docs[i] for i in runnable], given)
                continue
            except Exception:  # fall back to one by one, so only the bad document fails
                log.debug("batch stage %s failed; retrying per document", stage.name, exc_info=True)
        for i in runnable:
            try:
                docs[i] = stage(docs[i])
            except Exception as exc:  # one bad document must never stop a batch
                log.debug("stage %s failed on %s", stage.name, docs[i].source, exc_info=True)
                failed[i].update(stage.assigns)
                docs[i].errors.append({"stage": stage.name, "error": f"{type(exc).__name__}: {exc}"})
