"""The record of one event found in one document."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["Event"]


@dataclass(slots=True)
class Event:
    """A typed happening reported by one document.

    `start`/`end` is the trigger of its main mention (offsets into `Document.text`), `trigger_kind` whether
    it is a noun ("la conversation téléphonique") or a verb, `mentions` every mention of the same happening
    in the document. `actors` are who did it and `target` whom it was done to, each
    {name, entity_id, type, country} (canonical entities when the entities stage ran; capitalised names
    otherwise, with an entity_id "name:<folded name>"). `date` is a TIMEX3 value at `granularity`, or None
    when only an interval is known; `earliest`/`latest` are the days it may have happened on (ISO), and
    `date_source` says where they come from: "expression" (a temporal expression of the event's clause),
    "coreference" (an earlier mention of the same happening), "context" (an earlier dated event of the same
    actors), "sentence" (a temporal expression elsewhere in the sentence), "published" (the publication
    date), "implied" ("the second call in less than a month" implies an earlier call), "vague" ("il y a
    quelques semaines") or "none". `modality` is asserted, planned, hypothetical or negated. `evidence` is the
    sentence of the main mention (`evidence_start`/`evidence_end`).
    """

    type: str
    start: int
    end: int
    trigger: str
    trigger_kind: str = "verb"
    actors: list[dict[str, Any]] = field(default_factory=list)
    target: dict[str, Any] | None = None
    date: str | None = None
    granularity: str | None = None
    earliest: str | None = None
    latest: str | None = None
    date_source: str = "none"
    time: dict[str, Any] | None = None
    place: dict[str, Any] | None = None
    evidence: str = ""
    evidence_start: int = 0
    evidence_end: int = 0
    modality: str = "asserted"
    duration: str | None = None
    mentions: list[dict[str, Any]] = field(default_factory=list)
    implied: bool = False
    confidence: float = 1.0
    language: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "start": self.start,
            "end": self.end,
            "trigger": self.trigger,
            "trigger_kind": self.trigger_kind,
            "actors": [dict(a) for a in self.actors],
            "target": dict(self.target) if self.target else None,
            "date": self.date,
            "granularity": self.granularity,
            "earliest": self.earliest,
            "latest": self.latest,
            "date_source": self.date_source,
            "time": dict(self.time) if self.time else None,
            "place": dict(self.place) if self.place else None,
            "evidence": self.evidence,
            "evidence_start": self.evidence_start,
            "evidence_end": self.evidence_end,
            "modality": self.modality,
            "duration": self.duration,
            "mentions": [dict(m) for m in self.mentions],
            "implied": self.implied,
            "confidence": self.confidence,
            "language": self.language,
        }
