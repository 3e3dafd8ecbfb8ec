"""Pairwise article similarity against scored pairs (SemEval-2022 Task 8 layout).

`evaluate_similarity(directory)` reads `training_set.csv` (or every `*.csv` with the columns `lang1`, `lang2`,
`text1`, `text2`, `Overall`) and scores every pair with storyline's similarity. Metric, as in the task: Pearson's
r between the score and -Overall (Overall: 1 = very similar .. 4 = very dissimilar), over all pairs and per
language pair; plus the decisions (`same_event` against Overall <= 1.5, `same_storyline` against <= 2.5:
precision, recall, F1) and the speed (pairs per second, both articles read and compared, one process).

Honesty: when the pairs are those the shipped weights were fitted on (same data digest as recorded in
`weights.json`), the shipped model's figures are in-sample; the report's headline `pearson` and
`per_language_pair` are then out-of-fold figures from a grouped, stratified `folds`-fold cross-validation
that refits the model without each fold (pairs sharing an article stay in one fold). `shipped_model` always
holds the figures of the weights as shipped.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

__all__ = ["evaluate_similarity"]


def evaluate_similarity(
    directory: Path,
    *,
    embedding_model: str | Path | None = None,
    weights: str | Path | None = None,
    cross_validate: bool | None = None,
    folds: int | None = None,
    limit: int | None = None,
) -> dict[str, Any]:
    """Score every pair of the CSV(s) in `directory`; see the module docstring for the report.

    `cross_validate`: None = only when the data trained the shipped weights; True/False to force.
    `limit`: the first N pairs only (a quick look).
    """
    from ..similarity import Scorer, pair_features
    from ..similarity import fit as fitting
    from ..similarity.features import FEATURES

    directory = Path(directory)
    files = fitting.data_files(directory)
    pairs = fitting.read_pairs(directory)
    if limit is not None:
        pairs = pairs[:limit]
    if not pairs:
        raise ValueError(f"no scored pairs in {directory}")
    scorer = Scorer(embedding_model=embedding_model, weights=weights)
    model = scorer.model

    # warm up (frequency lists, gazetteer, tokenizers) outside the timing, as a long-running process would be
    for lang in sorted({p[k] for p in pairs for k in ("lang1", "lang2")} - {None}):
        scorer.signature("Berlin, Paris 2020", lang)
    t0 = time.perf_counter()
    sigs: dict[tuple[str, str | None], Any] = {}
    X: list[dict[str, float]] = []
    scores: list[float] = []
    texts = [(p["text1"], p["lang1"]) for p in pairs] + [(p["text2"], p["lang2"]) for p in pairs]
    from ..similarity.features import signature as plain_signature

    for text, lang in texts:
        if (text, lang) not in sigs:
            sigs[(text, lang)] = plain_signature(text, lang)
    if scorer.embedder is not None:
        keys = list(sigs)
        for key, vec in zip(keys, scorer.embedder.encode([t for t, _ in keys])):
            sigs[key].embedding = vec
    for p in pairs:
        x = pair_features(sigs[(p["text1"], p["lang1"])], sigs[(p["text2"], p["lang2"])])
        X.append(x)
        scores.append(model.score(x))
    elapsed = time.perf_counter() - t0

    overall = [p["overall"] for p in pairs]
    shipped = fitting.correlations(scores, pairs)
    decisions = {
        "same_event": {
            "max_overall": fitting.EVENT_MAX_OVERALL,
            "threshold": round(model.thresholds["same_event"], 4),
            **fitting.decision_metrics(scores, overall, model.thresholds["same_event"], fitting.EVENT_MAX_OVERALL),
        },
        "same_storyline": {
            "max_overall": fitting.STORYLINE_MAX_OVERALL,
            "threshold": round(model.thresholds["same_storyline"], 4),
            **fitting.decision_metrics(
                scores, overall, model.thresholds["same_storyline"], fitting.STORYLINE_MAX_OVERALL
            ),
        },
    }
    digest = fitting.data_digest(directory)
    in_sample = digest == model.info.get("sha256_16") and limit is None
    report: dict[str, Any] = {
        "data": str(directory),
        "files": [f.name for f in files],
        "pairs": len(pairs),
        "model": "embedding" if scorer.embedder is not None else "default",
        "embedding_model": None if embedding_model is None else str(embedding_model),
        "pairs_per_second": round(len(pairs) / elapsed, 1) if elapsed > 0 else None,
        "seconds": round(elapsed, 2),
        "in_sample": in_sample,
        "shipped_model": {**shipped, "decisions": decisions},
    }
    if cross_validate is None:
        cross_validate = in_sample
    if cross_validate:
        features = (*FEATURES, "embedding") if scorer.embedder is not None else FEATURES
        k = folds or fitting.FOLDS
        groups = fitting.pair_groups(pairs)
        strata = [f"{p['lang1']}-{p['lang2']}" for p in pairs]
        oof = fitting.cross_validate(X, overall, groups, features, k, fitting.LAMBDA, fitting.SEED, strata)
        cv = fitting.correlations(oof, pairs)
        report["cross_validated"] = {
            **cv,
            "folds": k,
            "groups": len(set(groups)),
            "decisions": {
                "same_event": fitting.decision_metrics(
                    oof, overall, model.thresholds["same_event"], fitting.EVENT_MAX_OVERALL
                ),
                "same_storyline": fitting.decision_metrics(
                    oof, overall, model.thresholds["same_storyline"], fitting.STORYLINE_MAX_OVERALL
                ),
            },
        }
        report["estimate"] = "cross-validated" + (" (these pairs trained the shipped weights)" if in_sample else "")
        report["pearson"] = cv["pearson"]
        report["per_language_pair"] = cv["per_language_pair"]
        report["decisions"] = {
            k: {"max_overall": decisions[k]["max_overall"], "threshold": decisions[k]["threshold"], **v}
            for k, v in report["cross_validated"]["decisions"].items()
        }
    else:
        report["estimate"] = "shipped model" + (" (in-sample: these pairs trained it)" if in_sample else "")
        report["pearson"] = shipped["pearson"]
        report["per_language_pair"] = shipped["per_language_pair"]
        report["decisions"] = decisions
    return report
