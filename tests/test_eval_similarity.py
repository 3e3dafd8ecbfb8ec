"""Pairwise similarity on SemEval-2022 Task 8 (../shared): a floor on honest, cross-validated figures.

Skipped when ../shared is absent. Runtime: reading the 2,500 articles once (~20-60 s) and ~45 small fits.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEMEVAL = SHARED / "benchmarks" / "semeval2022-task8"

pytestmark = pytest.mark.skipif(not (SEMEVAL / "training_set.csv").is_file(), reason="../shared benchmark absent")

FLOOR = 0.70  # Pearson(score, -Overall), all pairs, cross-validated (best published: 0.818; this model ~0.72)


@pytest.fixture(scope="module")
def semeval():
    from storyline.similarity import fit

    pairs = fit.read_pairs(SEMEVAL)
    return pairs, fit.compute_features(pairs)


def test_cross_validated_floor_and_per_language_pairs(semeval):
    from storyline.similarity import fit
    from storyline.similarity.features import FEATURES

    pairs, X = semeval
    assert len(pairs) == 1283
    groups = fit.pair_groups(pairs)
    strata = [f"{p['lang1']}-{p['lang2']}" for p in pairs]
    overall = [p["overall"] for p in pairs]
    oof = fit.cross_validate(X, overall, groups, FEATURES, strata=strata)
    report = fit.correlations(oof, pairs)
    assert report["pearson"] >= FLOOR, report
    per = report["per_language_pair"]
    assert len(per) == 16
    # same-language pairs are the easy part; cross-lingual ones without translation are harder
    for lp in ("en-en", "es-es", "zh-zh", "it-it", "de-fr"):
        assert per[lp]["pearson"] >= 0.7, (lp, per[lp])
    for lp in ("de-en", "zh-en", "es-en", "pl-en", "es-it"):
        assert per[lp]["pearson"] >= 0.45, (lp, per[lp])


def test_heldout_part_agrees_with_cross_validation(semeval):
    from storyline.similarity import fit
    from storyline.similarity.features import FEATURES

    pairs, X = semeval
    check = fit.heldout_check(pairs, X, FEATURES, repeats=3)
    assert check["difference"] <= 0.03, check
    assert check["mean_heldout_pearson"] >= FLOOR - 0.03, check
    first = check["first_split"]
    assert abs(first["dev_cross_validated_pearson"] - first["heldout_pearson"]) <= 0.03, first


def test_shipped_weights_match_the_data_and_the_fit(semeval):
    from storyline.similarity import fit
    from storyline.similarity.model import load_model

    pairs, X = semeval
    model = load_model()
    assert model.info["sha256_16"] == fit.data_digest(SEMEVAL)
    assert model.info["cross_validated"]["pearson"] >= FLOOR
    assert model.info["heldout_check"]["difference"] <= 0.03
    scores = [model.score(x) for x in X]
    assert all(0.0 <= s <= 1.0 for s in scores)
    in_sample = fit.correlations(scores, pairs)["pearson"]
    assert in_sample == pytest.approx(model.info["in_sample_pearson"], abs=1e-3)  # features reproduce the fit


def test_evaluate_similarity_report(tmp_path):
    from storyline.evaluation.similarity import evaluate_similarity

    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    with (SEMEVAL / "training_set.csv").open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        rows = [r for _, r in zip(range(80), reader)]
        header = reader.fieldnames
    with (tmp_path / "sample.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=header)
        w.writeheader()
        w.writerows(rows)
    report = evaluate_similarity(tmp_path)
    assert report["pairs"] == 80 and report["files"] == ["sample.csv"]
    assert report["in_sample"] is False and report["estimate"] == "shipped model"
    assert report["pairs_per_second"] > 1
    assert report["pearson"] > 0.5
    assert set(report["per_language_pair"]) <= {f"{r['lang1']}-{r['lang2']}" for r in rows}
    assert set(report["decisions"]) == {"same_event", "same_storyline"}
    json.dumps(report)
    forced = evaluate_similarity(tmp_path, cross_validate=True, folds=4)
    assert forced["estimate"] == "cross-validated" and forced["cross_validated"]["folds"] == 4
