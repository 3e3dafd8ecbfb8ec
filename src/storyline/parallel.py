"""Running a pipeline over a stream of batches, on worker processes, with the result of a sequential run.

`Pipeline.segments()` cuts the stages into stateless runs and stateful stages (those that learn across
documents: per-outlet boilerplate, the entity resolver). `PipelineRunner.run(batches)` moves every batch
through the segments in order and yields the finished batches in input order:

- a stateless run is a task for a worker process, on the whole batch (a stage's `pipe(docs)` sees the same
  batch as in a sequential run, so batch-level evidence is the same), with the per-document failures carried
  over; the worker also does the stateless part of the stateful stage that comes next (its `analyse(doc)`,
  see `storyline.pipeline.run_stages`), and after the last segment it applies `prepare` to each document
  (work the caller would otherwise do on the documents itself, such as the signatures of duplicate detection);
- a stateful stage runs in this process, on the batches in input order, so it sees the documents exactly as a
  sequential run does; its state is snapshotted right after (`Batch.states`), so the caller who commits a
  batch saves the state as it was after that batch, although later batches may already have gone through.
  A stage that saves its state in parts (`get_state_changes()`) gives the parts this batch changed instead
  (`Batch.state_changes`): committed batch after batch, in order, they add up to its state.

Later batches are processed while the caller stores the earlier ones (at most `workers + 2` batches are held,
so memory stays flat). With `workers=0` everything runs in this process, in the same order. Workers are
forked (Linux): they inherit the stages, nothing is pickled but the documents. They ignore Ctrl-C (this process
stops them), are stopped when the run ends or fails, and exit by themselves when this process is killed.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any

from .pipeline import Pipeline, Stage, blocked, run_stages
from .records import Document, RawDocument, Rejection

__all__ = ["Batch", "PipelineRunner", "automatic_workers", "saves_in_parts"]

MAX_AUTOMATIC_WORKERS = 2
PARENT_CHECK_SECONDS = 0.5
WARM_UP_TEXT = "Warm-up\n\nA short text that makes the stages load what they need before the workers start.\n"

Segments = list[tuple[tuple[Stage, ...], bool]]
Prepare = Callable[[Document], Any]


def automatic_workers() -> int:
    """Worker processes when the caller did not say: up to two on Linux (forking is safe there), else none."""
    if not sys.platform.startswith("linux"):
        return 0
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return min(MAX_AUTOMATIC_WORKERS, cpus) if cpus > 1 else 0


@dataclass(eq=False)
class Batch:
    """One batch on its way through the pipeline: the input `items` (documents and reader rejections, in
    input order), the documents made from the former, and, once finished, the stateful stages' `states`
    after this batch (or their `state_changes`: parts set, keys deleted, by this batch) and `prepared` (one
    result of `prepare` per document, or None where not computed)."""

    items: list[RawDocument | Rejection]
    docs: list[Document]
    failed: list[set[str]]
    step: int = 0  # the next segment to run
    task: Future | None = None
    analyses: list[Any] | None = None  # the next (stateful) stage's `analyse(doc)`, computed by a worker
    states: dict[str, Any] = field(default_factory=dict)
    state_changes: dict[str, tuple[dict[str, Any], list[str]]] = field(default_factory=dict)
    prepared: list[Any] | None = None


class PipelineRunner:
    """Runs `pipeline` over batches with `workers` processes (0: in this process; None: `automatic_workers()`,
    used only when the input has more than one batch, since starting the pool costs more than one batch)."""

    def __init__(self, pipeline: Pipeline, workers: int | None = None, prepare: Prepare | None = None):
        if workers is not None and workers < 0:
            raise ValueError("workers must be 0 (in this process) or more")
        if workers and "fork" not in multiprocessing.get_all_start_methods():
            raise ValueError("worker processes need the fork start method, which this platform lacks: use workers=0")
        self.pipeline = pipeline
        self.workers = workers
        self.prepare = prepare
        self.segments: Segments = pipeline.segments()

    def run(self, batches: Iterable[list[RawDocument | Rejection]]) -> Iterator[Batch]:
        """The batches, processed, in input order. Close the iterator (or exhaust it) to stop the workers."""
        source = iter(batches)
        workers = self.workers
        ahead: list[Batch] = []
        if workers is None:
            workers = automatic_workers()
            ahead = [self._batch(items) for items in _take(source, 2)]
            if len(ahead) < 2:
                workers = 0
        if workers == 0 or not any(not stateful for _, stateful in self.segments):
            yield from (self._run_here(b) for b in ahead)
            yield from (self._run_here(self._batch(items)) for items in source)
            return
        yield from self._run_pooled(workers, ahead, source)

    # -- in this process ---------------------------------------------------------------------------------
    def _run_here(self, batch: Batch) -> Batch:
        for stages, stateful in self.segments:
            run_stages(stages, batch.docs, batch.failed)
            if stateful:
                _snapshot(batch, stages)
        return batch

    # -- with workers ------------------------------------------------------------------------------------
    def _warm_up(self) -> None:
        """Have the stateless stages build what they load lazily (cue tables, detectors, lexicons) here, once,
        so the forked workers inherit it instead of each building its own. Stateful stages are left alone:
        a made-up document must not become part of what they learn."""
        docs = [Document(source="<warm-up>", text=WARM_UP_TEXT)]
        failed: list[set[str]] = [set()]
        for stages, stateful in self.segments:
            if not stateful:
                run_stages(stages, docs, failed)

    def _run_pooled(self, workers: int, ahead: list[Batch], source: Iterator[list]) -> Iterator[Batch]:
        self._warm_up()
        pool = ProcessPoolExecutor(
            workers, mp_context=multiprocessing.get_context("fork"), initializer=_start_worker,
            initargs=(self.segments, self.prepare, os.getpid()),
        )
        pending: deque[Batch] = deque()
        try:
            exhausted = False
            while True:
                while not exhausted and len(pending) < workers + 2:  # bounded look-ahead: flat memory
                    batch = ahead.pop(0) if ahead else next((self._batch(i) for i in _take(source, 1)), None)
                    if batch is None:
                        exhausted = True
                    else:
                        pending.append(batch)
                        self._submit(pool, batch)
                if not pending:
                    return
                self._collect(pool, pending)
                batch = self._next_stateful(pending)
                if batch is not None:  # first feed the workers, then hand a finished batch over
                    stages = self.segments[batch.step][0]
                    run_stages(stages, batch.docs, batch.failed, batch.analyses)
                    batch.analyses = None
                    _snapshot(batch, stages)
                    batch.step += 1
                    self._submit(pool, batch)
                elif pending[0].step == len(self.segments):
                    yield pending.popleft()
                else:
                    wait([b.task for b in pending if b.task is not None], return_when=FIRST_COMPLETED)
        finally:
            for b in pending:
                if b.task is not None:
                    b.task.cancel()
            pool.shutdown(wait=True, cancel_futures=True)

    def _submit(self, pool: ProcessPoolExecutor, batch: Batch) -> None:
        """Send the batch's next segment to the pool when it is a stateless one."""
        if batch.step < len(self.segments) and not self.segments[batch.step][1]:
            last = batch.step == len(self.segments) - 1
            batch.task = pool.submit(_run_segment, batch.step, batch.docs, batch.failed, last)

    def _collect(self, pool: ProcessPoolExecutor, pending: deque[Batch]) -> None:
        for batch in pending:
            if batch.task is not None and batch.task.done():
                batch.docs, batch.failed, batch.analyses, prepared = batch.task.result()
                batch.task = None
                if prepared is not None:
                    batch.prepared = prepared
                batch.step += 1
                self._submit(pool, batch)

    def _next_stateful(self, pending: deque[Batch]) -> Batch | None:
        """The oldest batch waiting for a stateful stage that every earlier batch has passed."""
        for i, batch in enumerate(pending):
            step = batch.step
            if batch.task is None and step < len(self.segments) and self.segments[step][1]:
                if all(earlier.step > step for earlier in list(pending)[:i]):
                    return batch
        return None

    @staticmethod
    def _batch(items: list[RawDocument | Rejection]) -> Batch:
        docs = [Document.from_raw(r) for r in items if not isinstance(r, Rejection)]
        return Batch(items, docs, [set() for _ in docs])


def _take(source: Iterator[list], n: int) -> list[list]:
    out = []
    for items in source:
        out.append(items)
        if len(out) == n:
            break
    return out


def _snapshot(batch: Batch, stages: tuple[Stage, ...]) -> None:
    """Right after the stages ran on this batch (and before they see the next one): their state, or what of it
    this batch changed."""
    for stage in stages:
        if saves_in_parts(stage):
            batch.state_changes[stage.state_name] = stage.get_state_changes()
        else:
            batch.states[stage.state_name] = stage.get_state()


def saves_in_parts(stage: Stage) -> bool:
    """A stateful stage that gives what each batch changed (`get_state_changes`), not its whole state."""
    return getattr(stage, "get_state_changes", None) is not None


# -- in the worker processes ---------------------------------------------------------------------------------

_WORKER: tuple[Segments, Prepare | None] | None = None


def _start_worker(segments: Segments, prepare: Prepare | None, parent: int) -> None:
    global _WORKER
    _WORKER = (segments, prepare)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole process group: the parent decides
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()


def _exit_with_parent(parent: int) -> None:
    """A killed parent (SIGKILL) cannot stop its workers, and they would wait for work forever."""
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(1)


def _run_segment(step: int, docs: list[Document], failed: list[set[str]], last: bool):
    assert _WORKER is not None
    segments, prepare = _WORKER
    run_stages(segments[step][0], docs, failed)
    analyses = prepared = None
    if not last:
        following = segments[step + 1][0][0]  # a stateful stage: stateless runs are never adjacent
        analyse = getattr(following, "analyse", None)
        if analyse is not None:
            analyses = [None if blocked(following, f) else _or_none(analyse, d) for d, f in zip(docs, failed)]
    elif prepare is not None:
        prepared = [_or_none(prepare, d) for d in docs]
    return docs, failed, analyses, prepared


def _or_none(work: Callable[[Document], Any], doc: Document) -> Any:
    try:
        return work(doc)
    except Exception:  # the caller does it again and meets the error where a sequential run would
        return None
