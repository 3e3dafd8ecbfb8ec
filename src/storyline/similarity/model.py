"""The combining model: a small additive logistic model over the pair features, read from `weights.json`.

score = sigmoid(intercept + sum_i coef_i * (term_i - mean_i) / scale_i). Each similarity feature f in [0, 1]
enters through ramps: f split at its knots (quantiles on the training pairs) into pieces
min(max(0, f - a), b - a) that add up to f, so its effect is a piecewise-linear curve; and through
f * cross_lingual, so cross-lingual pairs (which share fewer words for the same story) get steeper slopes.
The coefficients of the ramps are constrained to be >= 0: for two articles in one language, more shared
evidence never lowers the score (identical articles score highest). Free are: the cross-lingual slopes, the
indicator `cross_lingual`, the two length features, and `body_excess` = max(0, grams - lead_grams), the
one explicit discount: two bodies much more alike than their leads mostly share boilerplate (cookie and
subscription notices of one site), not a story; identical articles have none.
`Model.contributions` gives each feature's share of a score. The weights are fitted by
`storyline.similarity.fit` on SemEval-2022 Task 8 pairs with target (4 - Overall) / 3 (a fractional logistic
regression, L2-penalised).

Decisions: `same_event` when score >= `thresholds.same_event` (fitted for Overall <= 1.5: "the same story or
event") and `same_storyline` when score >= `thresholds.same_storyline` (fitted for Overall <= 2.5: related
stories of one thread); both thresholds maximise F1 on cross-validated scores.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple, Sequence

__all__ = ["Model", "Term", "load_model", "WEIGHTS", "model_terms", "term_names", "term_values", "FREE", "LINEAR"]

WEIGHTS = Path(__file__).with_name("weights.json")
# Features whose effect may have either sign (the rest are evidence of similarity: effect >= 0).
FREE = frozenset({"cross_lingual", "length_min", "length_ratio", "body_excess"})
# Evidence features that are 0/1 indicators: one linear term, no ramps.
LINEAR = frozenset({"domains", "top_country"})


class Term(NamedTuple):
    name: str
    owner: str  # the feature it belongs to
    kind: str  # "linear", "ramp" or "cross"
    lo: float = 0.0
    hi: float = 1.0
    monotone: bool = True  # coefficient constrained >= 0


def model_terms(features: Sequence[str], knots: dict[str, list[float]]) -> list[Term]:
    """The model's terms for `features` and their ramp `knots`, in order."""
    terms: list[Term] = []
    graded = [f for f in features if f not in FREE and f not in LINEAR]
    for f in features:
        if f in FREE or f in LINEAR:
            terms.append(Term(f, f, "linear", monotone=f not in FREE))
            continue
        points = [0.0, *[k for k in knots[f] if 0.0 < k < 1.0], 1.0]
        for a, b in zip(points, points[1:]):
            if b > a:
                terms.append(Term(f"{f}[{a:.3g},{b:.3g}]", f, "ramp", a, b))
    if "cross_lingual" in features:
        terms += [Term(f"{f}*cross", f, "cross", monotone=False) for f in graded]
    return terms


def term_names(features: Sequence[str], knots: dict[str, list[float]]) -> list[str]:
    return [t.name for t in model_terms(features, knots)]


def term_values(x: dict[str, float], terms: Sequence[Term]) -> list[float]:
    """The terms of one pair's features."""
    out = []
    cross = float(x.get("cross_lingual", 0.0))
    for t in terms:
        v = float(x[t.owner])
        if t.kind == "ramp":
            out.append(min(max(0.0, v - t.lo), t.hi - t.lo))
        elif t.kind == "cross":
            out.append(v * cross)
        else:
            out.append(v)
    return out


@dataclass(frozen=True)
class Model:
    """One fitted additive logistic model (see the module docstring)."""

    features: tuple[str, ...]
    knots: dict[str, list[float]]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    thresholds: dict[str, float]
    info: dict[str, Any]

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Model:
        return cls(
            features=tuple(d["features"]),
            knots={k: list(v) for k, v in d["knots"].items()},
            mean=tuple(d["mean"]),
            scale=tuple(d["scale"]),
            coef=tuple(d["coef"]),
            intercept=float(d["intercept"]),
            thresholds=dict(d["thresholds"]),
            info=dict(d.get("info", {})),
        )

    @property
    def terms(self) -> list[Term]:
        return model_terms(self.features, self.knots)

    def to_dict(self) -> dict[str, Any]:
        return {
            "features": list(self.features),
            "knots": {k: [round(v, 6) for v in vs] for k, vs in self.knots.items()},
            "terms": term_names(self.features, self.knots),
            "mean": [round(v, 8) for v in self.mean],
            "scale": [round(v, 8) for v in self.scale],
            "coef": [round(v, 8) for v in self.coef],
            "intercept": round(self.intercept, 8),
            "thresholds": {k: round(v, 4) for k, v in self.thresholds.items()},
            "info": self.info,
        }

    def logit(self, x: dict[str, float]) -> float:
        z = self.intercept
        for t, m, s, c in zip(term_values(x, self._terms), self.mean, self.scale, self.coef):
            z += c * (t - m) / s
        return z

    def score(self, x: dict[str, float]) -> float:
        z = self.logit(x)
        return 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0

    def contributions(self, x: dict[str, float]) -> dict[str, float]:
        """Each feature's part of the logit (its terms summed, relative to an average pair), largest first."""
        parts: dict[str, float] = {}
        for term, t, m, s, c in zip(self._terms, term_values(x, self._terms), self.mean, self.scale, self.coef):
            parts[term.owner] = parts.get(term.owner, 0.0) + c * (t - m) / s
        return dict(sorted(parts.items(), key=lambda kv: (-abs(kv[1]), kv[0])))

    def __post_init__(self) -> None:
        object.__setattr__(self, "_terms", model_terms(self.features, self.knots))
        if len(self._terms) != len(self.coef):
            raise ValueError(f"weights do not match the terms: {len(self.coef)} coefficients, {len(self._terms)} terms")


@lru_cache(maxsize=8)
def _load(path: str) -> dict[str, Any]:
    return json.loads(Path(path).read_text("utf-8"))


def load_model(embedding: bool = False, path: str | Path | None = None) -> Model:
    """The shipped model (or the one in `path`): the lexical model, or with `embedding` the one that also
    weighs the cosine of sentence embeddings."""
    data = _load(str(path or WEIGHTS))
    key = "embedding" if embedding else "default"
    if key not in data["models"]:
        raise ValueError(
            f"{path or WEIGHTS} has no {key!r} model; fit one with "
            "`python -m storyline.similarity.fit DIR --embedding-model PATH`"
        )
    return Model.from_dict(data["models"][key])
