"""Model backends: a named-entity model that replaces or complements the rule-based recogniser.

A backend is any object with

    find_many(texts: list[str], language: str | None) -> list[list[tuple[int, int, str]]]

returning, for each text, (start, end, label) spans with labels PER, ORG, GPE or LOC. The recogniser gives it
the body ranges of a document (in the normalised text) and keeps doing everything else: typing of its own
guesses, roles, grouping within the document and across documents.

`SpacyBackend` loads a spaCy pipeline by package name or path (`spacy.load`), for instance a trained
`fr_core_news_md`, or a pipeline of your own. spaCy is not a dependency of storyline: install it to use this.
`load_backend("spacy:fr_core_news_md")` builds one from a short spec (what `STORYLINE_ENTITY_MODEL` holds).
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

__all__ = ["Backend", "SpacyBackend", "load_backend"]

Span = tuple[int, int, str]


@runtime_checkable
class Backend(Protocol):
    def find_many(self, texts: list[str], language: str | None) -> list[list[Span]]: ...


# Labels of the common spaCy / CoNLL / OntoNotes schemes mapped to storyline's four types (None: dropped).
DEFAULT_LABELS: dict[str, str | None] = {
    "PER": "PER", "PERSON": "PER",
    "ORG": "ORG", "ORGANIZATION": "ORG", "NORP": None,
    "GPE": "GPE",
    "LOC": "LOC", "LOCATION": "LOC", "FAC": "LOC",
    "MISC": None, "DATE": None, "TIME": None, "MONEY": None, "PERCENT": None, "CARDINAL": None, "ORDINAL": None,
    "QUANTITY": None, "EVENT": None, "WORK_OF_ART": None, "LAW": None, "LANGUAGE": None, "PRODUCT": None,
}


class SpacyBackend:
    """Entities from a spaCy pipeline (`doc.ents`). `model` is a package name or a path to a pipeline saved
    with `nlp.to_disk`; it is loaded on first use. `labels` maps the model's labels to PER/ORG/GPE/LOC."""

    def __init__(self, model: str | Path, labels: dict[str, str | None] | None = None, batch_size: int = 64):
        self.model = model
        self.labels = {**DEFAULT_LABELS, **(labels or {})}
        self.batch_size = batch_size

    @cached_property
    def nlp(self) -> Any:
        try:
            import spacy
        except ImportError as exc:  # a clear hint, not a silent fallback
            raise ImportError(
                "E-ENT001 the spaCy backend needs spaCy: pip install spacy (and a pipeline, e.g. "
                "python -m spacy download fr_core_news_md)"
            ) from exc
        return spacy.load(str(self.model) if isinstance(self.model, Path) else self.model)

    def find_many(self, texts: list[str], language: str | None) -> list[list[Span]]:
        out: list[list[Span]] = []
        for doc in self.nlp.pipe(texts, batch_size=self.batch_size):
            spans = []
            for ent in doc.ents:
                label = self.labels.get(ent.label_, ent.label_ if ent.label_ in ("PER", "ORG", "GPE", "LOC") else None)
                if label:
                    spans.append((ent.start_char, ent.end_char, label))
            out.append(spans)
        return out


def load_backend(spec: str | None) -> Backend | None:
    """A backend from a spec: "spacy:<package or path>" (or a bare package name or path, read as spaCy)."""
    if not spec:
        return None
    kind, _, target = spec.partition(":")
    if not target:
        kind, target = "spacy", spec
    if kind != "spacy":
        raise ValueError(f"E-ENT002 unknown entity backend {kind!r}; use 'spacy:<package or path>'")
    return SpacyBackend(target)
