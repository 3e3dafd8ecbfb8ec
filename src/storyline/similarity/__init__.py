"""Pairwise similarity of news articles, across languages, offline.

    >>> from storyline.similarity import similarity
    >>> s = similarity(text_fr, text_en, "fr", "en")
    >>> s.score, s.same_event, s.same_storyline, s.shared_entities

`score` is in [0, 1] (higher = more similar); `same_event` says the two report the same story or event,
`same_storyline` that they belong to one thread of related events. The score combines language-light
evidence (see `features`): word and character n-gram TF-IDF (IDF from `wordfreq`'s frequencies in 40
languages, no corpus needed), keywords matched exactly or by near spelling, names keyed by a folded and
romanised form, countries and cities resolved through a shipped multilingual gazetteer ("Allemagne",
"Germany", "Deutschland", "德国" -> DE), numbers, dates and web domains, weighed by a small additive logistic
model fitted on SemEval-2022 Task 8 (`model`, `fit`; weights in `weights.json`).

For many comparisons, read each article once: `Scorer.signature(...)` (or `article_signature(article)`) gives
a `Signature` (JSON-able through `to_dict`/`from_dict`) and `Scorer.compare(a, b)` scores two of them; the
incremental clustering uses the same signatures.

Optional: `embedding_model=PATH` adds the cosine of sentence embeddings from a local sentence-transformers
model (never downloaded; see `embed`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .features import FEATURES, Signature, detect_language, pair_features, shared_evidence, signature
from .model import Model, load_model

__all__ = [
    "Similarity",
    "Scorer",
    "Signature",
    "similarity",
    "signature",
    "article_signature",
    "pair_features",
    "shared_evidence",
    "detect_language",
    "FEATURES",
    "default_scorer",
    "similarity_pairs",
]


@dataclass(frozen=True)
class Similarity:
    """How alike two articles are, the decisions, and the evidence."""

    score: float
    same_event: bool
    same_storyline: bool
    shared_entities: list[str]
    features: dict[str, float]
    evidence: dict[str, list[str]] = field(default_factory=dict)
    contributions: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "score": round(self.score, 4),
            "same_event": self.same_event,
            "same_storyline": self.same_storyline,
            "shared_entities": self.shared_entities,
            "evidence": self.evidence,
            "features": {k: round(v, 4) for k, v in self.features.items()},
            "contributions": {k: round(v, 4) for k, v in self.contributions.items()},
        }


class Scorer:
    """A loaded model (and optional embedder): reads articles into signatures and compares them."""

    def __init__(self, embedding_model: str | Path | None = None, weights: str | Path | None = None):
        self.embedder = None
        if embedding_model is not None:
            from .embed import get_embedder

            self.embedder = get_embedder(str(Path(embedding_model).expanduser()))
        self.model: Model = load_model(embedding=self.embedder is not None, path=weights)

    def signature(
        self, text: str, lang: str | None = None, *, url: str | None = None, outlet: str | None = None
    ) -> Signature:
        sig = signature(text, lang, url=url, outlet=outlet)
        if self.embedder is not None:
            sig.embedding = self.embedder.encode([text])[0]
        return sig

    def compare(self, a: Signature, b: Signature) -> Similarity:
        x = pair_features(a, b)
        if self.embedder is not None and "embedding" not in x:
            raise ValueError("this scorer uses embeddings: make both signatures with Scorer.signature")
        score = self.model.score(x)
        evidence = shared_evidence(a, b)
        return Similarity(
            score=score,
            same_event=score >= self.model.thresholds["same_event"],
            same_storyline=score >= self.model.thresholds["same_storyline"],
            shared_entities=evidence.pop("entities"),
            features=x,
            evidence=evidence,
            contributions=self.model.contributions(x),
        )

    def similarity(
        self,
        a_text: str,
        b_text: str,
        a_lang: str | None = None,
        b_lang: str | None = None,
        **meta: str | None,
    ) -> Similarity:
        a = self.signature(a_text, a_lang, url=meta.get("a_url"), outlet=meta.get("a_outlet"))
        b = self.signature(b_text, b_lang, url=meta.get("b_url"), outlet=meta.get("b_outlet"))
        return self.compare(a, b)


_SCORERS: dict[tuple[str | None, str | None], Scorer] = {}


def default_scorer(embedding_model: str | Path | None = None, weights: str | Path | None = None) -> Scorer:
    key = (None if embedding_model is None else str(embedding_model), None if weights is None else str(weights))
    if key not in _SCORERS:
        _SCORERS[key] = Scorer(embedding_model, weights)
    return _SCORERS[key]


def similarity(
    a_text: str,
    b_text: str,
    a_lang: str | None = None,
    b_lang: str | None = None,
    *,
    a_url: str | None = None,
    b_url: str | None = None,
    a_outlet: str | None = None,
    b_outlet: str | None = None,
    embedding_model: str | Path | None = None,
    weights: str | Path | None = None,
) -> Similarity:
    """Similarity of two article texts (title first, then body, as one text each).

    Languages are ISO 639-1 codes, detected when missing. `a_url`/`b_url` and `a_outlet`/`b_outlet` add
    outlet evidence when known. `embedding_model` names a local sentence-transformers model directory
    (off by default); `weights` another weights file written by `python -m storyline.similarity.fit`.
    """
    return default_scorer(embedding_model, weights).similarity(
        a_text, b_text, a_lang, b_lang, a_url=a_url, b_url=b_url, a_outlet=a_outlet, b_outlet=b_outlet
    )


def article_signature(article: Any, scorer: Scorer | None = None) -> Signature:
    """The signature of a stored `Article` (or a `Document`): title and body, language, URL and outlet."""
    body = getattr(article, "body", None) or ()
    text = "\n\n".join(article.text[s:e] for s, e in body) if body else article.text
    title = getattr(article, "title", None)
    if title and not text.lstrip().startswith(title.strip()):
        text = f"{title}\n\n{text}"
    outlet = getattr(article, "outlet", None) or getattr(article, "wire", None)
    scorer = scorer or default_scorer()
    return scorer.signature(text, getattr(article, "language", None), url=getattr(article, "url", None),
                            outlet=outlet)


_COLUMNS = {
    "a_text": ("text1", "a_text", "a", "text_a"),
    "b_text": ("text2", "b_text", "b", "text_b"),
    "a_lang": ("lang1", "a_lang", "lang_a"),
    "b_lang": ("lang2", "b_lang", "lang_b"),
    "a_url": ("url1", "a_url", "url_a"),
    "b_url": ("url2", "b_url", "url_b"),
    "id": ("pair_id", "id"),
}


def similarity_pairs(
    path: str | Path, *, embedding_model: str | Path | None = None, weights: str | Path | None = None
) -> list[dict[str, Any]]:
    """Score every pair of a CSV file (`storyline similar --pairs FILE.csv`). Columns: `text1`, `text2`
    (or `a`/`b`, `a_text`/`b_text`), optional `lang1`/`lang2`, `url1`/`url2`, `pair_id`/`id`; other columns
    are ignored. Returns one `Similarity.to_dict()` per row, with `id` (the row's id or its 1-based number)."""
    import csv
    import sys

    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    scorer = default_scorer(embedding_model, weights)
    out = []
    with Path(path).open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        header = reader.fieldnames or []
        cols = {k: next((c for c in names if c in header), None) for k, names in _COLUMNS.items()}
        if cols["a_text"] is None or cols["b_text"] is None:
            raise ValueError(f"{path}: needs columns text1 and text2 (or a and b); found {', '.join(header)}")
        cache: dict[tuple[str, str | None, str | None], Signature] = {}

        def sig(text: str, lang: str | None, url: str | None) -> Signature:
            key = (text, lang, url)
            if key not in cache:
                cache[key] = scorer.signature(text, lang, url=url)
            return cache[key]

        for n, row in enumerate(reader, start=1):
            def get(k: str) -> str | None:
                c = cols[k]
                return (row.get(c) or None) if c else None

            a = sig(get("a_text") or "", get("a_lang"), get("a_url"))
            b = sig(get("b_text") or "", get("b_lang"), get("b_url"))
            out.append({"id": get("id") or str(n), **scorer.compare(a, b).to_dict()})
    return out
