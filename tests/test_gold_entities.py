"""Entity quality floors on the annotated corpora of ../shared (skipped when it is absent).

Every corpus under ../shared/corpora whose gold.json has `entities` is scored (see
`storyline.entities.evaluation`): mention F1 over (document, text, type), pairwise F1 of the grouping of
mentions into entities, and no `not_entities` extracted. The example corpus must reach 0.90 / 0.90; any other
(held-out) corpus 0.80 / 0.85.

Two runs: with body ranges built from the gold's boilerplate lines (the entity stage alone), and through the
full default pipeline, whose boilerplate removal decides the body.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.entities.evaluation import evaluate_entities, gold_body, load_gold
from storyline.records import Document, RawDocument

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
EXAMPLE = "diplomacy-fr"
BARS = {EXAMPLE: (0.90, 0.90)}
HELD_OUT_BARS = (0.80, 0.85)


def corpora() -> list[Path]:
    root = SHARED / "corpora"
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if (p / "gold.json").is_file() and "entities" in load_gold(p))


def _ids(paths: list[Path]) -> list[str]:
    return [p.name for p in paths]


CORPORA = corpora()
pytestmark = pytest.mark.skipif(not CORPORA, reason="../shared/corpora with entity gold is not present")


def _check(name: str, result: dict) -> None:
    mention_bar, grouping_bar = BARS.get(name, HELD_OUT_BARS)
    summary = f"{name}: mentions {result['mentions']} grouping {result['grouping']}"
    print(summary)
    assert not result["not_entities_found"], f"{summary}; boilerplate names extracted: {result['not_entities_found']}"
    assert result["mentions"]["f1"] >= mention_bar, f"{summary}; missed {result['missed']}; spurious {result['spurious']}"
    assert result["grouping"]["f1"] >= grouping_bar, summary


@pytest.mark.parametrize("corpus", CORPORA, ids=_ids(CORPORA))
def test_entities_with_gold_body(corpus: Path):
    from storyline.stages.entities import Entities

    gold = load_gold(corpus)
    docs = []
    for name, meta in sorted(gold["documents"].items()):
        text = (corpus / name).read_text(encoding="utf-8")
        docs.append(
            Document(source=name, text=text, body=gold_body(text, meta.get("boilerplate_lines", [])), language=meta.get("language"))
        )
    Entities(workers=1).pipe(docs)
    for d in docs:
        for m in d.entities:
            assert d.text[m.start : m.end] == m.text and m.entity_id and m.canonical
    _check(corpus.name, evaluate_entities(gold, {d.source: d.entities for d in docs}))


@pytest.mark.parametrize("corpus", CORPORA, ids=_ids(CORPORA))
def test_entities_through_the_default_pipeline(corpus: Path):
    from storyline.pipeline import Pipeline
    from storyline.stages import DEFAULT_PIPELINE

    names = list(DEFAULT_PIPELINE) + ([] if "entities" in DEFAULT_PIPELINE else ["entities"])
    pipeline = Pipeline.from_names(names)
    gold = load_gold(corpus)
    raws = [
        Document.from_raw(RawDocument(source=name, text=(corpus / name).read_text(encoding="utf-8")))
        for name in sorted(gold["documents"])
    ]
    docs = pipeline.pipe(raws)
    for d in docs:
        assert not [e for e in d.errors if e["stage"] == "entities"], d.errors
    _check(corpus.name, evaluate_entities(gold, {d.source: d.entities for d in docs}))
