"""The pipeline checks its chain when built and isolates a failing document."""

from __future__ import annotations

import pytest

from storyline import Document, Pipeline, PipelineError
from storyline.pipeline import make_stage, registered_stages
from storyline.stages import DEFAULT_PIPELINE


class Upper:
    name = "upper"
    requires = ("text",)
    assigns = ("title",)

    def __call__(self, doc):
        if "boom" in doc.text:
            raise RuntimeError("cannot handle boom")
        doc.title = doc.text.upper()
        return doc


class NeedsTitle:
    name = "needs-title"
    requires = ("title",)
    assigns = ("outlet",)

    def __call__(self, doc):
        doc.outlet = doc.title[:3]
        return doc


def test_missing_requirement_fails_when_built():
    with pytest.raises(PipelineError, match="E001 stage 'needs-title' requires title"):
        Pipeline([NeedsTitle(), Upper()])


def test_duplicate_and_unknown_stages_are_refused():
    with pytest.raises(PipelineError, match="E005"):
        Pipeline([Upper(), Upper()])
    with pytest.raises(PipelineError, match="E002 no stage named 'nope'"):
        Pipeline.from_names(["nope"])


def test_failing_document_does_not_stop_the_batch():
    pipeline = Pipeline([Upper(), NeedsTitle()])
    docs = pipeline.pipe([Document("a", text="calm"), Document("b", text="boom here"), Document("c", text="ok")])
    assert [d.title for d in docs] == ["CALM", None, "OK"]
    assert [d.outlet for d in docs] == ["CAL", None, "OK"]
    errors = docs[1].errors
    assert errors[0] == {"stage": "upper", "error": "RuntimeError: cannot handle boom"}
    assert errors[1]["stage"] == "needs-title" and errors[1]["error"].startswith("skipped")


def test_batch_stage_sees_whole_batch_and_falls_back_per_document():
    class Counter:
        name = "counter"
        requires = ("text",)
        assigns = ("meta",)

        def pipe(self, docs):
            if any("bad" in d.text for d in docs):
                raise ValueError("batch refused")
            for d in docs:
                d.meta["batch"] = len(docs)

        def __call__(self, doc):
            if "bad" in doc.text:
                raise ValueError("bad document")
            doc.meta["batch"] = 1
            return doc

    p = Pipeline([Counter()])
    assert [d.meta["batch"] for d in p.pipe([Document("a", text="x"), Document("b", text="y")])] == [2, 2]
    docs = p.pipe([Document("a", text="x"), Document("b", text="bad")])
    assert docs[0].meta["batch"] == 1 and "batch" not in docs[1].meta
    assert docs[1].errors == [{"stage": "counter", "error": "ValueError: bad document"}]


def test_default_pipeline_is_consistent():
    assert set(DEFAULT_PIPELINE) <= set(registered_stages())
    pipeline = Pipeline.from_names(DEFAULT_PIPELINE)
    assert {"id", "title", "body", "language", "published"} <= pipeline.assigns
    assert make_stage("identity").name == "identity"
