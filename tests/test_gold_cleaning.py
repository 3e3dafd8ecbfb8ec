"""Quality bars of the cleaning stages on the annotated example corpus (`../shared/corpora/diplomacy-fr`).

Gold lists, per raw file, the 1-based numbers of its boilerplate lines. A line counts as removed when it lies
outside every body range; blank lines do not count. Bars: line precision and recall >= 0.95 overall, the five
titles, publication dates (exact where gold gives a day; where gold gives only an interval, no wrong day and an
interval that holds gold's), the wires AFP and Europa Press, datelines and outlets.

Run with `-s` to see the figures per document.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from storyline.evaluation.boilerplate import line_decisions
from storyline.pipeline import Pipeline
from storyline.records import Document
from storyline.stages import DEFAULT_PIPELINE
from storyline.textnorm import normalized_view

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CORPUS = SHARED / "corpora" / "diplomacy-fr"


@pytest.fixture(scope="module")
def gold() -> dict:
    if not (CORPUS / "gold.json").is_file():
        pytest.skip("../shared/corpora/diplomacy-fr is not present")
    return json.loads((CORPUS / "gold.json").read_text(encoding="utf-8"))["documents"]


@pytest.fixture(scope="module")
def docs(gold) -> dict[str, Document]:
    """The five articles through the default pipeline, as one batch (corpus evidence for missing years)."""
    batch = [Document(source=str(CORPUS / name), text=(CORPUS / name).read_text(encoding="utf-8")) for name in gold]
    out = Pipeline.from_names(DEFAULT_PIPELINE).pipe(batch)
    return {Path(d.source).name: d for d in out}


def same(a: str | None, b: str | None) -> bool:
    """Gold's matching: NFKC, look-alike letters folded, white space runs folded."""
    def norm(s: str) -> str:
        return " ".join(normalized_view(unicodedata.normalize("NFKC", s))[0].split())

    return a is None and b is None or (a is not None and b is not None and norm(a) == norm(b))


def removed_lines(doc: Document) -> tuple[set[int], set[int]]:
    """(non-blank line numbers, those outside every body range)."""
    decisions = line_decisions(doc)
    return {n for n, _, _ in decisions}, {n for n, _, gone in decisions if gone}


def test_boilerplate_lines_precision_and_recall(gold, docs):
    tp = fp = fn = 0
    print()
    for name, g in gold.items():
        doc = docs[name]
        _, predicted = removed_lines(doc)
        truth = set(g["boilerplate_lines"])
        t, f, n = len(predicted & truth), len(predicted - truth), len(truth - predicted)
        tp, fp, fn = tp + t, fp + f, fn + n
        print(f"{name}: precision {t / max(1, t + f):.2f} recall {t / max(1, t + n):.2f}"
              f"  wrongly removed {sorted(predicted - truth)} missed {sorted(truth - predicted)}")
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    print(f"overall: precision {precision:.3f} recall {recall:.3f} ({tp} boilerplate lines found)")
    assert precision >= 0.95 and recall >= 0.95


def test_text_is_kept_exactly_and_ranges_are_valid(gold, docs):
    for name in gold:
        doc = docs[name]
        assert doc.text == (CORPUS / name).read_text(encoding="utf-8")
        ranges = doc.body + [(r["start"], r["end"]) for r in doc.removed]
        assert all(0 <= s < e <= len(doc.text) for s, e in ranges)
        assert all(r["reason"] for r in doc.removed)


def test_titles(gold, docs):
    for name, g in gold.items():
        assert same(docs[name].title, g["title"]), (name, docs[name].title)
        lines, removed = removed_lines(docs[name])
        assert g["title_line"] in lines and g["title_line"] not in removed  # the headline stays in the body


def test_publication_dates(gold, docs):
    print()
    for name, g in gold.items():
        ours, want = docs[name].published, g["published"]
        print(f"{name}: {ours.date} [{ours.earliest} .. {ours.latest}]  gold {want['date']} "
              f"[{want['earliest']} .. {want['latest']}]  ({ours.evidence})")
        if want["date"]:
            assert ours.date == want["date"], name
            assert ours.earliest <= want["date"] <= ours.latest, name
        else:
            assert ours.date is None or want["earliest"] <= ours.date <= want["latest"], name
            # an interval that holds the truth, and says something (at most a month)
            assert ours.earliest and ours.latest, name
            assert ours.earliest <= want["earliest"] and want["latest"] <= ours.latest, name
            from datetime import date

            width = date.fromisoformat(ours.latest) - date.fromisoformat(ours.earliest)
            assert width.days <= 31, name


def test_wires_datelines_outlets(gold, docs):
    print()
    for name, g in gold.items():
        doc = docs[name]
        print(f"{name}: outlet {doc.outlet!r} wire {doc.wire!r} dateline {doc.dateline and (doc.dateline['place'], doc.dateline['source'])}"
              f"  gold outlet {g['outlet']!r} wire {g['wire']!r} dateline {g['dateline']}")
        if g["dateline"]:
            assert doc.dateline and doc.dateline["place"] == g["dateline"]["place"], name
            assert doc.dateline["source"] == g["dateline"]["source"], name
        else:
            assert doc.dateline is None, name
        assert doc.outlet == g["outlet"], name
    assert docs["001_b02286d494fc2291.txt"].wire == "AFP"
    assert docs["004_e9e1c145a7fdc9ec.txt"].wire == "Europa Press"
    assert docs["000_68bc6d67bd3f4d42.txt"].wire is None  # Cinktank.com in the dateline is the outlet, not a wire
    assert docs["003_71779daf8aaa0952.txt"].wire is None  # "TV3 News" only appears in a teaser
