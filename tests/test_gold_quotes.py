"""Quality bars of the "quotes" stage on the annotated example corpus (`../shared/corpora/diplomacy-fr`).

Bars: quotation F1 >= 0.90 (a prediction matches a gold quotation when they overlap by at least half of the
longer one) and speaker accuracy >= 0.85 on matched quotations. The body of each article is built from gold's
boilerplate, title and dateline lines, so the figures measure the quotes stage alone (see
`storyline.evaluation.quotes.evaluate_quote_gold` for the exact rules: gold lists statements, so a statement
quoted twice counts once; quotations under four words are optional).

Gold speakers are canonical names ("Vladimir Putin" for "Vladimir Poutine", "United States" for "Les
États-Unis"). Speakers are compared leniently: through the entity stage's canonical names when that stage is
available (second test), and always through a light alias check that takes the gold entity's mentions in the
document as its aliases and a small role glossary for descriptions ("un haut responsable de la Maison Blanche"
for "a senior White House official").

Run with `-s` to see the figures and every miss.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.evaluation.quotes import evaluate_quote_gold
from storyline.quotes import extract_quotes
from storyline.records import Document

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CORPUS = SHARED / "corpora" / "diplomacy-fr"

F1_BAR = 0.90
SPEAKER_BAR = 0.85


@pytest.fixture(scope="module")
def corpus() -> Path:
    if not (CORPUS / "gold.json").is_file():
        pytest.skip("../shared/corpora/diplomacy-fr is not present")
    return CORPUS


def report(name: str, result: dict) -> None:
    print(f"\n{name}: P={result['precision']} R={result['recall']} F1={result['f1']} "
          f"speaker={result['speaker_accuracy']} "
          f"({result['matched']}/{result['gold']} gold, {result['predicted']} predicted)")
    for d in result["details"]:
        if d.get("missed") or d.get("spurious") or not d.get("speaker_ok", True):
            print("  ", d)


def test_quotes_against_gold(corpus):
    result = evaluate_quote_gold(corpus)
    report("quotes (alias check)", result)
    assert result["f1"] >= F1_BAR
    assert result["speaker_accuracy"] >= SPEAKER_BAR
    # gold's quotations are all found, with their speakers
    assert not [d for d in result["details"] if d.get("missed")]


def test_quotes_with_entities_against_gold(corpus):
    try:
        from storyline.stages.entities import Entities
    except ImportError:
        pytest.skip("the entities stage is not available")
    try:
        stage = Entities(workers=1)
    except TypeError:
        stage = Entities()

    def extract(text, body, language):
        doc = Document(source="gold", text=text, body=body, language=language)
        try:
            stage.pipe([doc])
        except Exception as exc:  # a stage under development must not hide this one's figures
            pytest.skip(f"the entities stage failed: {exc}")
        return extract_quotes(text, body, language, doc.entities)

    result = evaluate_quote_gold(corpus, extract=extract)
    report("quotes (with entities)", result)
    assert result["f1"] >= F1_BAR
    assert result["speaker_accuracy"] >= SPEAKER_BAR
