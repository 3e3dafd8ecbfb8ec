"""One mention of an entity in one document."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["Mention", "TYPES", "group_of"]

TYPES = ("PER", "ORG", "GPE", "LOC")


def group_of(typ: str) -> str:
    return {"PER": "per", "ORG": "org", "GPE": "place", "LOC": "place"}.get(typ, "per")


@dataclass(slots=True)
class Mention:
    """A named mention: `text` is `doc.text[start:end]` exactly (offsets into the text as read).

    `type` is PER, ORG, GPE (a country, or a city standing for its government) or LOC. `canonical` and
    `entity_id` name the entity it belongs to across documents (set by the resolver). `role` is a title or
    apposition said of a person in this document ("porte-parole du Kremlin"); `country` the country the
    entity belongs to or speaks for, when known. `refers_to` is set when a capital names a government
    ("Moscou a rejeté"): the entity id of the country, a relation rather than a merge (the mention's own
    entity stays the city). `kb_id` is the knowledge-base id (e.g. Wikidata) when one was linked, output as
    `wikidata`. `entity_type` is the type of the entity as a whole (LOC for a city even where one mention of it
    is a GPE).
    """

    text: str
    start: int
    end: int
    type: str
    canonical: str = ""
    entity_id: str = ""
    role: str | None = None
    country: str | None = None
    refers_to: str | None = None
    kb_id: str | None = None
    entity_type: str = ""
    # Working fields (not part of the output contract).
    name: str = ""  # the name alone: without an honorific ("M. Sullivan" -> "Sullivan"), normalised
    known: str | None = None  # canonical name given by a table or gazetteer
    country_code: str | None = None
    kind: str = ""  # known, country, region, capital, city, subdivision, org, acronym, name, model
    nested: bool = False  # inside a larger mention ("OTAN" in "Conseil OTAN-Russie")
    local: int = -1  # index of the document-level entity
    source: str = "rules"
    weak: bool = False  # type guessed without evidence (may be corrected by other documents)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "type": self.type,
            "canonical": self.canonical,
            "entity_id": self.entity_id,
        }
        if self.role:
            out["role"] = self.role
        if self.country:
            out["country"] = self.country
        if self.refers_to:
            out["refers_to"] = self.refers_to
        if self.kb_id:
            out["wikidata"] = self.kb_id
        if self.entity_type and self.entity_type != self.type:
            out["entity_type"] = self.entity_type
        if self.nested:
            out["nested"] = True  # inside a longer mention ("OTAN" in "Conseil OTAN-Russie")
        return out
