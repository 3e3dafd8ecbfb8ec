"""The stable article id, derived from the text (see `storyline.records.content_id`)."""

from __future__ import annotations

from ..pipeline import register_stage
from ..records import Document, content_id


@register_stage("identity")
class ContentIdentity:
    requires = ("text",)
    assigns = ("id",)

    def __call__(self, doc: Document) -> Document:
        if not doc.text.strip():
            raise ValueError("empty text has no identity")
        doc.id = content_id(doc.text)
        return doc
