"""Events: typed happenings (who did what to whom, when and where) read from one document, on a PLOVER-based
type set: CONSULT (phone calls, conversations), MEET (meetings, talks), DEMAND, REQUEST, THREATEN, SANCTION,
ACCUSE, REJECT, AGREE, MOBILIZE, RETREAT, plus STATEMENT (public statements, which PLOVER lacks).

    from storyline.events import extract_events
    extract_events(doc.text, doc.body, doc.language, doc.times, doc.entities, doc.published)

Trigger words are data (`storyline/lang/events/<code>.json`, see `storyline.events.lexicon`); the reading of
clauses, actors and dates is shared by every language (`storyline.events.extract`). The pipeline stage is
`storyline.stages.events` ("events"); merging the reports of one happening across articles and the storyline
timeline are `storyline.timeline`.
"""

from .dates import compatible, interval_of
from .extract import COMPATIBLE_TYPES, actors_overlap, extract_events, sentence_spans, type_family
from .lexicon import EVENT_TYPES, available, lexicon_for
from .record import Event

__all__ = [
    "COMPATIBLE_TYPES",
    "EVENT_TYPES",
    "Event",
    "actors_overlap",
    "available",
    "compatible",
    "extract_events",
    "interval_of",
    "lexicon_for",
    "sentence_spans",
    "type_family",
]
