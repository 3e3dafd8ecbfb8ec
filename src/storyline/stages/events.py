"""Events of the article body (see `storyline.events`): typed happenings with actors, target, date, place and
the sentence that tells them.

The stage needs the temporal expressions (`times`) to date events, and reads `doc.entities` when the entities
stage ran before it (canonical actors with their country); without them, actors are capitalised names. Place
it after "times" (and after "entities" when that stage is in the pipeline).
"""

from __future__ import annotations

from ..events import extract_events
from ..pipeline import register_stage
from ..records import Document


@register_stage("events")
class Events:
    requires = ("text", "body", "language", "published", "times")
    assigns = ("events",)

    def __call__(self, doc: Document) -> Document:
        doc.events = extract_events(doc.text, doc.body, doc.language, doc.times, doc.entities, doc.published)
        return doc
