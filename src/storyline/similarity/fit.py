"""Fit the similarity model on scored article pairs and write `weights.json` (reproducible).

    python -m storyline.similarity.fit ../shared/benchmarks/semeval2022-task8 [--embedding-model PATH]

Data: a folder with `training_set.csv` (or any `*.csv`) in the SemEval-2022 Task 8 layout: `pair_id`, `lang1`,
`lang2`, `text1`, `text2`, `Overall` (1 = very similar .. 4 = very dissimilar).

What it does, all deterministic (fixed seed):

1. features of every pair (`features.signature` / `pair_features`; optionally the embedding cosine);
2. groups: pairs that share an article (by the ids in `pair_id`) always fall in the same fold, so no article
   is seen in training and testing at once;
3. `HELDOUT` (20%) of the pairs of every language pair (whole groups) are set aside; on the rest, `FOLDS`-fold
   cross-validation gives out-of-fold scores; a model fitted on that rest then scores the held-out part. One
   such split of ~260 pairs varies by +-0.03 by chance alone (the standard error of Pearson's r there), so
   this is repeated `REPEATS` times with other seeds: the mean held-out and the mean cross-validated Pearson
   must agree (the report shows every split, and the first in full);
4. cross-validation over all pairs gives the honest overall and per-language-pair Pearson correlations, and the
   decision thresholds (F1-optimal on the out-of-fold scores);
5. the shipped model is fitted on all pairs.

The model (see `model.py`): logistic link, target (4 - Overall) / 3; terms = ramps of each similarity feature
between its quantile knots, and cross-lingual slopes; standardised; L2 penalty `LAMBDA` on all but the
intercept; ramp coefficients >= 0 (monotone: more shared evidence never lowers a score); projected Newton
to convergence.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import hashlib
import json
import math
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any, Iterable, Sequence

from .features import FEATURES, Signature, pair_features, signature
from .model import WEIGHTS, Model, term_values

__all__ = [
    "read_pairs",
    "compute_features",
    "add_embeddings",
    "pair_groups",
    "fit_model",
    "cross_validate",
    "pearson",
    "fit_all",
    "heldout_check",
    "main",
]

FOLDS = 10
HELDOUT = 0.2
REPEATS = 10
LAMBDA = 10.0
SEED = 20220
KNOT_QUANTILES = (0.15, 0.3, 0.45, 0.6, 0.75, 0.9)
EVENT_MAX_OVERALL = 1.5  # SemEval: 1 = very similar; <= 1.5 means the same story or event
STORYLINE_MAX_OVERALL = 2.5
REQUIRED = ("lang1", "lang2", "text1", "text2", "Overall")


# --------------------------------------------------------------------------------------------- data


def data_files(directory: Path) -> list[Path]:
    """`training_set.csv` when present, else every `*.csv` of the folder with the needed columns."""
    directory = Path(directory)
    if directory.is_file():
        return [directory]
    preferred = directory / "training_set.csv"
    if preferred.is_file():
        return [preferred]
    files = []
    for path in sorted(directory.glob("*.csv")):
        with path.open(newline="", encoding="utf-8") as f:
            header = next(csv.reader(f), [])
        if all(c in header for c in REQUIRED):
            files.append(path)
    if not files:
        raise FileNotFoundError(f"no CSV with columns {', '.join(REQUIRED)} in {directory}")
    return files


def read_pairs(directory: Path) -> list[dict[str, Any]]:
    """Scored pairs: dicts with pair_id, lang1, lang2, text1, text2, overall (float)."""
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    pairs = []
    for path in data_files(directory):
        with path.open(newline="", encoding="utf-8") as f:
            for i, row in enumerate(csv.DictReader(f)):
                if not row.get("Overall"):
                    continue
                pairs.append(
                    {
                        "pair_id": row.get("pair_id") or f"{path.name}:{i}",
                        "lang1": (row["lang1"] or "").strip() or None,
                        "lang2": (row["lang2"] or "").strip() or None,
                        "text1": row["text1"] or "",
                        "text2": row["text2"] or "",
                        "overall": float(row["Overall"]),
                    }
                )
    return pairs


def data_digest(directory: Path) -> str:
    h = hashlib.sha256()
    for path in data_files(directory):
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def compute_features(
    pairs: Sequence[dict[str, Any]], embedder=None, progress: bool = False
) -> list[dict[str, float]]:
    """Pair features for every pair (each distinct article is read once)."""
    cache: dict[tuple[str, str | None], Signature] = {}

    def sig(text: str, lang: str | None) -> Signature:
        key = (text, lang)
        if key not in cache:
            cache[key] = signature(text, lang)
        return cache[key]

    out = []
    for i, p in enumerate(pairs):
        a, b = sig(p["text1"], p["lang1"]), sig(p["text2"], p["lang2"])
        out.append(pair_features(a, b))
        if progress and (i + 1) % 200 == 0:
            print(f"  features: {i + 1}/{len(pairs)}", file=sys.stderr)
    if embedder is not None:
        add_embeddings(out, pairs, embedder)
    return out


def _text_key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def add_embeddings(
    X: list[dict[str, float]], pairs: Sequence[dict[str, Any]], embedder, cache: Path | None = None
) -> None:
    """Add the `embedding` feature (cosine of the two texts' embeddings) to every pair's features. With
    `cache` (a JSON file: SHA-1 of the text -> vector), vectors computed before are reused and new ones kept."""
    texts = sorted({t for p in pairs for t in (p["text1"], p["text2"])})
    stored: dict[str, list[float]] = {}
    if cache is not None and Path(cache).is_file():
        stored = json.loads(Path(cache).read_text("utf-8"))
    missing = [t for t in texts if _text_key(t) not in stored]
    if missing:
        stored.update({_text_key(t): v for t, v in zip(missing, embedder.encode(missing))})
        if cache is not None:
            Path(cache).write_text(json.dumps(stored), "utf-8")
    vectors = {t: stored[_text_key(t)] for t in texts}
    for x, p in zip(X, pairs):
        va, vb = vectors[p["text1"]], vectors[p["text2"]]
        x["embedding"] = min(1.0, max(0.0, sum(u * v for u, v in zip(va, vb))))


def pair_groups(pairs: Sequence[dict[str, Any]]) -> list[int]:
    """Group id per pair: pairs linked by a shared article (id from `pair_id` "A_B", or the same text)."""
    from ..disjoint import DisjointSets

    sets = DisjointSets()
    find, union = sets.find, sets.union
    keys = []
    for i, p in enumerate(pairs):
        ids = str(p["pair_id"]).split("_")
        a = "id:" + ids[0] if len(ids) == 2 else f"row:{i}:a"
        b = "id:" + ids[1] if len(ids) == 2 else f"row:{i}:b"
        ta = "text:" + hashlib.sha1(p["text1"].encode()).hexdigest()
        tb = "text:" + hashlib.sha1(p["text2"].encode()).hexdigest()
        union(a, ta)
        union(b, tb)
        union(a, b)
        keys.append(a)
    roots = {r: n for n, r in enumerate(sorted({find(k) for k in keys}))}
    return [roots[find(k)] for k in keys]


# --------------------------------------------------------------------------------------------- fitting


def _np():
    try:
        import numpy as np
    except ImportError as exc:  # pragma: no cover
        raise ImportError("fitting the similarity model needs numpy: pip install numpy") from exc
    return np


def _solve(Z, y, penalty, monotone, np, max_iter: int = 500):
    """Minimise the fractional-logistic deviance + 0.5 * sum(penalty * w^2) subject to w[j] >= 0 where
    `monotone[j]`: projected Newton (Bertsekas): coefficients held at zero whose gradient pushes them below are
    left out of the Newton step, the step is projected back onto w >= 0, with a backtracking line search."""
    w = np.zeros(Z.shape[1])

    def objective(v):
        z = Z @ v
        return float(np.sum(np.logaddexp(0, z) - y * z) + 0.5 * np.sum(penalty * v * v))

    def project(v):
        return np.where(monotone, np.maximum(v, 0.0), v)

    f = objective(w)
    for _ in range(max_iter):
        p = 1.0 / (1.0 + np.exp(-(Z @ w)))
        grad = Z.T @ (p - y) + penalty * w
        held = monotone & (w <= 1e-12) & (grad > 0)
        free = ~held
        hess = (Z[:, free] * (p * (1 - p))[:, None]).T @ Z[:, free] + np.diag(penalty[free])
        step = np.zeros_like(w)
        step[free] = np.linalg.solve(hess, grad[free])
        t = 1.0
        while True:
            candidate = project(w - t * step)
            fc = objective(candidate)
            if fc <= f - 1e-4 * float(grad @ (w - candidate)) or t < 1e-10:
                break
            t /= 2
        moved = np.abs(candidate - w).max()
        w, f_old, f = candidate, f, fc
        if moved < 1e-9 or f_old - f < 1e-12:
            break
    return w


def fit_model(
    X: Sequence[dict[str, float]],
    overall: Sequence[float],
    features: Sequence[str] = FEATURES,
    lam: float = LAMBDA,
    thresholds: dict[str, float] | None = None,
    info: dict[str, Any] | None = None,
) -> Model:
    """Fit the additive logistic model on feature dicts and Overall scores (1..4)."""
    np = _np()
    from .model import FREE, LINEAR, model_terms

    y = np.clip((4.0 - np.asarray(overall, dtype=float)) / 3.0, 0.0, 1.0)
    knots = {}
    for f in features:
        if f in FREE or f in LINEAR:
            continue
        values = np.array([x[f] for x in X], dtype=float)
        knots[f] = sorted({round(float(q), 6) for q in np.quantile(values, KNOT_QUANTILES)} - {0.0, 1.0})
    terms = model_terms(features, knots)
    T = np.array([term_values(x, terms) for x in X], dtype=float)
    mean = T.mean(0)
    scale = T.std(0)
    scale[scale < 1e-9] = 1.0
    Z = np.hstack([np.ones((len(T), 1)), (T - mean) / scale])
    penalty = lam * np.r_[0.0, np.ones(len(terms))]
    monotone = np.array([False, *[t.monotone for t in terms]])
    w = _solve(Z, y, penalty, monotone, np)
    return Model(
        features=tuple(features),
        knots=knots,
        mean=tuple(float(v) for v in mean),
        scale=tuple(float(v) for v in scale),
        coef=tuple(float(v) for v in w[1:]),
        intercept=float(w[0]),
        thresholds=dict(thresholds or {"same_event": 0.5, "same_storyline": 0.5}),
        info=dict(info or {}),
    )


def folds_of(groups: Sequence[int], k: int, seed: int = SEED, strata: Sequence[str] | None = None) -> list[int]:
    """Fold number per pair: whole groups are dealt to folds in a seeded random order, stratum by stratum
    (a group's stratum is that of its first pair, e.g. its language pair), so that every fold has about the
    same mix."""
    import random

    rng = random.Random(seed)
    stratum_of: dict[int, str] = {}
    for i, g in enumerate(groups):
        stratum_of.setdefault(g, strata[i] if strata is not None else "")
    by_stratum: dict[str, list[int]] = defaultdict(list)
    for g in sorted(stratum_of):
        by_stratum[stratum_of[g]].append(g)
    fold_of_group = {}
    for stratum in sorted(by_stratum):
        ids = by_stratum[stratum]
        rng.shuffle(ids)
        start = rng.randrange(k)  # a random first fold per stratum: no fold gets every stratum's remainder
        for i, g in enumerate(ids):
            fold_of_group[g] = (start + i) % k
    return [fold_of_group[g] for g in groups]


def cross_validate(
    X: Sequence[dict[str, float]],
    overall: Sequence[float],
    groups: Sequence[int],
    features: Sequence[str] = FEATURES,
    folds: int = FOLDS,
    lam: float = LAMBDA,
    seed: int = SEED,
    strata: Sequence[str] | None = None,
) -> list[float]:
    """Out-of-fold scores: each pair scored by a model fitted without its group."""
    fold = folds_of(groups, folds, seed, strata)
    scores = [0.0] * len(X)
    for k in range(folds):
        train = [i for i, f in enumerate(fold) if f != k]
        test = [i for i, f in enumerate(fold) if f == k]
        if not test:
            continue
        model = fit_model([X[i] for i in train], [overall[i] for i in train], features, lam)
        for i in test:
            scores[i] = model.score(X[i])
    return scores


# --------------------------------------------------------------------------------------------- metrics


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    n = len(xs)
    if n < 3:
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx <= 0 or syy <= 0:
        return None
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / math.sqrt(sxx * syy)


def correlations(scores: Sequence[float], pairs: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Pearson(score, -Overall) over all pairs and per language pair."""
    neg = [-p["overall"] for p in pairs]
    by_pair: dict[str, list[int]] = defaultdict(list)
    for i, p in enumerate(pairs):
        by_pair[f"{p['lang1']}-{p['lang2']}"].append(i)
    per = {}
    for lp, idx in sorted(by_pair.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        r = pearson([scores[i] for i in idx], [neg[i] for i in idx])
        per[lp] = {"pairs": len(idx), "pearson": None if r is None else round(r, 4)}
    r = pearson(list(scores), neg)
    return {"pearson": None if r is None else round(r, 4), "pairs": len(pairs), "per_language_pair": per}


def best_threshold(scores: Sequence[float], positive: Sequence[bool]) -> tuple[float, dict[str, float]]:
    """The score threshold with the best F1 for `positive`, and its precision/recall/F1."""
    order = sorted(range(len(scores)), key=lambda i: -scores[i])
    total_pos = sum(positive)
    best = (0.5, {"precision": 0.0, "recall": 0.0, "f1": 0.0})
    tp = 0
    for rank, i in enumerate(order, start=1):
        tp += positive[i]
        if rank < len(order) and scores[order[rank]] == scores[i]:
            continue
        precision, recall = tp / rank, tp / total_pos if total_pos else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        if f1 > best[1]["f1"]:
            nxt = scores[order[rank]] if rank < len(order) else scores[i] - 1e-6
            best = ((scores[i] + nxt) / 2, {"precision": round(precision, 4), "recall": round(recall, 4),
                                            "f1": round(f1, 4)})
    return best


def decision_metrics(scores: Sequence[float], overall: Sequence[float], threshold: float, max_overall: float):
    tp = fp = fn = 0
    for s, o in zip(scores, overall):
        pred, gold = s >= threshold, o <= max_overall
        tp += pred and gold
        fp += pred and not gold
        fn += gold and not pred
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


# --------------------------------------------------------------------------------------------- the whole fit


def heldout_check(
    pairs: Sequence[dict[str, Any]],
    X: Sequence[dict[str, float]],
    features: Sequence[str] = FEATURES,
    folds: int = FOLDS,
    lam: float = LAMBDA,
    seed: int = SEED,
    heldout: float = HELDOUT,
    repeats: int = REPEATS,
) -> dict[str, Any]:
    """Set aside a held-out part (whole groups, `heldout` of every language pair), cross-validate on the rest,
    fit on the rest and score the held-out part; `repeats` times with different seeds. Returns the first split
    in full and, over all splits, the mean cross-validated and mean held-out Pearson (which must agree: one
    split of ~260 pairs alone varies by +-0.03 or more, a standard error of Pearson's r on that many pairs)."""
    overall = [p["overall"] for p in pairs]
    groups = pair_groups(pairs)
    strata = [f"{p['lang1']}-{p['lang2']}" for p in pairs]
    splits = []
    first: dict[str, Any] = {}
    for r in range(repeats):
        fold = folds_of(groups, round(1 / heldout), seed + 1 + r, strata)
        dev = [i for i, f in enumerate(fold) if f != 0]
        test = [i for i, f in enumerate(fold) if f == 0]
        dev_scores = cross_validate([X[i] for i in dev], [overall[i] for i in dev], [groups[i] for i in dev],
                                    features, folds, lam, seed, [strata[i] for i in dev])
        dev_model = fit_model([X[i] for i in dev], [overall[i] for i in dev], features, lam)
        held = correlations([dev_model.score(X[i]) for i in test], [pairs[i] for i in test])
        dev_cv = correlations(dev_scores, [pairs[i] for i in dev])["pearson"]
        splits.append({"seed": seed + 1 + r, "dev_pairs": len(dev), "heldout_pairs": len(test),
                       "dev_cross_validated_pearson": dev_cv, "heldout_pearson": held["pearson"]})
        if r == 0:
            first = {**splits[0], "heldout_per_language_pair": held["per_language_pair"]}
    mean_cv = sum(s["dev_cross_validated_pearson"] for s in splits) / len(splits)
    mean_held = sum(s["heldout_pearson"] for s in splits) / len(splits)
    return {
        "heldout_share": heldout,
        "repeats": repeats,
        "mean_dev_cross_validated_pearson": round(mean_cv, 4),
        "mean_heldout_pearson": round(mean_held, 4),
        "difference": round(abs(mean_cv - mean_held), 4),
        "heldout_pearson_range": [min(s["heldout_pearson"] for s in splits),
                                  max(s["heldout_pearson"] for s in splits)],
        "splits": splits,
        "first_split": first,
    }


def fit_all(
    pairs: Sequence[dict[str, Any]],
    X: Sequence[dict[str, float]],
    features: Sequence[str] = FEATURES,
    folds: int = FOLDS,
    lam: float = LAMBDA,
    seed: int = SEED,
    heldout: float = HELDOUT,
    repeats: int = REPEATS,
) -> tuple[Model, dict[str, Any]]:
    """Cross-validate, check on held-out parts, choose thresholds and fit the shipped model."""
    overall = [p["overall"] for p in pairs]
    groups = pair_groups(pairs)
    strata = [f"{p['lang1']}-{p['lang2']}" for p in pairs]
    oof = cross_validate(X, overall, groups, features, folds, lam, seed, strata)
    cv = correlations(oof, pairs)
    t_event, f_event = best_threshold(oof, [o <= EVENT_MAX_OVERALL for o in overall])
    t_story, f_story = best_threshold(oof, [o <= STORYLINE_MAX_OVERALL for o in overall])
    report = {
        "pairs": len(pairs),
        "groups": len(set(groups)),
        "folds": folds,
        "lambda": lam,
        "seed": seed,
        "cross_validated": cv,
        "heldout_check": heldout_check(pairs, X, features, folds, lam, seed, heldout, repeats) if repeats else None,
        "decisions_cross_validated": {
            "same_event": {"max_overall": EVENT_MAX_OVERALL, "threshold": round(t_event, 4), **f_event},
            "same_storyline": {"max_overall": STORYLINE_MAX_OVERALL, "threshold": round(t_story, 4), **f_story},
        },
    }
    model = fit_model(X, overall, features, lam, thresholds={"same_event": t_event, "same_storyline": t_story})
    report["in_sample_pearson"] = correlations([model.score(x) for x in X], pairs)["pearson"]
    return model, report


def main(argv: Iterable[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m storyline.similarity.fit", description=__doc__.split("\n\n")[0])
    ap.add_argument("directory", type=Path, help="folder with training_set.csv (SemEval-2022 Task 8 layout)")
    ap.add_argument("--embedding-model", type=Path, help="also fit the model with embedding cosine (local path)")
    ap.add_argument("--embedding-cache", type=Path, help="JSON file to keep embeddings in between runs")
    ap.add_argument("--out", type=Path, default=WEIGHTS, help=f"weights file to write (default {WEIGHTS.name})")
    ap.add_argument("--folds", type=int, default=FOLDS)
    ap.add_argument("--lam", type=float, default=LAMBDA)
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--dry-run", action="store_true", help="report only, write nothing")
    args = ap.parse_args(list(argv) if argv is not None else None)

    t0 = time.perf_counter()
    pairs = read_pairs(args.directory)
    print(f"{len(pairs)} pairs from {args.directory}", file=sys.stderr)
    X = compute_features(pairs, progress=True)
    print(f"features in {time.perf_counter() - t0:.0f}s", file=sys.stderr)
    source = {"data": str(args.directory.name), "sha256_16": data_digest(args.directory)}
    models: dict[str, Any] = {}
    reports: dict[str, Any] = {}
    model, report = fit_all(pairs, X, FEATURES, args.folds, args.lam, args.seed)
    models["default"] = dataclasses.replace(model, info={**source, **report}).to_dict()
    reports["default"] = report
    if args.embedding_model:
        from .embed import Embedder

        embedder = Embedder(args.embedding_model)
        print(f"embedding the texts with {args.embedding_model}", file=sys.stderr)
        XE = [dict(x) for x in X]
        add_embeddings(XE, pairs, embedder, args.embedding_cache)
        features = (*FEATURES, "embedding")
        model_e, report_e = fit_all(pairs, XE, features, args.folds, args.lam, args.seed)
        info = {**source, "embedding_model": args.embedding_model.name, **report_e}
        models["embedding"] = dataclasses.replace(model_e, info=info).to_dict()
        reports["embedding"] = report_e
    elif args.out.is_file():
        previous = json.loads(args.out.read_text("utf-8")).get("models", {})
        if "embedding" in previous:
            models["embedding"] = previous["embedding"]  # keep the embedding model fitted earlier
    print(json.dumps(reports, indent=2))
    if not args.dry_run:
        data = {
            "about": "storyline pairwise article similarity: additive logistic models (see model.py), fitted by "
            "`python -m storyline.similarity.fit`",
            "version": 1,
            "models": models,
        }
        args.out.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", "utf-8")
        print(f"wrote {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
