"""Temporal expressions against annotated data in ../shared (skipped when it is absent):

- the example corpus's gold.json: every gold time expression must be found with its value (value accuracy
  >= 0.90, gold's tolerances), the temporal stage run in isolation: body = the lines gold does not call
  boilerplate, anchor = gold's publication date (or the day of gold's time_note for the undated article);
- TempEval-3 (TimeBank + AQUAINT): value F1 >= 0.78 (HeidelTime: 77.6 on the platinum test set).
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from storyline.evaluation.timex import evaluate_timex, read_timeml
from storyline.records import Document, Published
from storyline.stages.times import TimeExpressions
from storyline.textnorm import fold

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CORPUS = SHARED / "corpora" / "diplomacy-fr"
TEMPEVAL = SHARED / "benchmarks" / "tempeval3"

pytestmark = pytest.mark.skipif(not SHARED.is_dir(), reason="../shared is not present")


def _gold() -> dict:
    return json.loads((CORPUS / "gold.json").read_text(encoding="utf-8"))


def _document(name: str, info: dict, note_day: str) -> Document:
    text = (CORPUS / name).read_text(encoding="utf-8")
    body, pos = [], 0
    for number, line in enumerate(text.split("\n"), start=1):
        if number not in info["boilerplate_lines"] and line.strip():
            body.append((pos, pos + len(line)))
        pos += len(line) + 1
    day = info["published"]["date"] or note_day
    return Document(source=name, text=text, language=info["language"], body=body,
                    published=Published.exact(day, "gold"))


def _matches(gold_text: str, found_text: str) -> bool:
    """Same words after gold's matching rules (NFKC, look-alike letters, white space), or one inside the
    other ("mardi" / "ce mardi")."""
    g, f = fold(gold_text), fold(found_text)
    return bool(re.search(rf"(?<!\w){re.escape(g)}(?!\w)", f) or re.search(rf"(?<!\w){re.escape(f)}(?!\w)", g))


def _right(value: str | None, gold_value: str, tolerance: int) -> bool:
    if value == gold_value:
        return True
    try:
        return abs((date.fromisoformat(value or "") - date.fromisoformat(gold_value)).days) <= tolerance
    except ValueError:
        return False


def test_example_corpus_time_values():
    gold = _gold()
    note_day = re.search(r"\d{4}-\d\d-\d\d", gold["time_note"]).group()
    stage = TimeExpressions()
    found = {name: stage(_document(name, info, note_day)).times for name, info in gold["documents"].items()}
    misses = []
    for g in gold["time_expressions"]:
        candidates = [t for t in found[g["document"]] if _matches(g["text"], t.text)]
        if not any(_right(t.value, g["value"], g.get("tolerance_days", 0)) for t in candidates):
            misses.append((g["document"][:3], g["text"], g["value"], [(t.text, t.value) for t in candidates]))
    accuracy = 1 - len(misses) / len(gold["time_expressions"])
    assert accuracy >= 0.90, misses


def test_example_corpus_times_come_from_the_body_only():
    gold = _gold()
    note_day = re.search(r"\d{4}-\d\d-\d\d", gold["time_note"]).group()
    for name, info in gold["documents"].items():
        doc = TimeExpressions()(_document(name, info, note_day))
        for t in doc.times:
            assert any(s <= t.start and t.end <= e for s, e in doc.body), (name, t.text)
            assert doc.text[t.start:t.end] == t.text


@pytest.mark.skipif(not TEMPEVAL.is_dir(), reason="TempEval-3 data is not present")
def test_tempeval3_value_f1_floor():
    result = evaluate_timex(TEMPEVAL)
    assert result["documents"] == 256
    assert result["relaxed"]["f1"] >= 0.90, result
    assert result["strict"]["f1"] >= 0.80, result
    assert result["value"]["f1"] >= 0.78, result


@pytest.mark.skipif(not TEMPEVAL.is_dir(), reason="TempEval-3 data is not present")
def test_timeml_reader_keeps_offsets_and_the_creation_day():
    doc = read_timeml(TEMPEVAL / "TimeBank" / "ABC19980108.1830.0711.tml")
    assert doc.dct == date(1998, 1, 8)
    assert all(doc.text[t.start:t.end] == t.text for t in doc.timexes)
    assert ("week", "P1W") in [(t.text, t.value) for t in doc.timexes]
